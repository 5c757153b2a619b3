"""The read of a project loads the public citations of the project and of its rows in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpec_tracker.records.citations import public_citations
from cpec_tracker.records.models import PublicationStatus
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
    rows = [project, *project.key_figures.all(), *project.milestones.all(), *project.roles.all()]
    return {(type(row).__name__, row.pk): list(row.citations.all()) for row in rows}


def expected_citations(project):
    """Each row's public citations, read one row at a time."""
    return {
        key: list(public_citations().filter(object_id=key[1], content_type__model=key[0].lower()))
        for key in citations_by_row(project)
    }


def test_project_rows_get_their_public_citations_in_one_query(make):
    cited_project(make)
    cited_project(make)
    with CaptureQueriesContext(connection) as queries:
        projects = list(project_detail())
        loaded = [citations_by_row(project) for project in projects]
    citation_queries = [q for q in queries if '"cpec_tracker_citation"' in q["sql"]]
    assert len(citation_queries) == 1
    assert len(projects) == 2
    for project, citations in zip(projects, loaded, strict=True):
        assert citations == expected_citations(project)
        assert all(len(found) == 1 for found in citations.values())


def test_project_detail_iterated_in_chunks_gets_the_same_citations(make):
    for _ in range(3):
        cited_project(make)
    chunked = {
        project.pk: citations_by_row(project)
        for project in project_detail().order_by("slug").iterator(chunk_size=2)
    }
    assert chunked == {project.pk: citations_by_row(project) for project in project_detail()}


def test_project_detail_get_keeps_loading_citations_in_one_query(make):
    project = cited_project(make)
    with CaptureQueriesContext(connection) as queries:
        citations = citations_by_row(project_detail().get(slug=project.slug))
    assert sum('"cpec_tracker_citation"' in q["sql"] for q in queries) == 1
    assert citations == expected_citations(project)
