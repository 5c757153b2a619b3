"""API v1's parameters as a client meets them: an unknown or repeated parameter is a 400 that
lists what the endpoint takes, a bad choice lists the choices, a missing record's 404 names its
kind and slug, `format=` wins over `Accept`, each filter is described in the schema, and the
site, the docs and /api/ lead to one another (issue 23, point 4)."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings

from cpec_tracker.api.schema import CHANGELOG_PATH
from cpec_tracker.records import registry
from tests.api.helpers import get_json

pytestmark = pytest.mark.django_db

COLLECTIONS = registry.collections()
EXAMPLE_DETAILS = {name: viewset.example_slug for name, viewset in COLLECTIONS.items()}
# The collections whose records are addressed by slug (financing's rows are by id, and the
# seed has none: tests/projects/test_financing.py reads them).
SLUG_COLLECTIONS = [name for name, viewset in COLLECTIONS.items() if viewset.lookup_field == "slug"]
PAGE_AND_FORMAT = ["page", "page_size", "format", "lang"]


def schema_of(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def query_parameter_names(operation):
    return [
        parameter["name"] for parameter in operation["parameters"] if parameter["in"] == "query"
    ]


# Unknown and repeated parameters


def test_an_unknown_parameter_was_a_silent_wrong_answer_and_is_now_a_400(
    client, seeded, page_cache_on_and_off
):
    # The client: `date_after` is no filter, and every meeting came back.
    data = get_json(client, "/api/v1/meetings/?date_after=2024-01-01", status=400)
    assert list(data["errors"]) == ["date_after"]
    assert data["allowed_parameters"] == [
        *["q", "year", "series", "country", "official", "theme", "kind", "status", "ordering"],
        *PAGE_AND_FORMAT,
        "expand",
        "facets",
    ]
    assert "it takes: q, year, series" in data["errors"]["date_after"][0]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_every_list_takes_what_its_schema_documents_and_nothing_else(
    client, seeded, collection, django_assert_max_num_queries
):
    listing = schema_of(client)["paths"][f"/api/v1/{collection}/"]["get"]
    documented = query_parameter_names(listing)
    with django_assert_max_num_queries(1):
        data = get_json(client, f"/api/v1/{collection}/?colour=red", status=400)
    assert sorted(data["allowed_parameters"]) == sorted(documented)
    assert list(data["errors"]) == ["colour"]
    # Derived from the FilterSet: a filter added there is allowed without another list.
    filters = list(COLLECTIONS[collection].filterset_class.base_filters)
    expand = ["expand"] if COLLECTIONS[collection].expansions else []
    assert data["allowed_parameters"] == [*filters, *PAGE_AND_FORMAT, *expand, "facets"]


@pytest.mark.parametrize("collection", SLUG_COLLECTIONS)
def test_a_detail_takes_its_filters_format_and_lang_but_no_page(
    client, seeded, collection, page_cache_on_and_off
):
    url = f"/api/v1/{collection}/{EXAMPLE_DETAILS[collection]}/"
    data = get_json(client, f"{url}?page=2", status=400)
    filters = list(COLLECTIONS[collection].filterset_class.base_filters)
    assert data["allowed_parameters"] == [*filters, "format", "lang"]
    assert list(data["errors"]) == ["page"]
    assert get_json(client, f"{url}?lang=ur&format=json")["slug"] == EXAMPLE_DETAILS[collection]


def test_a_detail_still_reads_its_collections_filters(client, seeded):
    url = "/api/v1/meetings/jwg-icc-5th-meeting/"
    assert get_json(client, f"{url}?status=held")["slug"] == "jwg-icc-5th-meeting"
    data = get_json(client, f"{url}?status=cancelled", status=404)
    assert data["detail"] == (
        "No published meeting with the slug “jwg-icc-5th-meeting” matches the filters given."
    )


@pytest.mark.parametrize(
    "query",
    ["status=held&status=scheduled", "q=jwg&q=icc", "page=1&page=1", "format=json&format=csv"]
    + ["lang=en&lang=ur", "ordering=date&ordering=title"],
)
def test_a_single_valued_parameter_given_twice_is_a_400(
    client, seeded, query, page_cache_on_and_off
):
    # It read as its last value without a word: `status=held&status=scheduled` was "scheduled".
    data = get_json(client, f"/api/v1/meetings/?{query}", status=400)
    name = query.split("=")[0]
    # `lang=en&lang=ur` answers in the language the request ended up in (Urdu, the last).
    message = "2 بار دیا گیا؛ ایک بار دیں۔" if name == "lang" else "Given 2 times; give it once."
    assert data["errors"] == {name: [message]}
    assert "status" in data["allowed_parameters"]


def test_a_repeated_parameter_on_a_detail_is_a_400(client, seeded):
    data = get_json(client, "/api/v1/projects/cpec-2-0/?lang=ur&lang=en", status=400)
    assert list(data["errors"]) == ["lang"]


def test_unknown_and_repeated_parameters_are_all_named_at_once(client, seeded):
    data = get_json(client, "/api/v1/projects/?kind=project&kind=facility&colour=red", status=400)
    assert set(data["errors"]) == {"kind", "colour"}


def test_every_parameter_the_site_and_the_benchmark_send_is_still_taken(client, seeded):
    for url in [
        "/api/v1/projects/?status=operational&ordering=-updated_at",
        "/api/v1/projects/?q=chashma+nuclear",
        "/api/v1/projects/?page_size=1",
        "/api/v1/meetings/?series=jwg-icc&ordering=-date&page=1&page_size=10&lang=zh-hans",
        "/api/v1/officials/?country=PK&current=true&organization=jwg-icc",
        "/api/v1/sources/?publisher=dawn&year=2025&kind=news_report",
    ]:
        get_json(client, url)


def test_a_list_page_given_a_filter_twice_links_an_export_the_api_takes(client, seeded, make):
    make.make_project(slug="zeta-plant", title="Zeta plant", status="suspended")
    # The page's form reads the last value; its download links carry that one only.
    page = client.get("/projects/?status=operational&status=suspended")
    links = re.findall(r'href="(/api/v1/[^"]+)" download', page.content.decode())
    assert links[0] == "/api/v1/projects/?status=suspended&amp;format=csv"
    response = client.get(links[0].replace("&amp;", "&"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["slug"] for row in rows] == ["zeta-plant"]


# Choices, and records not found


@pytest.mark.parametrize(
    ("url", "choices"),
    [
        ("/api/v1/meetings/?status=postponed", "Choose one of: scheduled, held, cancelled."),
        ("/api/v1/sources/?kind=blog", "Choose one of: news_report, official_statement,"),
        ("/api/v1/themes/?ordering=size", "Choose one of: name, -name, kind, -kind."),
        ("/api/v1/organizations/?country=XX", "Choose one of: AF, AX,"),
    ],
)
def test_a_value_that_is_not_a_choice_lists_the_choices(client, seeded, url, choices):
    data = get_json(client, url, status=400)
    [(name, messages)] = data["errors"].items()
    assert name in url
    assert messages[-1].startswith(choices)


def test_a_bad_slug_in_a_filter_does_not_list_every_record(client, seeded):
    data = get_json(client, "/api/v1/meetings/?official=not%20a%20slug", status=400)
    assert not any("Choose one of" in message for message in data["errors"]["official"])


@pytest.mark.parametrize("collection", SLUG_COLLECTIONS)
def test_a_missing_record_names_its_kind_and_slug(
    client, seeded, collection, page_cache_on_and_off
):
    data = get_json(client, f"/api/v1/{collection}/no-such-record/", status=404)
    kind = COLLECTIONS[collection].model._meta.verbose_name
    assert data["detail"] == f"No published {kind} has the slug “no-such-record”."


def test_a_draft_is_missing_like_any_record(client, make):
    make.make_project(slug="secret-plant", publication_status="draft")
    data = get_json(client, "/api/v1/projects/secret-plant/", status=404)
    assert data["detail"] == "No published project has the slug “secret-plant”."


def test_a_filter_naming_no_record_says_which_kind(client, seeded):
    data = get_json(client, "/api/v1/meetings/?official=nobody", status=404)
    assert data["errors"] == {"official": ["No published official has the slug “nobody”."]}


# format= and Accept


@pytest.mark.parametrize("accept", ["application/json", "text/html", "application/xml"])
def test_format_wins_over_accept(client, seeded, accept, page_cache_on_and_off):
    response = client.get("/api/v1/themes/?format=csv&kind=corridor", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 5
    jsonl = client.get("/api/v1/themes/?format=jsonl", HTTP_ACCEPT=accept)
    assert jsonl["Content-Type"] == "application/x-ndjson; charset=utf-8"
    data = get_json(client, "/api/v1/themes/?format=json", HTTP_ACCEPT="text/csv")
    assert data["count"] == 15


def test_accept_still_chooses_without_format(client, seeded):
    response = client.get("/api/v1/themes/", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    refused = get_json(client, "/api/v1/themes/", status=406, HTTP_ACCEPT="application/xml")
    assert "format=" in refused["detail"] and "csv" in refused["detail"]


def test_a_detail_has_no_csv_whatever_the_accept_header(client, seeded):
    data = get_json(
        client, "/api/v1/themes/clean-energy/?format=csv", status=400, HTTP_ACCEPT="text/csv"
    )
    assert data["errors"] == {"format": ["Choose one of: json."]}


# The schema describes each filter


def every_model_help_text():
    return {
        str(field.help_text)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "help_text", "")
    }


def test_every_query_parameter_of_every_operation_says_what_it_does(client):
    help_texts = every_model_help_text()
    described = 0
    for path, operations in schema_of(client)["paths"].items():
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] != "query":
                continue
            description = parameter.get("description") or ""
            summary = description.split("\n\n*")[0]
            assert len(summary) > 15, (path, parameter["name"], description)
            assert summary not in help_texts, (path, parameter["name"], summary)
            described += 1
    assert described > 50


def test_year_publisher_and_format_are_described(client):
    parameters = {
        parameter["name"]: parameter["description"]
        for parameter in schema_of(client)["paths"]["/api/v1/sources/"]["get"]["parameters"]
    }
    assert parameters["year"] == "Sources published in this year: `2025`."
    assert parameters["publisher"].startswith("Sources from this publisher")
    assert "wins over the `Accept` header" in parameters["format"]
    assert "`-` in" in parameters["ordering"]


# Links between the site, the API and its docs


def test_api_redirects_to_the_current_version_for_now(client, page_cache_on_and_off):
    response = client.get("/api/")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/"
    assert client.get("/api/?format=json")["Location"] == "/api/v1/?format=json"
    assert client.get("/api", follow=True).redirect_chain[-1] == ("/api/v1/", 302)


@pytest.mark.parametrize("prefix", ["", "/ur", "/zh-hans"])
def test_the_site_links_the_api_and_the_data_in_its_header_and_footer(client, db, prefix):
    html = client.get(f"{prefix}/").content.decode()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    footer = html.split('<footer class="site-footer">')[1].split("</footer>")[0]
    for part in (header, footer):
        assert '<a href="/api/v1/docs/" lang="en">API</a>' in part
        assert f'href="{prefix}/data/"' in part
    if prefix == "/ur":
        assert "اوپن ڈیٹا" in header


def test_the_api_docs_link_back_to_the_site(client, db):
    html = client.get("/api/v1/docs/").content.decode()
    assert '<a href="/">CPEC Tracker</a>' in html
    assert 'href="/data/"' in html


def test_the_served_description_links_the_site_and_carries_the_changelog(client):
    description = schema_of(client)["info"]["description"]
    assert "[CPEC Tracker](/)" in description
    assert "[open data](/data/)" in description
    changelog = CHANGELOG_PATH.read_text()
    dates = re.findall(r"^## (\d{4}-\d{2}-\d{2})$", changelog, flags=re.MULTILINE)
    assert "2026-12-06" in dates
    for date in dates:
        assert f"\n### {date}\n" in description
    assert "unknown query parameters are a 400" in description


def test_the_changelog_is_linked_from_the_docs_index_and_the_api_page():
    docs = Path(django_settings.BASE_DIR) / "docs"
    for page in ("index.md", "api.md"):
        assert "(api-changelog.md)" in (docs / page).read_text()
