"""Whole API collections as CSV and JSON Lines, streamed at database speed.

`?format=csv` and `?format=jsonl` on any API list give every matching row, not one page. A
page goes through DRF's serializer one record at a time; for 100,000 rows that is far too slow
(about 1,400 rows/s: a model instance, a `reverse()` per URL and a serializer pass per row,
and a prefetch query per chunk). An export reads the list serializer's fields once and turns
them into an `ExportPlan`: the columns to read with one `values_list()` query, and, for each
field, a function from a chunk of rows (column by column) to the values the serializer gives
for it. The rows then stream straight from the database cursor, written in large chunks
(`cpec_tracker.api.export_formats`).

The serializer stays the one definition of a list item: an export has its fields, in its
order, with its values (the tests compare the two for every collection). A serializer field
the plan cannot read from columns is refused when the plan is made (`NotExportable`), so a
new field shows up in the tests, never as a wrong column.

Queries: one for the rows (a streamed cursor, its chunks fetched as it goes), plus one per
many-to-many field for its published related records, whatever the number of rows.
"""

import operator

from django.db.models import (
    Aggregate,
    CharField,
    ForeignKey,
    ManyToManyField,
    OneToOneField,
    OuterRef,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from rest_framework import fields as drf_fields
from rest_framework import serializers as drf_serializers
from rest_framework.settings import ISO_8601, api_settings

from cpec_tracker.api.export_formats import (
    EXPORT_CHUNK_ROWS,
    column_chunks,
    csv_cell,
    formula_safe_cells,
)
from cpec_tracker.api.serializers import (
    ApiUrlField,
    CodeLabelField,
    CountryField,
    DateDisplayField,
    HtmlUrlField,
    KnownDateField,
    LocalNameField,
    NamesField,
    OptionalURLField,
    RefSerializer,
    known_date_part,
    precision_labels,
)
from cpec_tracker.records.dates import format_date
from cpec_tracker.records.models import PublicationStatus
from cpec_tracker.records.names import ENGLISH, name_language

# A slug no record has, put in a URL once and replaced by each row's slug.
SLUG_PLACEHOLDER = "slug0export0placeholder"

# DRF fields whose representation of a database value is the value itself, for the model
# fields (by internal type) that `values_list` reads as text, or as a number or yes/no.
VERBATIM_FIELDS = (
    drf_fields.CharField,
    drf_fields.ChoiceField,
    drf_fields.IntegerField,
    drf_fields.BooleanField,
)
TEXT_COLUMNS = {"CharField", "TextField", "SlugField", "URLField", "EmailField"}
NUMBER_COLUMNS = {
    "IntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "BooleanField",
}


# The column a CSV starts with: a record's name, or its title for the kinds that have one.
NAME_COLUMNS = ("name", "title")


class NotExportable(TypeError):
    """A list serializer has a field an export cannot compute from database columns."""


class JoinedIds(Aggregate):
    """The ids of a group as one text, comma-separated, in no particular order."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


class Columns:
    """The columns one `values_list()` reads, each named once, by position."""

    def __init__(self):
        self.names = []
        self.annotations = {}

    def index(self, name):
        if name not in self.names:
            self.names.append(name)
        return self.names.index(name)

    def annotate(self, name, expression):
        self.annotations[name] = expression
        return self.index(name)


class UrlFromSlug:
    """Records' absolute URLs from their slugs, with `reverse()` run once, not once a row.

    The API's and the pages' detail routes take a slug (`[-a-zA-Z0-9_]+`, nothing to escape),
    so the URL of any record is the placeholder's with the slug put in its place.
    """

    def __init__(self, request, path):
        self.head, self.tail = request.build_absolute_uri(path).split(SLUG_PLACEHOLDER)

    def __call__(self, slugs):
        head, tail = self.head, self.tail
        return [f"{head}{slug}{tail}" for slug in slugs]


class ExportPlan:
    """How to read a list serializer's items from one query: the columns to read, and for each
    field a function from a chunk of rows, given column by column, to the field's values
    (`json_values`) or CSV cells (`csv_cells`) for those rows.

    Column by column, because a list comprehension over a column costs a fraction of a
    function call per cell: the export spends its time in the database and the writers.
    """

    def __init__(self, serializer, queryset, request):
        self.request = request
        self.model = queryset.model
        # Values the queryset computes (`status_since`…), read as columns like the model's.
        self.annotation_names = set(queryset.query.annotations)
        self.columns = Columns()
        # Names are given in the language asked for: the one active now, in the view (the
        # rows are written after it has returned).
        self.language = name_language()
        self.field_names = []
        self.value_functions = []
        self.csv_headers = []
        self.cell_functions = []
        for name, field in serializer.fields.items():
            values, cells = self.compile_field(field, self.model, prefix="")
            self.field_names.append(name)
            self.value_functions.append(values)
            if isinstance(cells, dict):  # One CSV column per key: names.en, names.ur, …
                for key, key_cells in cells.items():
                    self.csv_headers.append(f"{name}.{key}")
                    self.cell_functions.append(key_cells)
            else:
                self.csv_headers.append(name)
                self.cell_functions.append(cells)
        self.put_name_first()
        queryset = queryset.prefetch_related(None)
        if self.columns.annotations:
            queryset = queryset.annotate(**self.columns.annotations)
        self.queryset = queryset.values_list(*self.columns.names)

    def put_name_first(self):
        """In CSV, the record's name (or title) is the first column, as a spreadsheet's reader
        looks for it; JSON keeps the serializer's order."""
        first = next((name for name in NAME_COLUMNS if name in self.csv_headers), None)
        if first is None:
            return
        position = self.csv_headers.index(first)
        self.csv_headers.insert(0, self.csv_headers.pop(position))
        self.cell_functions.insert(0, self.cell_functions.pop(position))

    def add_children(self, name, child_rows):
        """Add `name` to each item (and a column to the CSV): its child rows, from
        `child_rows(slugs)`, a function from the rows' slugs to each one's list (`?expand=`)."""
        slug = self.columns.index("slug")
        self.queryset = self.queryset.values_list(*self.columns.names)

        def values(columns):
            return child_rows(columns[slug])

        self.field_names.append(name)
        self.value_functions.append(values)
        self.csv_headers.append(name)
        self.cell_functions.append(lambda columns: [csv_cell(rows) for rows in values(columns)])

    def chunks(self):
        """The rows in chunks of EXPORT_CHUNK_ROWS, each as its columns (`column_chunks`)."""
        return column_chunks(self.queryset, EXPORT_CHUNK_ROWS)

    def json_values(self, columns):
        """Each row's item, as the list serializer gives it."""
        names = self.field_names
        fields = [values(columns) for values in self.value_functions]
        return [dict(zip(names, row, strict=True)) for row in zip(*fields, strict=True)]

    def csv_cells(self, columns):
        """Each row's CSV cells."""
        return zip(*[cells(columns) for cells in self.cell_functions], strict=True)

    # How each kind of serializer field is read.

    def compile_field(self, field, model, prefix):
        """(values, CSV cells): functions from a chunk's columns to one serializer field's
        values and cells, for `model`'s rows whose columns are `prefix` + field name
        (`parent__slug` for a parent's slug)."""
        if isinstance(field, ApiUrlField):
            name = f"api:{model._meta.model_name}-detail"
            return self.slug_url(reverse(name, args=[SLUG_PLACEHOLDER]), prefix)
        if isinstance(field, HtmlUrlField):
            return self.slug_url(model(slug=SLUG_PLACEHOLDER).get_absolute_url(), prefix)
        if isinstance(field, drf_serializers.ListSerializer) and isinstance(
            field.child, RefSerializer
        ):
            return self.many_refs(field, model, prefix)
        if isinstance(field, RefSerializer):
            return self.one_ref(field, model, prefix)
        if isinstance(field, LocalNameField):
            return self.local_name(model, prefix)
        if isinstance(field, NamesField):
            return self.names(model, prefix)
        if isinstance(field, drf_serializers.BaseSerializer):
            raise NotExportable(f"{model.__name__}: {field.field_name} is a nested serializer")
        if isinstance(field, DateDisplayField):
            return self.date_display(field, model, prefix)
        if isinstance(field, KnownDateField):
            return self.known_date(field, model, prefix)
        if isinstance(field, CodeLabelField):
            return self.code_label(field, model, prefix)
        model_field = self.model_field(field, model)
        column = self.columns.index(prefix + model_field.name)
        if isinstance(field, CountryField):
            return with_text_cells(lambda columns: [code or "" for code in columns[column]])
        if isinstance(field, OptionalURLField):
            return with_text_cells(lambda columns: [url or None for url in columns[column]])
        column_type = model_field.get_internal_type()
        if isinstance(field, VERBATIM_FIELDS) and column_type in TEXT_COLUMNS:
            return with_text_cells(operator.itemgetter(column))
        if isinstance(field, VERBATIM_FIELDS) and column_type in NUMBER_COLUMNS:
            # The csv module writes None as an empty cell, as csv_cell does.
            return operator.itemgetter(column), operator.itemgetter(column)
        if isinstance(field, drf_fields.DateTimeField):
            return with_text_cells(iso_datetimes(field, column))
        represent = representation(field)

        def values(columns):
            return [None if raw is None else represent(raw) for raw in columns[column]]

        return values, lambda columns: [csv_cell(value) for value in values(columns)]

    def local_name(self, model, prefix):
        """The name in the language asked for, else in English (`LocalNameField`)."""
        fields = model.translated_fields()
        wanted = self.columns.index(prefix + fields[self.language])
        english = self.columns.index(prefix + fields[ENGLISH])

        def values(columns):
            return [
                local or name for local, name in zip(columns[wanted], columns[english], strict=True)
            ]

        return with_text_cells(values)

    def names(self, model, prefix):
        """The name in every language, null where there is none (`NamesField`); in CSV one
        column per language."""
        columns_by_language = {
            language: self.columns.index(prefix + field)
            for language, field in model.translated_fields().items()
        }

        def in_language(column):
            return lambda columns: [name or None for name in columns[column]]

        def values(columns):
            found = [in_language(column)(columns) for column in columns_by_language.values()]
            return [
                dict(zip(columns_by_language, row, strict=True)) for row in zip(*found, strict=True)
            ]

        cells = {
            language: with_text_cells(in_language(column))[1]
            for language, column in columns_by_language.items()
        }
        return values, cells

    def code_label(self, field, model, prefix):
        """A code's label in the language asked for, null for an empty code."""
        labels = field.labels()
        column = self.columns.index(prefix + self.model_field(field, model).name)
        return with_text_cells(
            lambda columns: [labels.get(code) if code else None for code in columns[column]]
        )

    def known_date(self, field, model, prefix):
        """A part of a date as far as it is known (`KnownDateField`)."""
        date, precision = self.date_columns(field.date_field, model, prefix)
        part = field.part

        def values(columns):
            pairs = zip(columns[date], columns[precision], strict=True)
            if part == "precision_label":
                labels = precision_labels()
                return [labels[how] if day is not None and how else None for day, how in pairs]
            return [known_date_part(part, day, how) for day, how in pairs]

        return with_text_cells(values)

    def date_columns(self, date_name, model, prefix):
        """The columns of a date and of its precision: the model's, or the queryset's
        annotations (`status_since`)."""
        names = (date_name, f"{date_name}_precision")
        readable = all(
            hasattr(model, name) or (not prefix and name in self.annotation_names) for name in names
        )
        if not readable:
            raise NotExportable(f"{model.__name__}.{date_name} is not a date with precision")
        return tuple(self.columns.index(prefix + name) for name in names)

    def model_field(self, field, model):
        """The concrete, non-relation model field a serializer field shows as it is."""
        try:
            model_field = model._meta.get_field(field.source)
        except Exception as error:
            raise NotExportable(f"{model.__name__}.{field.source} is not a model field") from error
        if not model_field.concrete or model_field.is_relation:
            raise NotExportable(f"{model.__name__}.{field.source} is not a plain column")
        return model_field

    def slug_url(self, path, prefix):
        urls = UrlFromSlug(self.request, path)
        slug = self.columns.index(f"{prefix}slug")

        def values(columns):
            return urls(columns[slug])

        # An absolute URL starts with its scheme: no spreadsheet runs it.
        return values, values

    def date_display(self, field, model, prefix):
        # `<date>_display` shows `<date>` as precisely as `<date>_precision` says.
        date_name = field.source.removesuffix("_display")
        if field.source == date_name:
            raise NotExportable(f"{model.__name__}.{field.source} is not a date with precision")
        date, precision = self.date_columns(date_name, model, prefix)

        def values(columns):
            pairs = zip(columns[date], columns[precision], strict=True)
            language = get_language()
            return [format_date(day, how, language) for day, how in pairs]

        return with_text_cells(values)

    def one_ref(self, field, model, prefix):
        """A related record (a foreign key) in brief, or null when it is a draft or missing."""
        relation = model._meta.get_field(field.source)
        if not isinstance(relation, ForeignKey | OneToOneField):
            raise NotExportable(f"{model.__name__}.{field.source} is not a foreign key")
        related = relation.related_model
        related_prefix = f"{prefix}{relation.name}__"
        key = self.columns.index(prefix + relation.attname)
        status = self.columns.index(f"{related_prefix}publication_status")
        parts = [
            (name, self.compile_field(child, related, related_prefix)[0])
            for name, child in field.fields.items()
        ]
        published = PublicationStatus.PUBLISHED
        # Each related record's item, made once: most rows share a few (programmes, bodies).
        seen = {}

        def values(columns):
            shown = [None] * len(columns[key])
            new = {}
            for number, (related_id, related_status) in enumerate(
                zip(columns[key], columns[status], strict=True)
            ):
                if related_id is None or related_status != published:
                    continue
                if related_id not in seen:
                    new.setdefault(related_id, number)
                shown[number] = related_id
            if new:
                # Made from the new records' rows only: a chunk of citations names a few
                # sources not seen before among thousands of rows.
                numbers = list(new.values())
                new_rows = [[column[number] for number in numbers] for column in columns]
                made = {name: part(new_rows) for name, part in parts}
                for position, related_id in enumerate(new):
                    seen[related_id] = {name: made[name][position] for name, _ in parts}
            return [None if related_id is None else seen[related_id] for related_id in shown]

        return values, lambda columns: [csv_cell(ref) for ref in values(columns)]

    def many_refs(self, field, model, prefix):
        """Related records (many to many) in brief, only the published ones, in their order.

        Each row reads its related ids as one text (an aggregate in a subquery); the related
        records themselves are read once, the published ones, in their model's ordering (as
        the list's prefetch orders them).
        """
        relation = model._meta.get_field(field.source)
        if prefix or not isinstance(relation, ManyToManyField):
            raise NotExportable(f"{model.__name__}.{field.source} is not a many-to-many field")
        through = relation.remote_field.through
        own = relation.m2m_field_name()
        other = through._meta.get_field(relation.m2m_reverse_field_name()).attname
        linked = (
            through.objects.filter(**{own: OuterRef("pk")})
            .order_by()
            .values(own)
            .annotate(ids=JoinedIds(other))
            .values("ids")
        )
        ids_column = self.columns.annotate(f"export_{relation.name}_ids", Subquery(linked))

        related = relation.related_model
        refs = ExportPlan(field.child, related.objects.published(), self.request)
        in_order = refs.queryset.order_by(*related._meta.ordering, "pk")
        rows = list(in_order.values_list("pk", *refs.columns.names))
        items = refs.json_values(list(zip(*[row[1:] for row in rows], strict=True))) if rows else []
        published = {row[0]: item for row, item in zip(rows, items, strict=True)}
        position = {related_id: number for number, related_id in enumerate(published)}
        # Each combination of ids, made once: (the items, the CSV cell).
        seen = {}

        def listed(ids_text):
            ids = [int(text) for text in ids_text.split(",")] if ids_text else []
            ids = sorted((i for i in ids if i in published), key=position.__getitem__)
            items = [published[i] for i in ids]
            found = seen[ids_text] = (items, csv_cell(items))
            return found

        def values(columns):
            return [(seen.get(text) or listed(text))[0] for text in columns[ids_column]]

        def cells(columns):
            return [(seen.get(text) or listed(text))[1] for text in columns[ids_column]]

        return values, cells


def with_text_cells(values):
    """A field whose values are text or null: its values, and its CSV cells."""
    return values, lambda columns: formula_safe_cells(values(columns))


def representation(field):
    """A function of one value (not None) that gives what DRF's `field.to_representation`
    gives: for a date in ISO 8601 (DRF's default) or a list of text (the cited fields' names),
    without DRF's calls per value and per item, which a /data/ build makes millions of."""
    if isinstance(field, drf_fields.DateField):
        output_format = getattr(field, "format", api_settings.DATE_FORMAT)
        if isinstance(output_format, str) and output_format.lower() == ISO_8601:
            return lambda day: day if isinstance(day, str) else day.isoformat()
    if isinstance(field, drf_fields.ListField) and type(field.child) is drf_fields.CharField:
        return lambda items: [
            item if item is None or type(item) is str else str(item) for item in items
        ]
    return field.to_representation


def iso_datetimes(field, column):
    """DRF's DateTimeField.to_representation for ISO 8601 output (its default), without its
    per-value look-up of the time zone: the zone is the request's, found once."""
    represent = field.to_representation
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None or not isinstance(output_format, str) or output_format.lower() != ISO_8601:
        return lambda columns: [represent(moment) if moment else None for moment in columns[column]]

    def iso(moment):
        if not moment:
            return None
        if not timezone.is_aware(moment):
            return represent(moment)
        text = moment.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return lambda columns: [iso(moment) for moment in columns[column]]
