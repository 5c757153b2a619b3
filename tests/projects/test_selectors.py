"""A project's detail, wherever it is read (its page, its API detail, /data/'s JSON Lines),
loads the public citations of the project and of its rows in one query."""

import io

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cpec_tracker.records.citations import cited_rows, load_citations, public_citations
from cpec_tracker.records.models import PublicationStatus
from cpec_tracker.site import datawriters
from projects.api import ProjectViewSet
from projects.selectors import project_detail

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def cited_project(make):
    project = make.make_project()
    rows = [
        project,
        make.make_key_figure(project),
        make.make_milestone(project),
        make.make_project_role(project),
    ]
    for row in rows:
        make.make_citation(row)
        # A draft source's quote is not shown: not loaded.
        make.make_citation(row, source=make.make_source(publication_status=DRAFT))
    return project


def citations_by_row(project):
    return {(type(row).__name__, row.pk): list(row.citations.all()) for row in cited_rows(project)}


def expected_citations(project):
    """Each row's public citations, read one row at a time."""
    return {
        key: list(public_citations().filter(object_id=key[1], content_type__model=key[0].lower()))
        for key in citations_by_row(project)
    }


def citation_queries(queries):
    return [query for query in queries if '"cpec_tracker_citation"' in query["sql"]]


def test_project_rows_get_their_public_citations_in_one_query(make):
    cited_project(make)
    cited_project(make)
    with CaptureQueriesContext(connection) as queries:
        projects = list(project_detail())
        load_citations(projects)
        loaded = [citations_by_row(project) for project in projects]
    assert len(citation_queries(queries)) == 1
    assert len(projects) == 2
    for project, citations in zip(projects, loaded, strict=True):
        assert citations == expected_citations(project)
        assert all(len(found) == 1 for found in citations.values())


def test_rows_whose_citations_are_loaded_are_not_read_again(make):
    projects = list(project_detail().filter(pk=cited_project(make).pk))
    load_citations(projects)
    with CaptureQueriesContext(connection) as queries:
        load_citations(projects)
    assert len(queries) == 0


@pytest.mark.parametrize("url", ["/projects/{slug}/", "/api/v1/projects/{slug}/"])
def test_a_projects_page_and_api_detail_read_its_citations_in_one_query(
    client, make, no_page_cache, url
):
    project = cited_project(make)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url.format(slug=project.slug))
    assert response.status_code == 200
    assert len(citation_queries(queries)) == 1
    # The public quotes are shown, the draft source's are not.
    for citation in public_citations().filter(object_id=project.pk):
        assert citation.quote[:40] in response.content.decode()


def test_the_json_lines_read_citations_once_a_chunk_of_records(make, monkeypatch):
    """Once a chunk for each kind of row that has citations (the project, its milestones, its
    financing…), however many records the chunk holds."""
    for _ in range(3):
        cited_project(make)

    def citation_queries_in_chunks_of(records):
        monkeypatch.setattr(datawriters, "DETAIL_CHUNK", records)
        stream = io.BytesIO()
        with CaptureQueriesContext(connection) as queries:
            count = datawriters.write_jsonl(ProjectViewSet, stream, RequestFactory().get("/"))
        assert count == 3
        lines = stream.getvalue().decode().splitlines()
        assert len(lines) == 3
        assert all('"citations"' in line for line in lines)
        return len(citation_queries(queries))

    one_chunk = citation_queries_in_chunks_of(3)
    assert citation_queries_in_chunks_of(2) == 2 * one_chunk  # chunks of 2 and 1
