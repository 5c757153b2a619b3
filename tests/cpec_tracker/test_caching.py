"""The page cache never serves stale data, never stores drafts, editors' pages or the admin."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from cpec_tracker.caching import dataversion, shared_versions
from cpec_tracker.caching.pages import VersionedCountPaginator, code_version, is_cacheable_response
from meetings.models import Meeting
from projects.models import Project
from tests.pages import queries_for

pytestmark = pytest.mark.django_db

A_DAY = datetime.date(2025, 1, 1)
API_COLLECTIONS = ["meetings", "officials", "projects", "organizations", "themes", "sources"]


@pytest.fixture
def stored_keys(page_cache, monkeypatch):
    """The keys the page cache stores during the test."""
    keys = []
    original_set = page_cache.set

    def recording_set(key, *args, **kwargs):
        keys.append(key)
        return original_set(key, *args, **kwargs)

    monkeypatch.setattr(page_cache, "set", recording_set)
    return keys


def api_path(path):
    """`path` if the API serves it on this branch, else skip the test."""
    try:
        resolve(path)
    except Resolver404:
        pytest.skip(f"{path} does not resolve yet")
    return path


# The data version


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda m: m.make_meeting(), id="create"),
        pytest.param(lambda m: Meeting.objects.update(title="Renamed"), id="queryset-update"),
        pytest.param(
            lambda m: Meeting.objects.bulk_create([Meeting(slug="b", title="B", date=A_DAY)]),
            id="bulk-create",
        ),
        pytest.param(lambda m: Meeting.objects.all().delete(), id="delete"),
        pytest.param(lambda m: Meeting.objects.get().themes.add(m.make_theme()), id="m2m-add"),
        pytest.param(lambda m: m.make_citation(Meeting.objects.get()), id="citation"),
        pytest.param(lambda m: m.make_key_figure(), id="child-row"),
    ],
)
def test_every_kind_of_write_changes_the_data_version(make, change):
    make.make_meeting()
    before = dataversion.current()
    change(make)
    assert dataversion.current() != before


def test_every_tracker_table_has_a_data_version_trigger(db):
    from django.apps import apps

    tables = dataversion.tracked_tables(apps, connection)
    assert {"meetings_meeting", "meetings_meeting_themes", "projects_project"} <= set(tables)
    assert dataversion.VERSION_TABLE not in tables
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT event_object_table FROM information_schema.triggers")
        with_trigger = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= with_trigger


def test_data_version_survives_a_flush(make):
    call_command("flush", interactive=False, verbosity=0)
    before = dataversion.current()
    make.make_project()
    assert dataversion.current() != before


def test_the_seed_command_changes_the_data_version(seeded):
    assert dataversion.current() is not None


# No stale pages


def test_edited_meeting_shows_on_the_next_request(client, make, page_cache):
    meeting = make.make_meeting(title="Before the edit")
    assert "Before the edit" in client.get(meeting.get_absolute_url()).content.decode()
    meeting.title = "After the edit"
    meeting.save()
    assert "After the edit" in client.get(meeting.get_absolute_url()).content.decode()


def test_bulk_update_shows_on_the_next_request(client, make, page_cache):
    make.make_project(title="Old title")
    assert "Old title" in client.get("/projects/").content.decode()
    Project.objects.update(title="New title")
    assert "New title" in client.get("/projects/").content.decode()


def test_cache_hit_costs_one_query_and_renders_nothing(
    client, make, page_cache, django_assert_num_queries
):
    make.make_meeting(title="Cached meeting")
    first = client.get("/meetings/")
    with django_assert_num_queries(1):
        second = client.get("/meetings/")
    assert second.content == first.content


def test_api_shows_an_edit_on_the_next_request(client, make, page_cache):
    meeting = make.make_meeting(title="Before the edit")
    path = api_path(f"/api/v1/meetings/{meeting.slug}/")
    assert "Before the edit" in client.get(path).content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(title="After the edit")
    assert "After the edit" in client.get(path).content.decode()


def test_api_list_shows_a_new_record_on_the_next_request(client, make, page_cache):
    path = api_path("/api/v1/projects/")
    make.make_project(title="First project")
    assert "Second project" not in client.get(path).content.decode()
    make.make_project(title="Second project")
    assert "Second project" in client.get(path).content.decode()


# Drafts, editors, the admin


def test_unpublished_meeting_disappears_on_the_next_request(client, make, page_cache_on_and_off):
    meeting = make.make_meeting(title="Soon a draft")
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert "Soon a draft" in client.get("/meetings/").content.decode()
    meeting.publication_status = "draft"
    meeting.save()
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert "Soon a draft" not in client.get("/meetings/").content.decode()


def test_published_draft_appears_on_the_next_request(client, make, page_cache_on_and_off):
    meeting = make.make_meeting(title="A draft", publication_status="draft")
    assert client.get(meeting.get_absolute_url()).status_code == 404
    meeting.publication_status = "published"
    meeting.save()
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_editor_requests_are_never_stored_or_served_from_the_cache(
    editor_client, make, stored_keys
):
    make.make_meeting(title="Seen by an editor")
    assert editor_client.get("/meetings/").status_code == 200
    assert editor_client.get("/admin/meetings/meeting/").status_code == 200
    # Only pages count: a list's count is keyed on its exact SQL, so it is safe to share.
    assert [key for key in stored_keys if key.startswith("cpec-page:")] == []


def test_admin_is_never_cached(admin_client, db, stored_keys):
    assert Client().get("/admin/login/").status_code == 200
    assert admin_client.get("/admin/").status_code == 200
    assert stored_keys == []


def test_responses_that_set_a_cookie_or_are_private_are_not_stored():
    request = RequestFactory().get("/")
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("csrftoken", "secret")
    private = HttpResponse("x", headers={"Cache-Control": "private"})
    assert is_cacheable_response(request, HttpResponse("x"))
    assert not is_cacheable_response(request, with_cookie)
    assert not is_cacheable_response(request, private)
    assert not is_cacheable_response(request, HttpResponse("x", status=404))


# Headers


def test_public_page_has_etag_and_answers_304_until_the_data_changes(client, make, page_cache):
    meeting = make.make_meeting()
    first = client.get("/meetings/")
    assert "public" in first["Cache-Control"]
    assert "max-age=0" in first["Cache-Control"]
    etag = first["ETag"]
    assert client.get("/meetings/", headers={"if-none-match": etag}).status_code == 304
    meeting.title = "Changed"
    meeting.save()
    assert client.get("/meetings/", headers={"if-none-match": etag}).status_code == 200


def test_switched_off_page_cache_reads_no_data_version(client, make, no_page_cache):
    theme = make.make_theme()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(theme.get_absolute_url())
    assert response.status_code == 200
    assert "ETag" not in response
    assert not [query for query in queries if dataversion.VERSION_TABLE in query["sql"]]


def test_trivial_view_is_tiny_and_never_touches_the_database(
    client, page_cache, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok\n"


def test_head_request_is_answered_from_the_stored_page(client, make, page_cache):
    make.make_meeting()
    stored = client.get("/meetings/")
    head = client.head("/meetings/")
    assert head.status_code == 200
    assert head["ETag"] == stored["ETag"]
    assert head.content == b""


def test_anonymous_request_with_a_session_cookie_is_not_served_from_the_cache(
    client, make, page_cache
):
    make.make_meeting()
    client.get("/meetings/")
    client.cookies["sessionid"] = "not-a-session"
    response = client.get("/meetings/")
    assert response.status_code == 200
    assert "ETag" not in response


def test_list_is_counted_once_per_data_version_whatever_its_order(make, page_cache):
    make.make_project()
    published = Project.objects.published()
    assert VersionedCountPaginator(published.order_by("title"), 25).count == 1
    with CaptureQueriesContext(connection) as queries:
        assert VersionedCountPaginator(published.order_by("-updated_at"), 25).count == 1
    assert not [query for query in queries if "COUNT" in query["sql"]]
    make.make_project(publication_status="draft")
    make.make_project()
    assert VersionedCountPaginator(published.order_by("title"), 25).count == 2


def counted(queryset, queries):
    """`queryset`'s count through the count cache, and whether it ran a COUNT to get it."""
    with CaptureQueriesContext(connection) as captured:
        count = VersionedCountPaginator(queryset, 25).count
    queries.append(any("COUNT(" in query["sql"].upper() for query in captured))
    return count


def test_an_edit_of_prose_alone_leaves_the_counts_standing_and_any_other_counts_again(
    make, page_cache
):
    project = make.make_project(summary="A port.")
    make.make_project(status="operational")
    planned, counting = Project.objects.published().filter(status="planned"), []
    assert counted(planned, counting) == 1
    # The editor mends the summary, through the form's save and in bulk: the count stands.
    project.summary = "A deep-sea port."
    project.save()
    Project.objects.filter(pk=project.pk).update(summary="A deep-sea port at Gwadar.")
    assert counted(planned, counting) == 1
    assert counting == [True, False]
    # Any other change counts again: a field the filter reads, a row added, a row withdrawn.
    Project.objects.filter(pk=project.pk).update(status="operational")
    assert counted(planned, counting) == 0
    make.make_project(status="planned")
    assert counted(planned, counting) == 1
    project.status = "planned"
    project.publication_status = "draft"
    project.save()
    assert counted(planned, counting) == 1
    assert counting == [True, False, True, True, True]


def test_a_count_that_reads_the_prose_counts_again_when_it_changes(make, page_cache):
    project = make.make_project(summary="A port.")
    mentions = Project.objects.published().filter(summary__icontains="coal")
    assert VersionedCountPaginator(mentions, 25).count == 0
    project.summary = "A coal power plant."
    project.save()
    assert VersionedCountPaginator(mentions, 25).count == 1
    found = Project.objects.published().search("lignite")
    assert VersionedCountPaginator(found, 25).count == 0
    Project.objects.filter(pk=project.pk).update(summary="A lignite power plant.")
    assert VersionedCountPaginator(found, 25).count == 1


@pytest.mark.parametrize(
    "sql, read",
    [
        ('SELECT COUNT(*) FROM "projects_project" WHERE "projects_project"."status" = %s', False),
        ('SELECT "projects_project"."summary" FROM "projects_project"', True),
        ('SELECT "projects_project"."updated_at" FROM "projects_project"', True),
        ("SELECT * FROM projects_project", True),
        (
            "SELECT id FROM projects_project WHERE rowid IN (SELECT rowid FROM "
            "projects_project_fts WHERE projects_project_fts MATCH %s)",
            True,
        ),
    ],
)
def test_what_reads_a_tables_prose(sql, read):
    assert ("projects_project" in dataversion.tables_prose_read(sql)) is read


def without_prose_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT event_object_table, trigger_name FROM information_schema.triggers"
            )
        return {table for table, name in cursor.fetchall() if "_without_prose_" in name}


def test_a_migration_runs_with_the_prose_set_aside_and_finds_it_back_after(make):
    assert {"projects_project", "meetings_meeting"} <= without_prose_triggers()
    assert "projects_project_themes" not in without_prose_triggers()  # no prose: no second version
    make.make_project()
    before = dataversion.versions()["projects_project#without-prose"]
    dataversion.set_prose_aside(None, using="default")
    assert not without_prose_triggers()
    # Meanwhile a figure goes by the table's own version, which every write moves.
    make.make_project()
    versions = dataversion.versions()
    assert not [table for table in versions if table.endswith(dataversion.WITHOUT_PROSE)]
    sql = 'SELECT COUNT(*) FROM "projects_project"'
    assert dataversion.counted_versions(sql, versions) == (
        ("projects_project", versions["projects_project"]),
    )
    dataversion.install_triggers(None, using="default")
    assert {"projects_project", "meetings_meeting"} <= without_prose_triggers()
    # Back at once, at a version never seen before, before any write.
    versions = dataversion.versions()
    assert versions["projects_project#without-prose"] != before
    assert dataversion.counted_versions(sql, versions) == (
        ("projects_project#without-prose", versions["projects_project#without-prose"]),
    )


def test_home_page_figures_are_counted_once_per_version_of_their_tables(client, make, settings):
    # The page cache off (explicitly), the count cache on: the figures are stored on their
    # own, per table version.
    settings.CPEC_PAGE_CACHE = False
    make.make_project(status="operational")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/")
    assert not [query for query in queries if "COUNT(" in query["sql"].upper()]
    # One reading of the versions serves every figure on the page.
    assert len([query for query in queries if "tableversion" in query["sql"]]) == 1
    assert "<strong>1</strong> project" in first.text
    assert status_row("operational", "Operational", 1) in first.text
    # A save, a draft and a bulk update (no signal): all seen on the next request.
    make.make_project(status="operational")
    make.make_project(status="planned", publication_status="draft")
    Project.objects.filter(status="operational").update(status="under_construction")
    second = client.get("/")
    assert "<strong>2</strong> projects" in second.text
    assert status_row("operational", "Operational", 0) in second.text
    assert status_row("under_construction", "Under construction", 2) in second.text
    assert status_row("planned", "Planned", 0) in second.text


def status_row(value, label, count):
    """A row of the home page's projects-by-status table, as the page writes it."""
    return f'<a href="/projects/?status={value}">{label}</a></th><td><bdi>{count}</bdi></td>'


@pytest.fixture
def fresh_code_version():
    code_version.cache_clear()
    yield
    code_version.cache_clear()


def test_a_new_release_never_serves_the_previous_releases_pages(
    client, make, page_cache, settings, fresh_code_version
):
    make.make_meeting()
    before = client.get("/meetings/")
    settings.CPEC_RELEASE = "the next release"
    code_version.cache_clear()
    after = client.get("/meetings/", headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


# Lists that can match nothing (a bad filter, a search of punctuation only)

# What a bad filter value gets (400, naming it) or a search with no word in it (no results).
EMPTY_LISTS = {
    "/meetings/?status=bogus": 400,
    "/meetings/?year=abc": 400,
    "/officials/?country=ZZ": 400,
    "/projects/?theme=no-such-theme": 400,
    "/meetings/?ordering=password": 400,
    "/meetings/?q=*": 200,
    "/projects/?q=%22": 200,
    "/meetings/?q=%ED%A0%80": 200,
    "/api/v1/projects/?q=%25": 200,
    "/api/v1/themes/?q=%3D": 200,
    "/api/v1/sources/?q=%5C": 200,
    "/api/v1/meetings/?q=%ED%A0%80": 200,
    "/api/v1/projects/?status=bogus": 400,
}


@pytest.mark.parametrize(("path", "status"), EMPTY_LISTS.items())
def test_list_that_can_match_nothing_is_answered_not_a_500(
    client, make, page_cache_on_and_off, path, status
):
    make.make_meeting()  # a data version, so the cache and the versioned count are in play
    for _ in range(2):  # the miss, then the hit
        assert client.get(path).status_code == status


@pytest.mark.parametrize("terms", ["*", '"', "^", ":", "-", "AND", "NEAR(", "a:b", "x AND", "%"])
def test_search_of_operators_only_is_answered_on_both_databases(client, make, terms):
    make.make_project(title="Chashma AND nuclear NEAR(")
    for path in ("/projects/", "/api/v1/projects/", "/search/"):
        assert client.get(path, {"q": terms}).status_code == 200, path


def test_empty_list_counts_zero_without_a_query(make, page_cache, django_assert_num_queries):
    make.make_project()
    with django_assert_num_queries(0):
        assert VersionedCountPaginator(Project.objects.none(), 25).count == 0
    with django_assert_num_queries(0):
        assert VersionedCountPaginator(Project.objects.filter(pk__in=[]), 25).count == 0


# One ETag per response, whoever serves it

ETAG_PATHS = [
    "/",
    "/meetings/",
    "/meetings/jwg-icc-5th-meeting/",
    "/projects/?status=under_construction",
    *(f"/api/v1/{name}/" for name in API_COLLECTIONS),
    "/api/v1/meetings/jwg-icc-5th-meeting/",
]


@pytest.mark.parametrize("path", ETAG_PATHS)
def test_etag_a_client_received_gets_a_304_on_a_cache_hit_and_on_a_miss(
    client, seeded, page_cache, path
):
    rendered = client.get(path)  # a miss: the view renders, the cache stores
    assert rendered.status_code == 200
    etag = rendered["ETag"]
    from_cache = client.get(path)  # a hit
    assert from_cache["ETag"] == etag
    assert from_cache.content == rendered.content
    hit = client.get(path, headers={"if-none-match": etag})
    assert hit.status_code == 304
    assert hit["ETag"] == etag
    page_cache.clear()  # as on another worker or app server, which never rendered the page
    miss = client.get(path, headers={"if-none-match": etag})
    assert miss.status_code == 304
    assert miss["ETag"] == etag
    assert client.get(path, headers={"if-none-match": f'"x", {etag}'}).status_code == 304


# What the cache costs: the query-count tests elsewhere count a view's own queries with the
# cache off (`no_page_cache`); this is what the cache adds on a miss and costs on a hit.


@pytest.mark.parametrize(
    "path",
    [
        *ETAG_PATHS,
        "/officials/amna-baloch/",
        "/projects/chashma-nuclear-power-plant-unit-5/",
        "/sources/",
        "/sources/dawn-2025-01-12-cpec-jwg-icc/",
        "/organizations/jwg-icc/",
        "/themes/clean-energy/",
        "/search/?q=CPEC",
    ],
)
def test_a_miss_adds_at_most_two_queries_and_a_hit_costs_one(client, seeded, settings, path):
    settings.CPEC_PAGE_CACHE = False
    own = queries_for(client, path)
    settings.CPEC_PAGE_CACHE = True
    # The data version, read by the middleware and again by a list's count.
    assert queries_for(client, path) <= own + 2
    # The versions, or none when Redis keeps them (committed data: the seed).
    assert queries_for(client, path) == (0 if shared_versions.kept_in_cache() else 1)


@pytest.mark.parametrize("path", ["/meetings/", "/api/v1/meetings/"])
def test_etag_of_the_previous_data_gets_the_new_page(client, seeded, page_cache, path):
    etag = client.get(path)["ETag"]
    Meeting.objects.update(title="Renamed")
    changed = client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Renamed" in changed.content.decode()


@pytest.mark.parametrize(
    "if_none_match",
    ["W/", '"unterminated', "W/x", ",,,", 'W/"x", garbage', "é\u00ff", "x" * 10_000, '""', "*"],
)
@pytest.mark.parametrize("path", ["/meetings/", "/api/v1/meetings/", "/no-such-page/"])
def test_malformed_if_none_match_is_no_500(
    client, make, page_cache_on_and_off, path, if_none_match
):
    make.make_meeting()
    for _ in range(2):  # the miss, then the hit
        response = client.get(path, headers={"if-none-match": if_none_match})
        if path == "/no-such-page/":
            assert response.status_code == 404
        elif if_none_match == "*":  # "any version": this address has one
            assert response.status_code in (200, 304)
        else:
            assert response.status_code == 200
