"""API v1: sources, organizations, themes, and what every endpoint shares (root, pagination,
errors, CSV, ETags, CORS, throttling, the schema and the docs)."""

import os
import re
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from cpec_tracker.settings import throttle_rate
from tests.api.helpers import get_json, queries_for, slugs

pytestmark = pytest.mark.django_db

COLLECTIONS = ["meetings", "officials", "projects", "organizations", "themes", "sources"]
SOURCE = "dawn-2025-01-12-cpec-jwg-icc"


def test_root_links_every_collection_the_schema_and_the_docs(client):
    data = get_json(client, "/api/v1/")
    assert data == {
        **{name: f"http://testserver/api/v1/{name}/" for name in COLLECTIONS},
        # Financing's rows are addressed by id (tests/projects/test_financing.py).
        "financing": "http://testserver/api/v1/financing/",
        "schema": "http://testserver/api/v1/schema/",
        "docs": "http://testserver/api/v1/docs/",
    }


@pytest.mark.parametrize("name", COLLECTIONS)
def test_every_collection_answers_with_a_page_of_published_records(
    client, seeded, name, django_assert_max_num_queries, no_page_cache
):
    # The list's own queries; with its facets: tests/cpec_tracker/test_api_facets.py.
    with django_assert_max_num_queries(3):
        data = get_json(client, f"/api/v1/{name}/?facets=false")
    assert data["count"] > 0
    assert data["previous"] is None
    for item in data["results"]:
        assert item["url"] == f"http://testserver/api/v1/{name}/{item['slug']}/"
        assert item["html_url"] == f"http://testserver/{name}/{item['slug']}/"
        # A project's detail reads the most: one query per kind of its rows (locations the
        # latest), whatever their number.
        with django_assert_max_num_queries(11):
            assert get_json(client, item["url"])["slug"] == item["slug"]


def test_source_list_detail_and_filters(client, seeded, make, page_cache_on_and_off):
    make.make_source(slug="unpublished", publication_status="draft")
    make.make_source(slug="old-report", kind="report", publisher="APP", published_on="2019-05-01")
    assert slugs(get_json(client, "/api/v1/sources/")) == [SOURCE, "old-report"]
    assert slugs(get_json(client, "/api/v1/sources/?kind=report")) == ["old-report"]
    assert slugs(get_json(client, "/api/v1/sources/?publisher=dawn")) == [SOURCE]
    assert slugs(get_json(client, "/api/v1/sources/?year=2019")) == ["old-report"]
    assert slugs(get_json(client, "/api/v1/sources/?q=Khunjerab")) == [SOURCE]
    assert slugs(get_json(client, "/api/v1/sources/?ordering=published_on")) == [
        "old-report",
        SOURCE,
    ]
    detail = get_json(client, f"/api/v1/sources/{SOURCE}/")
    assert "Khunjerab Pass" in detail["text"]
    assert detail["citations"][0]["fields"] == ["publisher", "published_on"]
    assert detail["citations"][0]["field_labels"] == ["Publisher", "Published on"]
    get_json(client, "/api/v1/sources/unpublished/", status=404)
    assert list(get_json(client, "/api/v1/sources/?kind=blog", status=400)["errors"]) == ["kind"]


def test_organization_list_detail_and_filters(client, make):
    parent = make.make_organization(slug="committee", kind="committee", name="Committee")
    make.make_organization(slug="group", kind="working_group", parent=parent, name="Group")
    make.make_organization(slug="hidden", parent=parent, publication_status="draft")
    make.make_organization(slug="ministry", country="PK", name="Ministry")
    assert slugs(get_json(client, "/api/v1/organizations/")) == ["committee", "group", "ministry"]
    assert slugs(get_json(client, "/api/v1/organizations/?kind=working_group")) == ["group"]
    assert slugs(get_json(client, "/api/v1/organizations/?country=PK")) == ["ministry"]
    assert slugs(get_json(client, "/api/v1/organizations/?ordering=-name")) == [
        "ministry",
        "group",
        "committee",
    ]
    group = get_json(client, "/api/v1/organizations/group/")
    assert group["parent"]["slug"] == "committee"
    committee = get_json(client, "/api/v1/organizations/committee/")
    assert [child["slug"] for child in committee["children"]] == ["group"]
    assert committee["meetings_url"] == "http://testserver/api/v1/meetings/?series=committee"
    assert (
        committee["officials_url"] == "http://testserver/api/v1/officials/?organization=committee"
    )


def test_theme_list_detail_and_filters(client, seeded):
    corridors = get_json(client, "/api/v1/themes/?kind=corridor")
    assert corridors["count"] == 5
    assert slugs(get_json(client, "/api/v1/themes/?q=green")) == ["green-corridor"]
    theme = get_json(client, "/api/v1/themes/clean-energy/")
    assert theme["name"] == "Clean energy"
    assert theme["meetings_url"] == "http://testserver/api/v1/meetings/?theme=clean-energy"
    assert slugs(get_json(client, theme["projects_url"])) == ["cpec-2-0"]


@pytest.mark.parametrize(
    ("collection", "add"),
    [
        ("sources", lambda make: make.make_citation(make.make_source())),
        ("organizations", lambda make: make.make_organization(parent=make.make_organization())),
        ("themes", lambda make: make.make_citation(make.make_theme())),
    ],
)
def test_vocabulary_queries_do_not_grow_with_rows(client, make, collection, add, no_page_cache):
    counts = []
    for count in (3, 30):
        for _ in range(count):
            add(make)
        record = get_json(client, f"/api/v1/{collection}/")["results"][0]
        counts.append(
            (
                queries_for(client, f"/api/v1/{collection}/"),
                queries_for(client, f"/api/v1/{collection}/?format=csv"),
                queries_for(client, record["url"]),
            )
        )
    assert counts[0] == counts[1]
    # 4, and the content type of the record whose citations the detail reads.
    assert max(counts[1]) <= 5


# Pagination


@pytest.fixture
def sixty_themes(make):
    # Equal names, so only the tiebreak on the primary key keeps the order stable.
    return [make.make_theme(name="Same name") for _ in range(60)]


def test_pages_hold_fifty_by_default_and_link_to_each_other(client, sixty_themes):
    first = get_json(client, "/api/v1/themes/")
    assert (first["count"], len(first["results"]), first["previous"]) == (60, 50, None)
    assert first["next"] == "http://testserver/api/v1/themes/?page=2"
    second = get_json(client, first["next"])
    assert len(second["results"]) == 10
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/themes/"
    in_order = sorted(sixty_themes, key=lambda theme: theme.pk)
    assert slugs(first) + slugs(second) == [theme.slug for theme in in_order]


def test_page_size_chooses_up_to_a_hundred_rows(client, sixty_themes):
    assert len(get_json(client, "/api/v1/themes/?page_size=7")["results"]) == 7
    assert len(get_json(client, "/api/v1/themes/?page_size=100")["results"]) == 60
    page = get_json(client, "/api/v1/themes/?page_size=7&page=9")
    assert len(page["results"]) == 4


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=two", "page=1.5", "page=", "page=%EF%BC%92", "page_size=0"]
    + ["page_size=101", "page_size=", "page_size=ten", "page_size=99999999999999999999"],
)
def test_bad_page_parameters_are_a_400_naming_them(
    client, sixty_themes, query, page_cache_on_and_off
):
    data = get_json(client, f"/api/v1/themes/?{query}", status=400)
    assert list(data["errors"]) == [query.split("=")[0]]


@pytest.mark.parametrize("page", ["3", "99", "1" + "0" * 30])
def test_a_page_past_the_end_is_a_404(client, sixty_themes, page, page_cache_on_and_off):
    data = get_json(client, f"/api/v1/themes/?page={page}", status=404)
    assert "last page is 2" in data["detail"]


def test_an_empty_list_has_a_first_page_and_nothing_after(client, db, page_cache_on_and_off):
    data = get_json(client, "/api/v1/meetings/")
    assert data.pop("facets")["kind"] == {"choices": [], "truncated": False}
    assert data == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    get_json(client, "/api/v1/meetings/?page=2", status=404)


# Errors and hostile input


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/nothing-here/", 404),
        ("/api/v1/meetings/no-such-meeting/", 404),
        ("/api/v1/meetings/not%20a%20slug/", 404),
        ("/api/v1/meetings/jwg-icc-5th-meeting/extra/", 404),
        ("/api/v1/meetings/%00/", 404),
        ("/api/v1/meetings/jwg-icc-5th-meeting/?format=csv", 400),
        ("/api/v1/meetings/?format=xml", 400),
    ],
)
def test_errors_under_the_api_are_json(client, seeded, url, status):
    assert get_json(client, url, status=status)["detail"]


def test_writes_are_refused_with_a_json_405(client, seeded):
    for method in (client.post, client.put, client.patch, client.delete):
        response = method("/api/v1/meetings/jwg-icc-5th-meeting/")
        assert response.status_code == 405
        assert response.json()["detail"]
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_a_path_without_its_slash_redirects_keeping_the_query(client, seeded):
    response = client.get("/api/v1/meetings?status=held")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/meetings/?status=held"


HOSTILE_VALUES = {
    "nul": "a%00b",
    "long": "x" * 10_000,
    "control": "%1B%5B31m",
    "bad utf-8": "%ED%A0%80%C0%AF",
    "right-to-left override": "%E2%80%AEgeb",
    "emoji": "%F0%9F%A6%84",
    "private use": "%EF%A3%BF",
}

LIST_PARAMETERS = {
    "meetings": ["q", "year", "series", "country", "official", "theme", "kind", "status"],
    "officials": ["q", "country", "organization", "current"],
    "projects": ["q", "sector", "status", "province", "kind", "theme", "parent"],
    "organizations": ["q", "kind", "country"],
    "themes": ["q", "kind"],
    "sources": ["q", "kind", "publisher", "year"],
}
COMMON_PARAMETERS = ["ordering", "page", "page_size", "format"]
# Free text may hold any printable character: these are just searches that find nothing.
SEARCHABLE = {"right-to-left override", "emoji", "private use", "bad utf-8"}


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_hostile_values_in_any_parameter_are_refused_never_a_500(
    client, seeded, collection, page_cache_on_and_off
):
    for parameter in LIST_PARAMETERS[collection] + COMMON_PARAMETERS:
        for label, value in HOSTILE_VALUES.items():
            response = client.get(f"/api/v1/{collection}/?{parameter}={value}")
            searchable = parameter in {"q", "publisher"} and label in SEARCHABLE
            expected = {200} if searchable else {400, 404}
            assert response.status_code in expected, (parameter, label, response.status_code)
            assert response["Content-Type"] == "application/json"


def test_hostile_slugs_and_parameter_names_are_refused(client, seeded, page_cache_on_and_off):
    for value in HOSTILE_VALUES.values():
        assert client.get(f"/api/v1/officials/{value}/").status_code == 404
        assert client.get(f"/api/v1/officials/?{value}=1").status_code in {200, 400}


# Conditional requests, CORS, throttling


def test_etag_gives_a_304_until_the_record_changes(client, seeded, page_cache_on_and_off):
    url = "/api/v1/meetings/jwg-icc-5th-meeting/"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    list_etag = client.get("/api/v1/meetings/")["ETag"]
    assert client.get("/api/v1/meetings/", HTTP_IF_NONE_MATCH=list_etag).status_code == 304

    from meetings.models import Meeting

    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    meeting.city = "Shanghai"
    meeting.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_any_origin_may_read_the_api_without_credentials(client, seeded):
    response = client.get("/api/v1/meetings/", HTTP_ORIGIN="https://newsroom.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/meetings/",
        HTTP_ORIGIN="https://newsroom.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    page = client.get("/meetings/", HTTP_ORIGIN="https://newsroom.example")
    assert "Access-Control-Allow-Origin" not in page


def test_too_many_requests_get_a_json_429_with_retry_after(client, settings, db):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"},
    }
    assert client.get("/api/v1/themes/").status_code == 200
    assert client.get("/api/v1/themes/").status_code == 200
    response = client.get("/api/v1/themes/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    other_client = client.get("/api/v1/themes/", REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 200


def test_throttle_rate_setting_is_checked_and_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("CPEC_API_THROTTLE_RATE", "off")
    assert throttle_rate("CPEC_API_THROTTLE_RATE", "10/minute") is None
    monkeypatch.setenv("CPEC_API_THROTTLE_RATE", "500/hour")
    assert throttle_rate("CPEC_API_THROTTLE_RATE", "10/minute") == "500/hour"
    monkeypatch.setenv("CPEC_API_THROTTLE_RATE", "lots")
    with pytest.raises(ImproperlyConfigured):
        throttle_rate("CPEC_API_THROTTLE_RATE", "10/minute")


def test_cache_is_redis_when_redis_url_is_set():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cpec_tracker.settings"}
    backends = []
    for redis_url in ("redis://127.0.0.1:6379/0", ""):
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env={**env, "REDIS_URL": redis_url},
            capture_output=True,
            text=True,
            check=True,
            cwd=django_settings.BASE_DIR,
        )
        backends.append(result.stdout.strip())
    assert backends == [
        "cpec_tracker.caching.redis_cache.ResilientRedisCache",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


# Schema and docs


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "schema.yml")


def test_schema_documents_errors_csv_and_slug_patterns(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operations = [op for path in schema["paths"].values() for op in path.values()]
    # The root, and a list and a detail for each of the seven collections.
    assert len(operations) == 15
    for operation in operations:
        assert {"200", "400", "404", "429"} <= set(operation["responses"])
    detail = schema["paths"]["/api/v1/meetings/{slug}/"]["get"]
    assert detail["parameters"][0]["schema"]["pattern"] == "^[-a-zA-Z0-9_]+$"
    listing = schema["paths"]["/api/v1/meetings/"]["get"]
    assert "text/csv" in listing["responses"]["200"]["content"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    # `lang` and the Accept-Language header choose the language of names and labels.
    assert names == {
        *LIST_PARAMETERS["meetings"],
        *COMMON_PARAMETERS,
        "lang",
        "Accept-Language",
        "expand",
        "facets",
    }


@pytest.mark.parametrize("cache", ["off", "on"])
@pytest.mark.parametrize("version", ["\x00", "a\nb", "x" * 400])
def test_schema_refuses_a_version_it_would_write_into_a_header(client, request, cache, version):
    # drf-spectacular names the file after ?version=; a control character there was a 500.
    if cache == "on":
        request.getfixturevalue("page_cache")
    response = client.get("/api/v1/schema/", {"version": version})
    assert response.status_code == 400
    assert "version" in response.content.decode()


def test_schema_is_generated_one_request_at_a_time(client, monkeypatch):
    # gunicorn's threaded workers serve requests side by side; drf-spectacular's lazy loading
    # of its extensions is not safe for that, so schema requests queue for one lock.
    from drf_spectacular.generators import SchemaGenerator

    generate = SchemaGenerator.get_schema
    running, most = [0], [0]
    lock = threading.Lock()

    def watched(self, *args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.2)
            return generate(self, *args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(SchemaGenerator, "get_schema", watched)
    statuses = []
    threads = [
        threading.Thread(
            target=lambda: statuses.append(Client().get("/api/v1/schema/").status_code)
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200, 200]
    assert most[0] == 1


@pytest.mark.parametrize("method", ["options", "put", "delete", "post", "patch"])
def test_docs_answer_other_methods_with_405(client, method):
    response = getattr(client, method)("/api/v1/docs/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_docs_are_served_from_the_site_with_no_inline_script_or_style(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and "style=" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert "//cdn" not in html and "https://" not in html
    for path in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert client.get(path).status_code == 200, path
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_a_search_of_only_spaces_searches_for_nothing_but_a_blank_one_is_refused(
    client, seeded, page_cache_on_and_off
):
    assert get_json(client, "/api/v1/themes/?q=%C2%A0+")["count"] == 15
    assert list(get_json(client, "/api/v1/themes/?q=", status=400)["errors"]) == ["q"]
    assert list(get_json(client, "/api/v1/sources/?year=+", status=400)["errors"]) == ["year"]
