"""The suggestions engine: sentences, mentions, dates, figures and candidates in a text."""

import datetime
import decimal

import pytest

from cpec_tracker.models import Source
from cpec_tracker.suggestions import split_sentences, suggest, suggest_text

SEED_SLUG = "dawn-2025-01-12-cpec-jwg-icc"


@pytest.fixture
def seed_suggestions(seeded):
    source = Source.objects.get(slug=SEED_SLUG)
    return source, suggest(source)


def test_every_offset_indexes_the_stored_text(seed_suggestions):
    source, found = seed_suggestions
    for name in ("sentences", "mentions", "dates", "figures", "candidates"):
        for item in getattr(found, name):
            assert source.text[item.start : item.end] == item.text


def test_sentences_do_not_end_at_abbreviations_or_run_over_line_breaks():
    text = "Mr. Ahsan Iqbal met Dr. Wang on Jan. 21, 2024. The U.S. envoy left.\nA headline\nNext."
    assert [s.text for s in split_sentences(text)] == [
        "Mr. Ahsan Iqbal met Dr. Wang on Jan. 21, 2024.",
        "The U.S. envoy left.",
        "A headline",
        "Next.",
    ]


def test_officials_are_found_by_name_by_titled_surname_and_by_their_office(seed_suggestions):
    source, found = seed_suggestions
    baloch = [m for m in found.mentions if m.slug == "amna-baloch"]
    assert {m.text for m in baloch} >= {"Amna Baloch", "Baloch", "foreign secretary"}


def test_meetings_are_found_by_ordinal_and_series(seed_suggestions):
    source, found = seed_suggestions
    meetings = {(m.text, m.slug) for m in found.mentions if m.model == "meetings.meeting"}
    assert meetings == {
        ("5th meeting", "jwg-icc-5th-meeting"),
        ("fourth meeting", "jwg-icc-4th-meeting"),
    }


def test_relative_dates_resolve_against_the_source_date(seed_suggestions):
    source, found = seed_suggestions
    dates = {(d.text, d.value, d.precision) for d in found.dates}
    assert ("on Saturday", datetime.date(2025, 1, 11), "day") in dates
    assert ("last month", datetime.date(2024, 12, 1), "month") in dates
    assert ("Jan 21, 2024", datetime.date(2024, 1, 21), "day") in dates


def test_figures_carry_their_unit(seed_suggestions):
    source, found = seed_suggestions
    assert ("40,000 direct and indirect jobs", decimal.Decimal(40000), "jobs") in {
        (f.text, f.value, f.unit) for f in found.figures
    }


@pytest.mark.django_db
def test_unknown_people_organizations_and_projects_are_candidates():
    found = suggest_text(
        "Planning Minister Ahsan Iqbal met officials of the Gwadar Port Authority about the "
        "Karachi Circular Railway Project."
    )
    assert {(c.kind, c.name, c.office) for c in found.candidates} == {
        ("person", "Ahsan Iqbal", "Planning Minister"),
        ("organization", "Gwadar Port Authority", ""),
        ("project", "Karachi Circular Railway Project", ""),
    }


def test_suggestions_load_records_in_a_bounded_number_of_queries(
    seeded, make, django_assert_max_num_queries
):
    for number in range(20):
        make.make_official(name=f"Official Number{number}")
        make.make_project(title=f"Project Number{number}")
    source = Source.objects.get(slug=SEED_SLUG)
    with django_assert_max_num_queries(6):
        suggest(source)


def test_as_json_is_plain_data(seed_suggestions):
    source, found = seed_suggestions
    data = found.as_json()
    assert data["dates"][0]["value"] == "2025-01-12"
    assert data["figures"][0]["value"] == "40000"
    assert set(data) == {"sentences", "mentions", "dates", "figures", "candidates"}
    sentence = found.for_sentence(2)
    assert {m.slug for m in sentence["mentions"]} == {"amna-baloch", "sun-weidong"}
