"""Every filter and ordering of the shared FilterSets has an index to use, and pages read
published related records through a join."""

import django_filters
import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from cpec_tracker.records.filters import OrganizationFilterSet, SourceFilterSet, ThemeFilterSet
from meetings.filters import MeetingFilterSet, OfficialFilterSet
from projects.filters import ProjectFilterSet

FILTERSETS = [
    SourceFilterSet,
    OrganizationFilterSet,
    ThemeFilterSet,
    MeetingFilterSet,
    OfficialFilterSet,
    ProjectFilterSet,
]


def published_index_columns(model):
    """The column lists of the model's indexes that start with publication_status."""
    return [
        [name.lstrip("-") for name in index.fields[1:]]
        for index in model._meta.indexes
        if index.fields and index.fields[0] == "publication_status"
    ]


def indexed_alone(model, field_name):
    field = model._meta.get_field(field_name)
    return field.db_index or field.unique or isinstance(field, models.ForeignKey)


@pytest.mark.parametrize("filterset", FILTERSETS, ids=[f.__name__ for f in FILTERSETS])
def test_every_equality_filter_and_ordering_has_an_index(filterset):
    model = filterset._meta.model
    columns = published_index_columns(model)
    for name, declared in filterset.base_filters.items():
        if isinstance(declared, django_filters.OrderingFilter):
            for field_name in declared.param_map.values():
                assert [field_name] in [index[:1] for index in columns], (name, field_name)
        elif isinstance(declared, django_filters.ModelChoiceFilter):
            first_hop = declared.field_name.split("__")[0]
            relation = model._meta.get_field(first_hop)
            # Reverse and many-to-many hops join on the other table's indexed foreign key.
            assert relation.is_relation, name
            if relation.concrete and not relation.many_to_many:
                assert indexed_alone(model, first_hop), name
        elif isinstance(declared, django_filters.ChoiceFilter) and "__" not in declared.field_name:
            assert [declared.field_name] in [index[:1] for index in columns], name


DETAIL_PAGES = [
    "/organizations/{organization}/",
    "/officials/{official}/",
    "/meetings/{meeting}/",
    "/projects/{project}/",
    "/themes/{theme}/",
    "/api/v1/meetings/{meeting}/",
    "/api/v1/officials/{official}/",
    "/api/v1/projects/{project}/",
]


@pytest.mark.django_db
def test_detail_pages_never_list_every_published_record(client, make, no_page_cache):
    # `relation__in=Model.objects.published()` makes SQLite build the list of every published
    # id on each query (33 ms on an organization's page at 100,000 projects); pages join on
    # the related record's status instead (`published_through`).
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plans")
    organization, official, theme = (
        make.make_organization(),
        make.make_official(),
        make.make_theme(),
    )
    meeting, project = make.make_meeting(body=organization), make.make_project()
    make.make_appointment(official, organization=organization)
    make.make_participation(meeting, official)
    make.make_project_role(project, organization)
    meeting.themes.add(theme)
    project.themes.add(theme)
    project.meetings.add(meeting)
    records = {
        "organization": organization,
        "official": official,
        "meeting": meeting,
        "project": project,
        "theme": theme,
    }
    for url in DETAIL_PAGES:
        url = url.format(**{name: record.slug for name, record in records.items()})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        with connection.cursor() as cursor:
            for query in queries.captured_queries:
                cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
                plan = [step[3] for step in cursor.fetchall()]
                assert not any("LIST SUBQUERY" in step for step in plan), (url, query["sql"])
