import datetime

import pytest

from tests.pages import queries_for, text_of

pytestmark = pytest.mark.django_db


def test_project_list_filters_by_sector_status_province_theme_and_parent(client, make):
    programme = make.make_project(slug="cpec-2-0", kind="programme", title="CPEC 2.0")
    theme = make.make_theme(slug="clean-energy")
    match = make.make_project(
        title="The match",
        parent=programme,
        sector="energy",
        status="operational",
        province="punjab",
    )
    match.themes.add(theme)
    make.make_project(title="Planned one", parent=programme, sector="energy", province="punjab")
    make.make_project(title="Draft one", status="operational", publication_status="draft")
    query = "sector=energy&status=operational&province=punjab&theme=clean-energy&parent=cpec-2-0"
    text = text_of(client.get(f"/projects/?{query}"))
    assert "The match" in text
    assert "Planned one" not in text and "Draft one" not in text
    assert "Status: Operational" in text
    assert "Programme: CPEC 2.0" in text


def test_project_list_sorts_by_title(client, make):
    make.make_project(title="Beta")
    make.make_project(title="Alpha")
    text = text_of(client.get("/projects/?ordering=-title"))
    assert text.index("Beta") < text.index("Alpha")


@pytest.mark.parametrize(
    "query, parameter",
    [("status=finished", "status"), ("parent=nothing", "parent"), ("theme=x", "theme")],
)
def test_project_list_answers_400_naming_a_bad_filter(
    client, db, query, parameter, page_cache_on_and_off
):
    response = client.get(f"/projects/?{query}")
    assert response.status_code == 400
    assert f"<code>{parameter}</code>" in text_of(response)


def test_project_list_queries_do_not_grow_with_rows(client, make, no_page_cache):
    programme = make.make_project(kind="programme")

    def add_projects(count):
        for _ in range(count):
            make.make_project(parent=programme)

    add_projects(3)
    few = queries_for(client, "/projects/")
    add_projects(27)
    assert queries_for(client, "/projects/") == few


@pytest.fixture
def project(make):
    programme = make.make_project(slug="cpec-2-0", kind="programme", title="CPEC 2.0")
    project = make.make_project(
        slug="chashma-5",
        title="Chashma Unit 5",
        parent=programme,
        status="under_construction",
        sector="energy",
        subsector="Nuclear power",
        province="punjab",
    )
    make.make_citation(
        make.make_key_figure(project, value=40000, unit="jobs", as_of=datetime.date(2025, 1, 12))
    )
    make.make_milestone(
        project,
        description="Agreement signed.",
        date=datetime.date(2024, 6, 1),
        date_precision="month",
    )
    make.make_milestone(project, description="Construction started.", date=None)
    make.make_project_role(
        project,
        organization=make.make_organization(name="China National Nuclear"),
        role="contractor",
    )
    make.make_project_role(
        project, organization=make.make_organization(name="Hidden Co", publication_status="draft")
    )
    meeting = make.make_meeting(title="Ceremony")
    project.meetings.add(
        meeting, make.make_meeting(title="Draft meeting", publication_status="draft")
    )
    project.themes.add(make.make_theme(name="Clean energy"))
    make.make_citation(project, fields=["status"])
    return project


def test_project_page_shows_status_figures_timeline_organizations_and_meetings(client, project):
    text = text_of(client.get("/projects/chashma-5/"))
    assert "Under construction" in text
    assert "<strong>40,000</strong> jobs" in text and "as of 12 January 2025" in text
    assert text.index("June 2024") < text.index("Date not given")
    assert "China National Nuclear" in text and "contractor" in text
    assert "Hidden Co" not in text
    assert "Ceremony" in text and "Draft meeting" not in text
    assert 'href="/projects/cpec-2-0/"><bdi>CPEC 2.0</bdi></a>' in text
    assert "Clean energy" in text


def test_project_page_footnotes_number_record_then_figure_citations(client, project):
    text = text_of(client.get("/projects/chashma-5/"))
    assert (
        text.index('href="#note-1"')
        < text.index("<h2>Key figures</h2>")
        < text.index('href="#note-2"')
    )
    assert text.count('<li id="note-') == 2


def test_programme_page_lists_its_published_parts(client, project, make):
    make.make_project(title="Draft part", parent=project.parent, publication_status="draft")
    text = text_of(client.get("/projects/cpec-2-0/"))
    assert "Chashma Unit 5" in text and "Draft part" not in text


def test_draft_project_page_is_404(client, make, page_cache_on_and_off):
    make.make_project(slug="hidden", publication_status="draft")
    assert client.get("/projects/hidden/").status_code == 404


def test_project_page_queries_do_not_grow_with_rows(
    client, make, django_assert_max_num_queries, no_page_cache
):
    project = make.make_project(slug="busy")

    def add_rows(count):
        for _ in range(count):
            make.make_citation(make.make_key_figure(project))
            make.make_citation(make.make_milestone(project))
            make.make_citation(make.make_project_role(project))
            project.meetings.add(make.make_meeting())
            project.themes.add(make.make_theme())
            make.make_project(parent=project)
            make.make_citation(project)

    add_rows(3)
    few = queries_for(client, "/projects/busy/")
    add_rows(27)
    assert queries_for(client, "/projects/busy/") == few
    with django_assert_max_num_queries(13):
        client.get("/projects/busy/")
