"""Whole API collections as CSV and JSON Lines, streamed at database speed.

`?format=csv` and `?format=jsonl` on any API list give every matching row, not one page. A
page goes through DRF's serializer one record at a time; for 100,000 rows that is far too slow
(about 1,400 rows/s: a model instance, a `reverse()` per URL and a serializer pass per row,
and a prefetch query per chunk). An export reads the list serializer's fields once and turns
them into an `ExportPlan`: the columns to read with one `values_list()` query, and, for each
field, a function from a row tuple to the value the serializer gives for it. The rows then
stream straight from the database cursor, written in large chunks.

The serializer stays the one definition of a list item: an export has its fields, in its
order, with its values (the tests compare the two for every collection). A serializer field
the plan cannot read from columns is refused when the plan is made (`NotExportable`), so a
new field shows up in the tests, never as a wrong column.

Queries: one for the rows (a streamed cursor, its chunks fetched as it goes), plus one per
many-to-many field for its published related records, whatever the number of rows.
"""

import csv
import io
import itertools
import operator
import re

import orjson
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
from rest_framework import fields as drf_fields
from rest_framework import serializers as drf_serializers
from rest_framework.settings import ISO_8601, api_settings

from .dates import format_date
from .models import PublicationStatus
from .serializers import (
    ApiUrlField,
    CountryField,
    DateDisplayField,
    HtmlUrlField,
    OptionalURLField,
    RefSerializer,
)

# Rows fetched per database round trip, and written per chunk of the response (about 300 KB
# of CSV for projects: large enough that the per-chunk costs vanish, small enough to stream).
EXPORT_CHUNK_ROWS = 2000

# What a CSV cell may not start with, lest a spreadsheet run it (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER_RE = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")

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

# DRF's JSONRenderer escapes the two line separators that JavaScript (and Python's
# str.splitlines) would break a line on; so does a JSON Lines export.
JSON_LINE_ESCAPES = [
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
]


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


def formula_safe(text):
    """`text` with a single quote in front if a spreadsheet would read it as a formula.

    OWASP's advice against CSV injection: a cell starting with =, +, -, @, tab or carriage
    return is prefixed with ' so that Excel, LibreOffice and Google Sheets show it as text.
    A number written as text (a decimal such as "-12.5") is left alone: it cannot run.
    """
    if text.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER_RE.fullmatch(text):
        return "'" + text
    return text


def csv_cell(value):
    """One CSV cell from a serializer's value: a related record as its slug, a list as items
    joined by "; ", null empty; numbers stay numbers, text that would run is neutralised."""
    if isinstance(value, bool | int | float):
        return value
    return formula_safe(csv_text(value))


def csv_text(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        return value.get("slug", "")
    if isinstance(value, list | tuple):
        return "; ".join(csv_text(item) for item in value)
    return str(value)


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
    """A record's absolute URL from its slug, with `reverse()` run once, not once a row.

    The API's and the pages' detail routes take a slug (`[-a-zA-Z0-9_]+`, nothing to escape),
    so the URL of any record is the placeholder's with the slug put in its place.
    """

    def __init__(self, request, path):
        self.head, self.tail = request.build_absolute_uri(path).split(SLUG_PLACEHOLDER)

    def __call__(self, slug):
        return f"{self.head}{slug}{self.tail}"


class ExportPlan:
    """How to read a list serializer's items from one query: its columns and one function per
    field from a row tuple to the field's value (`json_values`), or to its CSV cell."""

    def __init__(self, serializer, queryset, request):
        self.request = request
        self.model = queryset.model
        self.columns = Columns()
        self.field_names = []
        self.value_functions = []
        self.cell_functions = []
        for name, field in serializer.fields.items():
            value, cell = self.compile_field(field, self.model, prefix="")
            self.field_names.append(name)
            self.value_functions.append(value)
            self.cell_functions.append(cell)
        self.named_values = list(zip(self.field_names, self.value_functions, strict=True))
        queryset = queryset.prefetch_related(None)
        if self.columns.annotations:
            queryset = queryset.annotate(**self.columns.annotations)
        self.queryset = queryset.values_list(*self.columns.names)

    def rows(self):
        """The row tuples, read from one cursor in chunks as the response is sent."""
        return self.queryset.iterator(chunk_size=EXPORT_CHUNK_ROWS)

    def json_values(self, row):
        return {name: value(row) for name, value in self.named_values}

    def csv_cells(self, row):
        return [cell(row) for cell in self.cell_functions]

    # How each kind of serializer field is read.

    def compile_field(self, field, model, prefix):
        """(value function, CSV cell function) for one serializer field of `model`'s rows,
        whose columns are `prefix` + field name (`parent__slug` for a parent's slug)."""
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
        if isinstance(field, drf_serializers.BaseSerializer):
            raise NotExportable(f"{model.__name__}: {field.field_name} is a nested serializer")
        if isinstance(field, DateDisplayField):
            return self.date_display(field, model, prefix)
        model_field = self.model_field(field, model)
        column = self.columns.index(prefix + model_field.name)
        if isinstance(field, CountryField):
            return text_cells(lambda row: row[column] or "")
        if isinstance(field, OptionalURLField):
            return text_cells(lambda row: row[column] or None)
        column_type = model_field.get_internal_type()
        if isinstance(field, VERBATIM_FIELDS) and column_type in TEXT_COLUMNS:
            return operator.itemgetter(column), text_cell(column)
        if isinstance(field, VERBATIM_FIELDS) and column_type in NUMBER_COLUMNS:
            # The csv module writes None as an empty cell, as csv_cell does.
            return operator.itemgetter(column), operator.itemgetter(column)
        if isinstance(field, drf_fields.DateTimeField):
            return text_cells(iso_datetime(field, column))
        represent = field.to_representation

        def value(row):
            raw = row[column]
            return None if raw is None else represent(raw)

        return value, lambda row: csv_cell(value(row))

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
        url = UrlFromSlug(self.request, path)
        slug = self.columns.index(f"{prefix}slug")

        def value(row):
            return url(row[slug])

        # An absolute URL starts with its scheme: no spreadsheet runs it.
        return value, value

    def date_display(self, field, model, prefix):
        # `<date>_display` shows `<date>` as precisely as `<date>_precision` says.
        date_name = field.source.removesuffix("_display")
        names = (date_name, f"{date_name}_precision")
        if field.source == date_name or not all(hasattr(model, name) for name in names):
            raise NotExportable(f"{model.__name__}.{field.source} is not a date with precision")
        date, precision = (self.columns.index(prefix + name) for name in names)
        return text_cells(lambda row: str(format_date(row[date], row[precision])))

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
        seen = {}

        def value(row):
            related_id = row[key]
            if related_id is None or row[status] != published:
                return None
            ref = seen.get(related_id)
            if ref is None:
                ref = seen[related_id] = {name: part(row) for name, part in parts}
            return ref

        return value, lambda row: csv_cell(value(row))

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
        published = {}
        for row in in_order.values_list("pk", *refs.columns.names):
            published[row[0]] = refs.json_values(row[1:])
        position = {related_id: number for number, related_id in enumerate(published)}
        seen = {}

        def listed(row):
            ids_text = row[ids_column]
            found = seen.get(ids_text)
            if found is None:
                ids = [int(text) for text in ids_text.split(",")] if ids_text else []
                ids = sorted((i for i in ids if i in published), key=position.__getitem__)
                items = [published[i] for i in ids]
                found = seen[ids_text] = (items, csv_cell(items))
            return found

        return (lambda row: listed(row)[0]), (lambda row: listed(row)[1])


def text_cells(value):
    """A field whose value is text or null: the value, and its CSV cell."""

    def cell(row):
        text = value(row)
        if text is None:
            return ""
        return formula_safe(text) if text.startswith(FORMULA_TRIGGERS) else text

    return value, cell


def text_cell(column):
    """The CSV cell of a text column (or null): `csv_cell`'s result, with fewer calls."""

    def cell(row):
        text = row[column]
        if text is None:
            return ""
        return formula_safe(text) if text.startswith(FORMULA_TRIGGERS) else text

    return cell


def iso_datetime(field, column):
    """DRF's DateTimeField.to_representation for ISO 8601 output (its default), without its
    per-value look-up of the time zone: the zone is the request's, found once."""
    represent = field.to_representation
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None or not isinstance(output_format, str) or output_format.lower() != ISO_8601:
        return lambda row: represent(row[column]) if row[column] else None

    def value(row):
        moment = row[column]
        if not moment:
            return None
        if not timezone.is_aware(moment):
            return represent(moment)
        text = moment.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return value


def csv_chunks(plan):
    """The CSV's lines, UTF-8, a header then the rows, in chunks of EXPORT_CHUNK_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(plan.field_names)
    cells = plan.csv_cells
    rows = plan.rows()
    while True:
        chunk = list(itertools.islice(rows, EXPORT_CHUNK_ROWS))
        writer.writerows(map(cells, chunk))
        text = buffer.getvalue()
        if text:
            yield text.encode()
        if not chunk:
            return
        buffer.seek(0)
        buffer.truncate()


def json_lines_chunks(plan):
    """One JSON object per line (JSON Lines), the same as a list page's `results` items.

    orjson writes what DRF's JSONRenderer writes for these values (compact, UTF-8), about ten
    times as fast as the json module; the two line separators are escaped as DRF does.
    """
    values = plan.json_values
    rows = plan.rows()
    while chunk := list(itertools.islice(rows, EXPORT_CHUNK_ROWS)):
        text = b"\n".join([orjson.dumps(values(row)) for row in chunk]) + b"\n"
        for separator, escaped in JSON_LINE_ESCAPES:
            text = text.replace(separator, escaped)
        yield text
