"""Every filter and ordering of the shared FilterSets has an index to use."""

import django_filters
import pytest
from django.db import models

from cpec_tracker.filters import OrganizationFilterSet, SourceFilterSet, ThemeFilterSet
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
