"""Every public page runs the same number of queries with 3 related rows as with 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def build_home(make, rows):
    for _ in range(rows):
        make.make_meeting(body=make.make_organization())
    return "/"


def build_meeting_list(make, rows):
    for _ in range(rows):
        make.make_meeting(body=make.make_organization())
    return "/meetings/"


def build_meeting_detail(make, rows):
    meeting = make.make_meeting(body=make.make_organization())
    for _ in range(rows):
        make.make_participation(meeting)
        make.make_citation(meeting)
        make.make_outcome(meeting)
    return meeting.get_absolute_url()


def build_official_list(make, rows):
    for _ in range(rows):
        make.make_appointment(organization=make.make_organization())
    return "/officials/"


def build_official_detail(make, rows):
    official = make.make_official()
    for _ in range(rows):
        make.make_appointment(official, organization=make.make_organization())
        make.make_citation(official)
        make.make_participation(official=official)
    return official.get_absolute_url()


def build_project_list(make, rows):
    for _ in range(rows):
        make.make_project()
    return "/projects/"


def build_map(make, rows):
    for _ in range(rows):
        project = make.make_project()
        make.make_location(project)
        make.make_location(project, place_name="Kashgar", longitude=75.99, latitude=39.47)
    return "/map/"


def build_project_detail(make, rows):
    project = make.make_project()
    for _ in range(rows):
        make.make_key_figure(project)
        make.make_milestone(project)
        make.make_citation(project)
        make.make_project_role(project)
        project.themes.add(make.make_theme())
    return project.get_absolute_url()


def build_source_detail(make, rows):
    source = make.make_source()
    for _ in range(rows):
        make.make_citation(make.make_meeting(), source=source)
    return source.get_absolute_url()


def build_organization_detail(make, rows):
    organization = make.make_organization()
    for _ in range(rows):
        make.make_meeting(body=organization)
        make.make_appointment(organization=organization)
    return organization.get_absolute_url()


def build_theme_detail(make, rows):
    theme = make.make_theme()
    for _ in range(rows):
        make.make_meeting().themes.add(theme)
        make.make_project().themes.add(theme)
    return theme.get_absolute_url()


PAGES = [
    build_home,
    build_meeting_list,
    build_meeting_detail,
    build_official_list,
    build_official_detail,
    build_project_list,
    build_map,
    build_project_detail,
    build_source_detail,
    build_organization_detail,
    build_theme_detail,
]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("build", PAGES, ids=[build.__name__[6:] for build in PAGES])
def test_page_queries_do_not_grow_with_related_rows(client, make, build, no_page_cache):
    # A first page warms Django's per-process caches (content types), which would otherwise
    # count against whichever page comes first, depending on the order tests run in.
    queries_for(client, build(make, 1))
    few = queries_for(client, build(make, 3))
    many = queries_for(client, build(make, 30))
    assert many == few
