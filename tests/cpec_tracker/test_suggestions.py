"""The suggestions engine: sentences, mentions, dates, figures and candidates in a text."""

import datetime
import decimal
from pathlib import Path

import pytest

from cpec_tracker.intake.suggestions import split_sentences, suggest, suggest_text
from cpec_tracker.records import sentences as sentence_splitting
from cpec_tracker.records.models import Source

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"

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
    text = (
        "Mr. Ahsan Iqbal met Dr. Wang on Jan. 21, 2024. The U.S. envoy left.\nA headline\n"
        "Funds for the Peshawar-D.I. Khan Motorway were sought. Next."
    )
    assert [s.text for s in split_sentences(text)] == [
        "Mr. Ahsan Iqbal met Dr. Wang on Jan. 21, 2024.",
        "The U.S. envoy left.",
        "A headline",
        "Funds for the Peshawar-D.I. Khan Motorway were sought.",
        "Next.",
    ]


def one_paragraph(size):
    """The hand-labelled articles run together into one paragraph of `size` characters."""
    articles = " ".join(
        " ".join(path.read_text().split()) for path in sorted(ARTICLES.glob("*.txt"))
    )
    return " ".join([articles] * (size // len(articles) + 1))[:size].rstrip()


@pytest.fixture
def segmented_pieces(monkeypatch):
    """The length of every text pysbd is given."""
    lengths = []
    segmenter = sentence_splitting._segmenter()

    class Spy:
        def segment(self, text):
            lengths.append(len(text))
            return segmenter.segment(text)

    monkeypatch.setattr(sentence_splitting, "_segmenter", Spy)
    return lengths


def test_pysbd_reads_a_long_paragraph_in_bounded_windows_each_character_about_once(
    segmented_pieces,
):
    text = one_paragraph(60_000)
    sentences = split_sentences(text)
    assert max(segmented_pieces) <= sentence_splitting.SEGMENTER_WINDOW
    # Windows overlap by at most the sentence each one leaves to the next: linear work.
    assert sum(segmented_pieces) <= 1.2 * len(text)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False))


def test_a_long_paragraph_is_split_where_pysbd_splits_it_whole():
    text = one_paragraph(20_000)
    whole = [(start, end) for start, end in sentence_splitting._segmented(text)]
    assert [(s.start, s.end) for s in split_sentences(text)] == whole


def test_a_run_of_words_without_a_full_stop_is_cut_at_spaces(segmented_pieces):
    text = "word " * 3000 + "The end."
    sentences = split_sentences(text)
    assert max(segmented_pieces) <= sentence_splitting.SEGMENTER_WINDOW
    assert len(sentences) > 1
    assert all(len(s.text) <= sentence_splitting.SEGMENTER_WINDOW for s in sentences)
    assert " ".join(s.text for s in sentences) == text.strip()


def test_the_seed_article_has_its_28_sentences(seed_suggestions):
    source, found = seed_suggestions
    assert len(found.sentences) == 28
    assert found.sentences[4].text.startswith("Foreign secretary, Chinese vice minister")
    assert (
        found.sentences[8].text
        == "The two sides expressed their resolve to deepen cooperation in the fields of"
    )


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
    assert set(data) == {
        "sentences",
        "mentions",
        "dates",
        "figures",
        "candidates",
        "financing",
    }
    sentence = found.for_sentence(2)
    assert {m.slug for m in sentence["mentions"]} == {"amna-baloch", "sun-weidong"}


SUNDAY = datetime.date(2025, 1, 12)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sentence", "text", "value", "precision"),
    [
        ("It ended on 30 December 2024.", "30 December 2024", "2024-12-30", "day"),
        ("It ended on Jan 12, 2025.", "Jan 12, 2025", "2025-01-12", "day"),
        ("It ended in December 2024.", "December 2024", "2024-12-01", "month"),
        ("It ended in 2024.", "2024", "2024-01-01", "year"),
        ("They met on Saturday.", "on Saturday", "2025-01-11", "day"),
        ("They will meet on Monday.", "on Monday", "2025-01-13", "day"),
        ("They met yesterday.", "yesterday", "2025-01-11", "day"),
        ("They met last month.", "last month", "2024-12-01", "month"),
        ("They meet next year.", "next year", "2026-01-01", "year"),
        ("They met two months ago.", "two months ago", "2024-11-01", "month"),
        ("Work starts in March.", "in March", "2025-03-01", "month"),
    ],
)
def test_dates_absolute_and_relative(sentence, text, value, precision):
    found = suggest_text(sentence, published_on=SUNDAY)
    assert [(d.text, d.value.isoformat(), d.precision) for d in found.dates] == [
        (text, value, precision)
    ]


@pytest.mark.django_db
def test_relative_dates_need_the_source_date():
    assert suggest_text("They met yesterday, on Saturday.").dates == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("It will create 40,000 jobs.", "40,000 jobs", "40000", "jobs"),
        ("A 1,200 MW plant.", "1,200 MW", "1200", "MW"),
        ("It costs $2.5 billion.", "$2.5 billion", "2500000000", "USD"),
        ("It costs Rs 10 billion.", "Rs 10 billion", "10000000000", "PKR"),
        ("Exports rose 60 per cent.", "60 per cent", "60", "percent"),
        ("A 1,726 km track.", "1,726 km", "1726", "km"),
    ],
)
def test_figures_with_units(sentence, text, value, unit):
    found = suggest_text(sentence)
    assert [(f.text, f.value, f.unit) for f in found.figures] == [
        (text, decimal.Decimal(value), unit)
    ]


@pytest.mark.django_db
def test_years_ordinals_and_bare_numbers_are_not_figures():
    found = suggest_text("The 5th meeting in 2024 approved 3 items under CPEC 2.0.")
    assert found.figures == []


def test_a_surname_inside_another_name_is_not_the_official(seeded):
    found = suggest_text("Railways chief Aamir Ali Baloch spoke. Later Baloch left.")
    assert [(m.text, m.slug) for m in found.mentions] == [("Baloch", "amna-baloch")]


def test_a_meeting_ordinal_takes_its_series_from_the_sentence_or_before(seeded):
    found = suggest_text(
        "The JWG-ICC met again. The fifth meeting was in Beijing; the 4th JWG-ICC meeting was not."
    )
    meetings = [(m.text, m.slug) for m in found.mentions if m.model == "meetings.meeting"]
    assert meetings == [
        ("fifth meeting", "jwg-icc-5th-meeting"),
        ("4th JWG-ICC meeting", "jwg-icc-4th-meeting"),
    ]


@pytest.mark.django_db
def test_impossible_dates_and_odd_text_are_skipped_not_errors():
    text = (
        "On 31 February 2025, Feb 30, 2024 and 2024-13-45 nothing happened. \x00 🚄 "
        "A 99999999999999999999999 MW plant, Rs. 5 and $ 7 trillion; 0 jobs.\r\n“Quoted.”"
    )
    found = suggest_text(text, published_on=datetime.date(2025, 1, 12))
    assert all(d.text not in {"31 February 2025", "Feb 30, 2024"} for d in found.dates)
    for name in ("sentences", "mentions", "dates", "figures", "candidates"):
        for item in getattr(found, name):
            assert text[item.start : item.end] == item.text
    assert found.as_json()


def test_themes_listed_before_a_shared_last_word_are_each_found(seed_suggestions):
    source, found = seed_suggestions
    sentence = found.for_sentence(7)["mentions"]
    assert [m.slug for m in sentence if m.model == "cpec_tracker.theme"][:5] == [
        "growth-corridor",
        "livelihood-corridor",
        "innovation-corridor",
        "open-corridor",
        "green-corridor",
    ]


DAY = datetime.date(2025, 1, 12)


def officials_in(text):
    found = suggest_text(text, published_on=DAY)
    return [(m.text, m.slug) for m in found.mentions if m.model == "meetings.official"]


def test_a_short_office_names_the_official_the_text_introduces(seeded):
    # The seed's "Ambassador of China to Pakistan" is Jiang Zaidong's office.
    assert officials_in("Jiang Zaidong arrived. Later, the ambassador said it was done.") == [
        ("Jiang Zaidong", "jiang-zaidong"),
        ("ambassador", "jiang-zaidong"),
    ]
    # Not an official the text never names: the ambassador could be any country's.
    assert officials_in("Later, the ambassador said it was done.") == []


def test_a_short_office_keeps_its_words_of_rank(seeded):
    # Sun Weidong is Vice Foreign Minister, Ma Zhaoxu Executive Vice Foreign Minister.
    text = "Sun Weidong and Ma Zhaoxu met. The vice minister spoke first."
    assert officials_in(text)[-1] == ("vice minister", "sun-weidong")
    # "minister" alone would drop "vice": it names neither.
    assert officials_in("Sun Weidong and Ma Zhaoxu met. The minister spoke.")[2:] == []


def test_a_short_office_inside_another_title_is_not_the_official(seeded):
    text = "Jiang Zaidong met the press. The Deputy Ambassador left; Ambassador Nong spoke."
    assert officials_in(text) == [("Jiang Zaidong", "jiang-zaidong")]


def themes_in(text):
    found = suggest_text(text, published_on=DAY)
    return [(m.text, m.slug) for m in found.mentions if m.model == "cpec_tracker.theme"]


def test_a_one_word_theme_with_a_qualifier_names_a_kind_not_the_theme(seeded):
    # "Energy" is one of the five Es; "nuclear energy" is a kind of energy, like the tracker's
    # own "Clean energy", not that theme.
    assert themes_in("Nuclear power and nuclear energy grew; renewable energy did not.") == []
    assert themes_in("Five Es: exports, e-Pakistan, energy, environment and equity.") == [
        ("exports", "exports"),
        ("e-Pakistan", "e-pakistan"),
        ("energy", "energy"),
        ("environment", "environment"),
        ("equity", "equity"),
    ]
    # A verb before it is no qualifier.
    assert themes_in("They agreed to boost exports and promote agriculture.") == [
        ("exports", "exports"),
        ("agriculture", "agriculture"),
    ]
    assert themes_in("Clean energy was central.") == [("Clean energy", "clean-energy")]


def candidates_in(text):
    found = suggest_text(text, published_on=DAY)
    return [(c.kind, c.name, c.office) for c in found.candidates]


def test_a_name_before_a_comma_and_an_office_is_a_new_person(seeded):
    assert candidates_in(
        "Ahsan Iqbal, Pakistan's Federal Minister for Planning, opened the talks."
    ) == [("person", "Ahsan Iqbal", "Federal Minister for Planning")]
    assert candidates_in("Meanwhile, Cong Liang, deputy head of the commission, spoke.") == [
        ("person", "Cong Liang", "Deputy head of the commission")
    ]
    # A place or a body before a comma is no person, whatever follows it.
    assert candidates_in("At Karachi Port, the chairman said so.") == [
        ("project", "Karachi Port", "")
    ]


def test_a_titled_surname_is_the_person_named_in_full_not_a_new_one(seeded):
    assert candidates_in("Ahsan Iqbal, the planning minister, arrived. Mr Iqbal spoke.") == [
        ("person", "Ahsan Iqbal", "Planning minister")
    ]
    # A surname the text never gives in full proposes nothing.
    assert candidates_in("Mr Khan and Dr Wang arrived.") == []


def test_a_titled_surname_is_the_official_named_before_even_when_the_surname_is_shared(
    seeded, make
):
    make.make_official(slug="aamir-ali-baloch", name="Aamir Ali Baloch")
    assert officials_in("Amna Baloch arrived. Ms Baloch spoke.") == [
        ("Amna Baloch", "amna-baloch"),
        ("Baloch", "amna-baloch"),
    ]
    assert officials_in("Aamir Ali Baloch arrived. Mr Baloch spoke.")[-1] == (
        "Baloch",
        "aamir-ali-baloch",
    )
    # Without a full name before it, a shared surname stays unresolved.
    assert officials_in("Ms Baloch spoke.") == []


def test_the_proper_name_inside_a_project_title_names_the_project(seeded, make):
    # The seed's project is "Khunjerab Pass year-round operation", with no alias.
    found = suggest_text("The Khunjerab Pass stayed open all winter.", published_on=DAY)
    assert [(m.text, m.slug) for m in found.mentions] == [
        ("Khunjerab Pass", "khunjerab-pass-year-round-operation")
    ]
    # Not inside a longer name.
    found = suggest_text("The Khunjerab Pass Road was closed.", published_on=DAY)
    assert found.mentions == []
    # Nor when two projects share that part.
    make.make_project(slug="khunjerab-pass-fibre", title="Khunjerab Pass fibre optic link")
    found = suggest_text("The Khunjerab Pass stayed open.", published_on=DAY)
    assert found.mentions == []


def test_abbreviations_are_a_known_alias_or_a_new_name(seeded, make):
    assert candidates_in("Work on the ML-1 upgrade and the KKH-2 began; NDRC agreed.") == [
        ("project", "ML-1", ""),
        ("project", "KKH-2", ""),
        ("organization", "NDRC", ""),
    ]
    make.make_project(slug="ml-1", title="Main Line-1 railway upgrade", aliases="ML-1")
    found = suggest_text("Work on the ML-1 upgrade began.", published_on=DAY)
    assert [(m.text, m.slug) for m in found.mentions] == [("ML-1", "ml-1")]
    assert found.candidates == []
    # Datelines, units and the corridor's own name are none.
    assert candidates_in("LAHORE: A 50 MW plant under CPEC opened.") == []


def test_a_short_name_given_in_brackets_is_its_name_thereafter(seeded):
    assert candidates_in(
        "The National Highway Authority (NHA) will widen the road. The NHA said so."
    ) == [("organization", "National Highway Authority", "")]
    # For a known record, later uses of the short name are mentions of it.
    found = suggest_text(
        "The Embassy of China in Pakistan (ECP) spoke. Later the ECP agreed.", published_on=DAY
    )
    assert [(m.text, m.slug) for m in found.mentions][-1] == ("ECP", "embassy-of-china-in-pakistan")


def test_bodies_named_in_lower_case_are_new_organizations(seeded):
    assert candidates_in(
        "Ms Baloch briefed the Senate's foreign affairs committee and a parliamentary "
        "committee on Gwadar Port. The committee agreed."
    ) == [
        ("organization", "Senate's foreign affairs committee", ""),
        ("organization", "parliamentary committee on Gwadar Port", ""),
    ]
