"""API v1: /api/v1/projects/."""

import pytest

from tests.api.helpers import get_csv, get_json, queries_for, slugs

pytestmark = pytest.mark.django_db

CHASHMA = "chashma-nuclear-power-plant-unit-5"
KHUNJERAB = "khunjerab-pass-year-round-operation"


def test_project_list_shows_published_projects_by_title(client, seeded, make):
    make.make_project(slug="unannounced", publication_status="draft")
    data = get_json(client, "/api/v1/projects/")
    assert slugs(data) == [CHASHMA, "cpec-2-0", KHUNJERAB]
    assert data["results"][0]["html_url"] == f"http://testserver/projects/{CHASHMA}/"
    assert data["results"][0]["url"] == f"http://testserver/api/v1/projects/{CHASHMA}/"


def test_project_detail_embeds_figures_timeline_meetings_and_citations(client, seeded):
    data = get_json(client, f"/api/v1/projects/{CHASHMA}/")
    figure = data["key_figures"][0]
    assert (figure["kind"], figure["value"], figure["as_of_display"]) == (
        "jobs",
        "40000.00",
        "12 January 2025",
    )
    assert "40,000" in figure["citations"][0]["quote"]
    milestone = data["milestones"][0]
    assert (milestone["kind"], milestone["date"], milestone["date_display"]) == (
        "construction_start",
        None,
        "Date not given",
    )
    assert [meeting["slug"] for meeting in data["meetings"]] == ["chinese-new-year-2025-ceremony"]
    assert data["citations"][0]["fields"] == ["status"]
    assert data["citations"][0]["field_labels"] == ["Status"]


def test_project_detail_shows_only_published_parts_parent_roles_and_themes(client, make):
    programme = make.make_project(kind="programme", publication_status="draft", slug="plan")
    project = make.make_project(parent=programme)
    make.make_project(parent=project, slug="public-part")
    make.make_project(parent=project, publication_status="draft")
    make.make_project_role(project, make.make_organization(slug="public-bank"), role="financier")
    make.make_project_role(project, make.make_organization(publication_status="draft"))
    project.themes.add(
        make.make_theme(slug="open-theme"), make.make_theme(publication_status="draft")
    )
    project.meetings.add(make.make_meeting(publication_status="draft"))

    data = get_json(client, f"/api/v1/projects/{project.slug}/")
    assert data["parent"] is None
    assert [part["slug"] for part in data["parts"]] == ["public-part"]
    assert [(r["organization"]["slug"], r["role"]) for r in data["roles"]] == [
        ("public-bank", "financier")
    ]
    assert [theme["slug"] for theme in data["themes"]] == ["open-theme"]
    assert data["meetings"] == []


def test_draft_project_detail_is_a_json_404(client, make, page_cache_on_and_off):
    project = make.make_project(publication_status="draft")
    assert get_json(client, f"/api/v1/projects/{project.slug}/", status=404)["errors"] == {}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=energy", [CHASHMA]),
        ("status=operational", [KHUNJERAB]),
        ("kind=programme", ["cpec-2-0"]),
        ("theme=clean-energy", ["cpec-2-0"]),
        ("q=nuclear", [CHASHMA]),
        ("province=sindh", []),
        ("ordering=-title", [KHUNJERAB, "cpec-2-0", CHASHMA]),
        ("ordering=status,title", ["cpec-2-0", KHUNJERAB, CHASHMA]),
    ],
)
def test_project_filters_and_ordering(client, seeded, query, expected):
    assert slugs(get_json(client, f"/api/v1/projects/?{query}")) == expected


def test_project_parent_filter_takes_a_published_programme(client, make, page_cache_on_and_off):
    programme = make.make_project(kind="programme", slug="programme")
    make.make_project(parent=programme, slug="child")
    make.make_project(slug="orphan")
    assert slugs(get_json(client, "/api/v1/projects/?parent=programme")) == ["child"]
    data = get_json(client, "/api/v1/projects/?parent=orphan", status=404)
    assert list(data["errors"]) == ["parent"]


@pytest.mark.parametrize(
    "query",
    ["sector=", "sector=mining", "status=built", "province=Sindh", "kind=thing", "theme=a+b"],
)
def test_invalid_project_filter_is_a_400_naming_it(client, seeded, query, page_cache_on_and_off):
    parameter = query.split("=")[0]
    assert list(get_json(client, f"/api/v1/projects/?{query}", status=400)["errors"]) == [parameter]


def test_project_csv_streams_every_row(client, make):
    for number in range(120):
        make.make_project(slug=f"project-{number:03}", status="operational")
    make.make_project(slug="later", status="planned")
    rows, _ = get_csv(client, "/api/v1/projects/?format=csv&status=operational")
    assert len(rows) == 120
    assert rows[0]["slug"] == "project-000"
    assert rows[0]["status"] == "operational"


def test_project_queries_do_not_grow_with_rows(client, make, no_page_cache):
    list_counts, detail_counts = [], []
    for count in (3, 30):
        project = make.make_project(kind="programme")
        for _ in range(count):
            part = make.make_project(parent=project)
            part.themes.add(make.make_theme())
            project.themes.add(make.make_theme())
            make.make_citation(make.make_key_figure(project))
            make.make_citation(make.make_milestone(project))
            make.make_citation(make.make_project_role(project))
            project.meetings.add(make.make_meeting())
            make.make_citation(project)
        # The list's own queries; what its facets cost is bounded in test_api_facets.py.
        list_counts.append(queries_for(client, "/api/v1/projects/?facets=false"))
        detail_counts.append(queries_for(client, f"/api/v1/projects/{project.slug}/"))
    assert list_counts[0] == list_counts[1] <= 4
    # 12, and the content types of the rows whose citations it reads (a new process's).
    assert detail_counts[0] == detail_counts[1] <= 15
