"""A list page's filter choices are the values its published records hold, each with the count
it would give beside the other filters; the form folds into a "Filters (n)" disclosure after
the count and downloads; the API reads every value it read before."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pages import queries_for, text_of

pytestmark = pytest.mark.django_db


def options_of(page, name):
    """[(value, text, selected)] of the form's <select name=`name`>, without "Any"."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.DOTALL)
    assert select, f"no <select name={name}>"
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select[1])
    return [(value, text, bool(selected)) for value, selected, text in options if value]


def offered(page, name):
    return {value: text for value, text, _ in options_of(page, name)}


def test_country_choices_are_the_countries_of_published_officials_with_counts(client, make):
    make.make_official(country="PK")
    make.make_official(country="PK")
    make.make_official(country="CN")
    make.make_official(country="FR", publication_status="draft")
    page = text_of(client.get("/officials/"))
    assert offered(page, "country") == {"CN": "China (1)", "PK": "Pakistan (2)"}


def test_each_choice_counts_with_the_other_filters_but_not_its_own(client, make):
    make.make_project(status="planned", sector="energy")
    make.make_project(status="planned", sector="transport")
    make.make_project(status="operational", sector="energy")
    make.make_project(status="operational", sector="energy")
    page = text_of(client.get("/projects/?sector=energy&status=planned"))
    assert offered(page, "status") == {
        "planned": "Planned (1)",
        "operational": "Operational (2)",
    }
    assert offered(page, "sector") == {
        "energy": "Energy (1)",
        "transport": "Transport and connectivity (1)",
    }
    assert ("planned", "Planned (1)", True) in options_of(page, "status")


def test_a_chosen_value_no_record_holds_stays_offered_with_no_records(client, make):
    make.make_official(country="PK")
    response = client.get("/officials/?country=FR")
    assert response.status_code == 200
    assert options_of(text_of(response), "country") == [
        ("FR", "France (0)", True),
        ("PK", "Pakistan (1)", False),
    ]


def test_the_api_still_reads_every_value_the_filters_read(client, make):
    make.make_official(country="PK")
    assert client.get("/api/v1/officials/?country=AQ").status_code == 200
    assert client.get("/api/v1/meetings/?year=1999").status_code == 200
    assert client.get("/api/v1/officials/?country=XX").status_code == 400


def test_theme_choices_are_the_published_themes_of_the_list(client, make):
    shown = make.make_theme(slug="clean-energy", name="Clean energy")
    hidden = make.make_theme(slug="secret-theme", name="Secret theme", publication_status="draft")
    make.make_theme(slug="unused", name="Unused")
    meeting = make.make_meeting()
    meeting.themes.add(shown, hidden)
    make.make_meeting().themes.add(shown)
    page = text_of(client.get("/meetings/"))
    assert offered(page, "theme") == {"clean-energy": "Clean energy (2)"}


def test_year_is_a_choice_of_the_years_that_occur_latest_first(client, make):
    make.make_meeting(date=datetime.date(2024, 1, 21))
    make.make_meeting(date=datetime.date(2025, 3, 1))
    make.make_meeting(date=datetime.date(2025, 5, 1))
    page = text_of(client.get("/meetings/"))
    assert options_of(page, "year") == [
        ("2025", "2025 (2)", False),
        ("2024", "2024 (1)", False),
    ]
    chosen = text_of(client.get("/meetings/?year=1999"))
    assert ("1999", "1999 (0)", True) in options_of(chosen, "year")


def test_a_search_narrows_the_counts(client, make):
    make.make_project(title="Gwadar port expansion", status="planned")
    make.make_project(title="Thar coal", status="operational")
    page = text_of(client.get("/projects/?q=gwadar"))
    assert offered(page, "status") == {"planned": "Planned (1)"}


def test_the_filters_fold_after_the_count_and_downloads_and_count_those_in_use(client, make):
    make.make_project(status="planned", sector="energy", title="First project")
    page = text_of(client.get("/projects/?status=planned&sector=energy&ordering=title"))
    assert page.index('class="result-count"') < page.index("format=csv") < page.index("<details")
    assert page.index("<details") < page.index("First project")
    # Two filters; the sort order is not one.
    assert re.search(r"<summary>Filters \(2\)</summary>", page)
    assert (
        '<details class="filter-panel">' in page
    )  # folded: the stylesheet opens it on wide screens


def test_filters_that_cannot_be_read_are_shown_open(client):
    response = client.get("/meetings/?year=abc")
    assert response.status_code == 400
    assert '<details class="filter-panel" open>' in text_of(response)


# Queries: one grouped count for the filters with a short list of values (those not chosen),
# one for each other filter; none again while the tables are unchanged.

FACETED_LISTS = {
    "/meetings/": 3,  # country, kind and status together; year; theme (series is typed)
    "/officials/": 1,  # country
    "/projects/": 2,  # sector, status, province and kind together; theme
    "/sources/": 2,  # kind, year
}


def fill_lists(make, rows):
    theme = make.make_theme()
    for number in range(rows):
        meeting = make.make_meeting(date=datetime.date(2000 + number, 1, 1))
        meeting.themes.add(theme if number % 2 else make.make_theme())
        make.make_official(country=["PK", "CN", "FR", "DE"][number % 4])
        make.make_project(sector=["energy", "transport"][number % 2]).themes.add(theme)
        make.make_source(published_on=datetime.date(2000 + number, 1, 1))


def grouped_queries(captured):
    return [query["sql"] for query in captured if "GROUP BY" in query["sql"]]


@pytest.mark.parametrize("url, facets", FACETED_LISTS.items())
def test_the_filters_cost_a_bounded_number_of_grouped_queries_however_many_values(
    client, make, no_page_cache, url, facets
):
    fill_lists(make, 3)
    few = queries_for(client, url)
    fill_lists(make, 12)
    assert queries_for(client, url) == few
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    assert len(grouped_queries(context.captured_queries)) == facets


@pytest.mark.parametrize("url, facets", FACETED_LISTS.items())
def test_counts_are_kept_while_the_tables_are_unchanged(
    client, make, settings, url, facets, page_cache
):
    settings.CPEC_PAGE_CACHE = False  # the count cache alone: each view renders afresh
    settings.CPEC_COUNT_CACHE = True
    fill_lists(make, 4)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as again:
        client.get(url + "?ordering=-" + ("name" if "officials" in url else "title"))
    assert len(grouped_queries(first.captured_queries)) == facets
    assert grouped_queries(again.captured_queries) == []
    assert len(again.captured_queries) <= len(first.captured_queries) - facets
