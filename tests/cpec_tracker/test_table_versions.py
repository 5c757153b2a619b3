"""Per-table invalidation: a write makes cold exactly the pages that read what it wrote.

Every page is keyed on the versions of the tables its queries read, so these tests warm a page
(render, then a hit from the cache), make one kind of write, and check the very next request
shows it — on the record's own page, on the lists, and on other records' pages that show it
(a meeting page shows its officials, its series and its themes).
"""

import types

import pytest
from django.core.management import call_command
from django.db import connection

from cpec_tracker.caching import dataversion
from cpec_tracker.records.models import Citation, Organization, PublicationStatus, Theme
from meetings.models import Meeting, Official
from projects.models import Milestone, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make):
    """A theme, a series with an official in office, a meeting of it with that official, a
    project with a role, a milestone and the meeting, each on its own page."""
    theme = make.make_theme(name="Clean energy corridor")
    series = make.make_organization(name="Joint Working Group on Energy", kind="working_group")
    official = make.make_official(name="Amna Baloch")
    make.make_appointment(official=official, organization=series, title="Co-chair")
    meeting = make.make_meeting(title="Fifth energy session", body=series)
    meeting.themes.add(theme)
    make.make_participation(meeting=meeting, official=official, role="co_chair")
    project = make.make_project(title="Thar coal block")
    project.themes.add(theme)
    project.meetings.add(meeting)
    make.make_project_role(project=project, organization=series)
    make.make_milestone(project=project, description="Financial close was reached.")
    return types.SimpleNamespace(
        theme=theme, series=series, official=official, meeting=meeting, project=project
    )


def warm(client, path, text):
    """Render `path`, then serve it from the cache; both show `text`."""
    first = client.get(path)
    assert first.status_code == 200, path
    assert text in first.content.decode(), path
    second = client.get(path)
    assert second["X-Cache"] == "hit", path
    return second


def shows_now(client, path, text):
    response = client.get(path)
    assert response.status_code == 200, path
    return text in response.content.decode()


# (what changes, what the pages show before and after, the pages that show it)
WRITES = {
    "official renamed (save)": (
        lambda w: setattr(w.official, "name", "Amna Baloch-Khan") or w.official.save(),
        "Amna Baloch",
        "Amna Baloch-Khan",
        lambda w: [
            w.meeting.get_absolute_url(),
            w.official.get_absolute_url(),
            w.series.get_absolute_url(),
            "/officials/",
            f"/api/v1/meetings/{w.meeting.slug}/",
        ],
    ),
    "theme renamed (QuerySet.update)": (
        lambda w: Theme.objects.filter(pk=w.theme.pk).update(name="Green corridor"),
        "Clean energy corridor",
        "Green corridor",
        lambda w: [
            w.meeting.get_absolute_url(),
            w.project.get_absolute_url(),
            w.theme.get_absolute_url(),
            "/api/v1/projects/",
        ],
    ),
    "series renamed (save)": (
        lambda w: (
            Organization.objects.get(pk=w.series.pk)
            .__class__.objects.filter(pk=w.series.pk)
            .update(name="Energy Working Group")
        ),
        "Joint Working Group on Energy",
        "Energy Working Group",
        lambda w: [
            w.meeting.get_absolute_url(),
            w.project.get_absolute_url(),
            w.series.get_absolute_url(),
        ],
    ),
    "meeting retitled (raw SQL)": (
        lambda w: connection.cursor().execute(
            "UPDATE meetings_meeting SET title = %s WHERE id = %s",
            ["Sixth energy session", w.meeting.pk],
        ),
        "Fifth energy session",
        "Sixth energy session",
        lambda w: [
            "/meetings/",
            w.meeting.get_absolute_url(),
            w.project.get_absolute_url(),
            w.theme.get_absolute_url(),
            w.series.get_absolute_url(),
        ],
    ),
    "milestone deleted": (
        lambda w: Milestone.objects.filter(project=w.project).delete(),
        "Financial close was reached.",
        "No milestones recorded.",
        lambda w: [w.project.get_absolute_url()],
    ),
    "citation added": (
        lambda w: Citation.objects.create(
            record=w.meeting,
            source=w.source,
            quote="The “shining symbol” of friendship was noted.",
        ),
        "Fifth energy session",
        "shining symbol",
        lambda w: [w.meeting.get_absolute_url(), f"/api/v1/meetings/{w.meeting.slug}/"],
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_write_shows_on_the_next_request_of_every_page_that_shows_it(
    client, make, world, page_cache, write
):
    change, before, after, paths = WRITES[write]
    world.source = make.make_source()
    paths = paths(world)
    for path in paths:
        warm(client, path, before)
    change(world)
    for path in paths:
        assert shows_now(client, path, after), path


def test_publishing_and_unpublishing_show_on_the_next_request(client, make, world, page_cache):
    draft = make.make_project(title="Gwadar desalination", publication_status="draft")
    draft.themes.add(world.theme)
    paths = ["/projects/", world.theme.get_absolute_url(), "/api/v1/projects/"]
    for path in paths:
        warm(client, path, "Thar coal block")
        assert not shows_now(client, path, "Gwadar desalination")
    Project.objects.filter(pk=draft.pk).update(publication_status=PublicationStatus.PUBLISHED)
    for path in paths:
        assert shows_now(client, path, "Gwadar desalination"), path
    draft.refresh_from_db()
    draft.publication_status = PublicationStatus.DRAFT
    draft.save()
    for path in paths:
        assert not shows_now(client, path, "Gwadar desalination"), path


def test_a_many_to_many_change_shows_on_both_records_pages(client, make, world, page_cache):
    other = make.make_theme(name="Special economic zones")
    warm(client, world.project.get_absolute_url(), "Thar coal block")
    warm(client, other.get_absolute_url(), "Special economic zones")
    world.project.themes.add(other)
    assert shows_now(client, world.project.get_absolute_url(), "Special economic zones")
    assert shows_now(client, other.get_absolute_url(), "Thar coal block")
    world.project.themes.remove(other)
    assert not shows_now(client, other.get_absolute_url(), "Thar coal block")


def test_the_seed_shows_on_the_next_request(client, make, page_cache):
    make.make_meeting(title="Before the seed")
    warm(client, "/meetings/", "Before the seed")
    call_command("seed", verbosity=0)
    assert shows_now(client, "/meetings/", "JWG-ICC")


def test_a_write_leaves_the_pages_that_did_not_read_its_table_cached(client, world, page_cache):
    untouched = ["/projects/", world.project.get_absolute_url(), "/api/v1/projects/"]
    for path in untouched:
        warm(client, path, "Thar coal block")
    warm(client, "/officials/", "Amna Baloch")
    Official.objects.filter(pk=world.official.pk).update(name="Amna Baloch-Khan")
    for path in untouched:
        assert client.get(path)["X-Cache"] == "hit", path
    assert client.get("/officials/")["X-Cache"] == "miss"


def test_a_write_changes_its_tables_version_and_no_other(world):
    before = dataversion.versions()
    Meeting.objects.filter(pk=world.meeting.pk).update(title="Renamed")
    after = dataversion.versions()
    assert after["meetings_meeting"] != before["meetings_meeting"]
    assert after[dataversion.WHOLE_DATABASE] != before[dataversion.WHOLE_DATABASE]
    assert after["projects_project"] == before["projects_project"]


def test_the_page_records_every_table_it_read(client, world, page_cache):
    with dataversion.recording_reads() as read:
        client.get(world.meeting.get_absolute_url())
    assert {"meetings_meeting", "meetings_participation", "meetings_official"} <= read
    assert "projects_milestone" not in read


def test_a_view_that_reads_no_table_is_keyed_on_the_whole_database():
    whole = dataversion.versions_of((), {dataversion.WHOLE_DATABASE: 7, "t": 1})
    assert whole == ((dataversion.WHOLE_DATABASE, 7),)


# Theme and organization pages list their records a page at a time


@pytest.mark.parametrize("count", [3, 30])
def test_theme_page_lists_a_page_of_projects_in_bounded_queries(
    client, make, no_page_cache, django_assert_max_num_queries, count
):
    theme = make.make_theme()
    for number in range(count):
        make.make_project(title=f"Project {number:02}").themes.add(theme)
    with django_assert_max_num_queries(8):
        page = client.get(theme.get_absolute_url()).content.decode()
    assert "Project 00" in page
    assert "Project 25" not in page  # the second page's
    if count > 25:
        second = client.get(theme.get_absolute_url(), {"projects_page": 2}).content.decode()
        assert "Project 25" in second and "Project 00" not in second
        assert 'rel="next"' in page


@pytest.mark.parametrize("page", ["0", "abc", "99", "-1"])
def test_a_related_page_that_does_not_exist_is_a_404(client, make, page):
    theme = make.make_theme()
    assert client.get(theme.get_absolute_url(), {"projects_page": page}).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_organization_page_lists_a_page_of_each_kind_in_bounded_queries(
    client, make, no_page_cache, django_assert_max_num_queries, count
):
    organization = make.make_organization()
    for number in range(count):
        make.make_project_role(
            project=make.make_project(title=f"Project {number:02}"), organization=organization
        )
        make.make_meeting(title=f"Session {number:02}", body=organization)
    with django_assert_max_num_queries(14):
        page = client.get(organization.get_absolute_url()).content.decode()
    assert "Project 00" in page and "Session 00" in page
    assert "Project 25" not in page and "Session 25" not in page
