"""A detail serializer read column by column: /data/'s JSON Lines without model instances.

`ExportPlan` (`cpec_tracker.api.exports`) reads a list serializer's fields once and gives each
a function from a chunk of rows, column by column, to its values. A `DetailPlan` is the same
for a detail serializer, with what a detail has and a list has not:

- nested lists of rows (a project's milestones, its financing, its themes; every row's
  citations): one `values_list` query per chunk and relation, from the queryset the detail's
  selector prefetches the relation with (its filters and its order), grouped by parent;
- properties computed from columns (`records.columns.ColumnProperty`: `alias_list`, a place's
  `geojson_geometry`, a citation's `field_labels`), with the model's own function;
- a serializer's method fields, read by the serializer's `plan_<field name>(plan, model,
  prefix)` written beside its `get_<field name>`.

A field the plan cannot read from columns is refused when the plan is made (`NotExportable`),
as an export's is, so a new field shows up in the tests, never as a wrong value. The tests
compare every kind's plan with DRF's details in three languages
(tests/cpec_tracker/test_representation.py).
"""

import json

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Lookup, Prefetch
from django.db.models.lookups import In
from django.utils.translation import get_language
from rest_framework import relations as drf_relations
from rest_framework import serializers as drf_serializers

from cpec_tracker.api.export_formats import column_chunks
from cpec_tracker.api.exports import ExportPlan, NotExportable, representation
from cpec_tracker.api.serializers import LocalNameField
from cpec_tracker.records.citations import citations_prefetch
from cpec_tracker.records.columns import ColumnProperty


class AmongIds(Lookup):
    """`column IN (ids)` with the ids as one parameter: Django's `__in` prepares each id on its
    own, a tenth of the build's time when every chunk reads its rows' thousands of
    citations. The ids are integers (a chunk's keys), so their text is safe to send as is."""

    lookup_name = "among_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        ids = sorted(self.rhs)
        if connection.vendor == "postgresql":
            # The array as its text: psycopg dumps a list of ints in Python, an int at a time.
            array = "{" + ",".join(map(str, ids)) + "}"
            return f"{column} = ANY(%s::bigint[])", (*params, array)
        if connection.vendor == "sqlite":
            return f"{column} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(ids))
        return In(self.lhs, ids).as_sql(compiler, connection)


# Rows of a nested relation fetched at a time (all of a chunk of records' rows in one query).
NESTED_CHUNK = 10_000


class DetailPlan(ExportPlan):
    """How to read a detail serializer's items from one query per chunk of records, plus one
    per chunk and nested relation: `chunks()` and `json_values(columns)` as an export's."""

    def __init__(self, serializer, queryset, request):
        # The querysets the detail's selector prefetches each relation with, by relation name;
        # citations as every detail reads them (only those of published sources).
        self.prefetches = {"citations": citations_prefetch().queryset}
        for lookup in queryset._prefetch_related_lookups:
            if isinstance(lookup, str):
                lookup = Prefetch(lookup)
            if "__" not in lookup.prefetch_through and lookup.queryset is not None:
                self.prefetches[lookup.prefetch_through] = lookup.queryset
        super().__init__(serializer, queryset, request)

    def compile_field(self, field, model, prefix):
        if isinstance(field, drf_serializers.ListSerializer):
            if prefix:
                raise NotExportable(f"{model.__name__}: {field.field_name} is nested twice")
            return self.nested_rows(field, model, field.source, "pk")
        if isinstance(field, drf_serializers.SerializerMethodField):
            plan_field = getattr(field.parent, f"plan_{field.field_name}", None)
            if plan_field is None:
                raise NotExportable(f"{model.__name__}: {field.field_name} has no plan_ method")
            return plan_field(self, model, prefix)
        if isinstance(field, drf_relations.SlugRelatedField):
            column = self.columns.index(f"{prefix}{field.source}__{field.slug_field}")
            return lambda columns: columns[column], None
        if isinstance(field, LocalNameField) and not hasattr(model, "translated_fields"):
            # A kind named in one language only (a source) is named by its `label`.
            return self.column_property(model.label, prefix, str)
        computed = getattr(model, field.source, None) if field.source != "*" else None
        if isinstance(computed, ColumnProperty):
            return self.column_property(computed, prefix, representation(field))
        return super().compile_field(field, model, prefix)

    def column_property(self, computed, prefix, represent):
        if not isinstance(computed, ColumnProperty):
            raise NotExportable(f"{computed} is not a property of columns")
        positions = [self.columns.index(prefix + name) for name in computed.columns]
        compute, in_language = computed.compute, computed.in_language

        def values(columns):
            rows = zip(*[columns[p] for p in positions], strict=True)
            if in_language:
                language = get_language()
                found = [compute(*row, language) for row in rows]
            else:
                found = [compute(*row) for row in rows]
            return [None if value is None else represent(value) for value in found]

        return values, None

    def nested_rows(self, field, model, relation_name, key):
        """A list serializer's items for each row: the rows of `model`'s relation
        `relation_name` whose parent is the row's column `key`, read with one query for the
        whole chunk (`[]` for a row whose key is null)."""
        queryset, link = self.related_rows(model, relation_name)
        rows_plan = DetailPlan(field.child, queryset, self.request)
        # The parent's key as a column of its own, filtered on: a many-to-many relation's
        # join is made once, for both (a `values_list` of the relation would join it again).
        rows_query = rows_plan.queryset.annotate(detail_parent=F(link))
        # That join is a LEFT OUTER JOIN, as an annotation's across a relation to many rows
        # is; as only rows with a parent among the chunk's are read, it can be an inner join,
        # which lets the database start from the parents (SQLite cannot reorder a LEFT JOIN:
        # it read every project's link to each theme, for each chunk of projects).
        rows_query.query.demote_joins(
            set(rows_query.query.alias_map) - set(rows_plan.queryset.query.alias_map)
        )
        rows_query = rows_query.values_list("detail_parent", *rows_plan.columns.names)
        key_column = self.columns.index(key)

        def values(columns):
            keys = columns[key_column]
            wanted = {parent for parent in keys if parent is not None}
            groups = {}
            if wanted:
                among = AmongIds(F("detail_parent"), wanted)
                # A chunk's parents have a bounded number of rows: read at once (one round
                # trip), not through a server-side cursor (four, on PostgreSQL).
                chunks = column_chunks(
                    rows_query.filter(among), NESTED_CHUNK, server_side_cursor=False
                )
                for parents, *row_columns in chunks:
                    items = rows_plan.json_values(row_columns)
                    for parent, item in zip(parents, items, strict=True):
                        groups.setdefault(parent, []).append(item)
            return [groups.get(parent, []) for parent in keys]

        return values, None

    def related_rows(self, model, relation_name):
        """(the rows of `model`'s relation as the detail reads them, the path from those rows
        to their parent's key)."""
        try:
            relation = model._meta.get_field(relation_name)
        except Exception as error:
            raise NotExportable(f"{model.__name__}.{relation_name} is not a relation") from error
        queryset = self.prefetches.get(relation_name)
        if queryset is None:
            raise NotExportable(f"{model.__name__}.{relation_name} is not prefetched")
        if isinstance(relation, GenericRelation):
            content_type = ContentType.objects.get_for_model(
                model, for_concrete_model=relation.for_concrete_model
            )
            return queryset.filter(content_type=content_type), relation.object_id_field_name
        if relation.many_to_many and relation.concrete:
            return queryset, relation.related_query_name()
        if relation.one_to_many or relation.many_to_many:
            return queryset, relation.field.name
        raise NotExportable(f"{model.__name__}.{relation_name} is not a relation to many rows")
