"""The whole published dataset as tables: the one description (`tables()`) the CSV files, the
SQLite file and the data package are written from (`datawriters`), so they always agree.

The tables are generated from the models: each record model is a table keyed by slug, each
child row model (offices, participants, outcomes, key figures…) a table keyed by id, each
many-to-many link a table of slug pairs, and the citations one table. Related records appear
by slug. Only public rows are read (`published()`): published records, child rows of
published records, links between published records, and citations from a published source of
a public row; a link to a draft is left empty, as the API shows it null.
"""

import datetime
import decimal
import json
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast

from cpec_tracker.api.export_formats import column_chunks
from cpec_tracker.records import registry
from cpec_tracker.records.models import (
    Citation,
    PublicationStatus,
    Record,
    published_through,
)
from cpec_tracker.site.dictionary import field_description, field_type

PUBLISHED = PublicationStatus.PUBLISHED
# Bookkeeping that says nothing about the corridor (or would expose editors) stays out.
LEFT_OUT = {
    "version",
    "created_at",
    "created_by",
    "updated_by",
    "publication_status",
    "url_key",
    "text_digest",
    "sentence_spans",
    "mentioned_records",
}
# Rows read per database round trip.
CHUNK_SIZE = 2000


@dataclass
class Column:
    name: str
    type: str
    description: str
    # What to read with `values()`, and how to turn what is read into the cell.
    lookups: list = field(default_factory=list)
    convert: object = None
    references: tuple = None  # (table, key column) of a related record
    choices: list = None


@dataclass
class Table:
    name: str
    title: str
    description: str
    queryset: object
    columns: list
    primary_key: list

    @property
    def field_names(self):
        return [column.name for column in self.columns]

    def cell_chunks(self):
        """The rows a chunk at a time, each chunk as its columns' cells (lists), in primary-key
        order.

        Read column by column (`column_chunks`): each column's converter runs over the chunk's
        values with `map`, not through a function call per cell.
        """
        lookups = [lookup for column in self.columns for lookup in column.lookups]
        position = 0
        readers = []
        for column in self.columns:
            readers.append((position, len(column.lookups), column.convert))
            position += len(column.lookups)
        for columns in column_chunks(self.queryset.values_list(*lookups), CHUNK_SIZE):
            yield [
                list(map(convert, *columns[start : start + size]))
                for start, size, convert in readers
            ]


def plain(value):
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return value


def text_or_none(text):
    """`plain` for a text column: empty text is None."""
    return text or None


def as_read(value):
    """`plain` for a number or yes/no column: the value as it is read."""
    return value


def iso_or_none(moment):
    """`plain` for a date or date-time column."""
    return None if moment is None else moment.isoformat()


def decimal_text(number):
    """`plain` for a decimal column."""
    if number is None:
        return None
    return format(number.normalize(), "f") if number == number.to_integral() else str(number)


def json_text(value):
    """A JSON column (a location's GeoJSON geometry) as JSON text: one cell, which CSV and
    SQLite can hold, that any JSON reader parses back."""
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def plain_converter(model_field):
    """What `plain` does to this field's values, without its tests of each value's type."""
    if isinstance(model_field, models.JSONField):
        return json_text
    if isinstance(model_field, models.CharField | models.TextField):
        return text_or_none
    if isinstance(model_field, models.DateField):  # DateTimeField included
        return iso_or_none
    if isinstance(model_field, models.IntegerField | models.BooleanField | models.FloatField):
        return as_read
    if isinstance(model_field, models.DecimalField):
        return decimal_text
    return plain


def slug_if_published(slug, status):
    return slug if status == PUBLISHED else None


def table_name_of(model):
    return registry.kind_of(model).table


def model_columns(model):
    """A table's columns from the model's concrete fields: relations to records by slug."""
    columns = []
    for model_field in model._meta.concrete_fields:
        name = model_field.name
        if name in LEFT_OUT or (name == "id" and issubclass(model, Record)):
            continue
        description = field_description(model_field)
        if model_field.is_relation:
            target = model_field.related_model
            if name == "id":
                continue
            columns.append(
                Column(
                    name=name,
                    type="string",
                    description=f"{description} The {target._meta.verbose_name}’s slug; empty "
                    "when none is given or it is not published.",
                    lookups=[f"{name}__slug", f"{name}__publication_status"],
                    convert=slug_if_published,
                    references=(table_name_of(target), "slug"),
                )
            )
            continue
        if name == "id":
            description = "The row's id in the tracker (citations of the row name it)."
        column_type = field_type(model_field)
        if isinstance(model_field, models.JSONField):
            column_type = "string"
        columns.append(
            Column(
                name=name,
                type=column_type,
                description=description,
                lookups=[name],
                convert=plain_converter(model_field),
                choices=[value for value, _label in model_field.choices]
                if model_field.choices
                else None,
            )
        )
    if issubclass(model, Record):
        columns.append(
            Column(
                name="html_url",
                type="string",
                description="The record's page on the site.",
                lookups=["slug"],
                convert=page_url(model),
            )
        )
    return columns


def page_url(model):
    """slug → the record's page address on the site (the URL pattern read once)."""
    template = model(slug="SLUG-PLACEHOLDER").get_absolute_url()

    def convert(slug):
        return settings.CPEC_SITE_URL.rstrip("/") + template.replace("SLUG-PLACEHOLDER", slug)

    return convert


def record_table(name, model):
    key = ["slug"] if issubclass(model, Record) else ["id"]
    order = "slug" if key == ["slug"] else "pk"
    return Table(
        name=name,
        title=str(capital(model._meta.verbose_name_plural)),
        description=(model.__doc__ or "").strip().splitlines()[0],
        queryset=model.objects.published().order_by(order),
        columns=model_columns(model),
        primary_key=key,
    )


def capital(text):
    text = str(text)
    return text[:1].upper() + text[1:]


def link_table(model, field_name):
    """A many-to-many field as a table of (record, related record) slug pairs."""
    m2m = model._meta.get_field(field_name)
    through = m2m.remote_field.through
    own = m2m.m2m_field_name()
    other = m2m.m2m_reverse_field_name()
    own_table, other_table = table_name_of(model), table_name_of(m2m.related_model)
    own_column = model._meta.model_name
    other_column = m2m.related_model._meta.model_name
    queryset = through.objects.filter(published_through(own), published_through(other)).order_by(
        f"{own}__slug", f"{other}__slug"
    )
    return Table(
        name=f"{model._meta.model_name}_{field_name}",
        title=f"{capital(model._meta.verbose_name)} {m2m.verbose_name}",
        description=field_description(m2m),
        queryset=queryset,
        columns=[
            Column(
                own_column,
                "string",
                f"The {model._meta.verbose_name}’s slug.",
                [f"{own}__slug"],
                plain,
                (own_table, "slug"),
            ),
            Column(
                other_column,
                "string",
                f"The {m2m.related_model._meta.verbose_name}’s slug.",
                [f"{other}__slug"],
                plain,
                (other_table, "slug"),
            ),
        ],
        primary_key=[own_column, other_column],
    )


class CitationTable(Table):
    """Citations of public rows from published sources, each naming the row it supports."""

    def cell_chunks(self):
        for name, model in registry.tables():
            content_type = ContentType.objects.get_for_model(model)
            citations = Citation.objects.filter(
                published_through("source"),
                content_type=content_type,
                object_id__in=model.objects.published().values("pk"),
            ).order_by("pk")
            is_record = issubclass(model, Record)
            slugs = {}
            if is_record:
                cited = citations.values("object_id")
                slugs = dict(model.objects.filter(pk__in=cited).values_list("pk", "slug"))
            # The field names as the JSON text stored, parsed by orjson: a third of the time
            # of the JSON field's own conversion.
            read = citations.annotate(fields_text=Cast("fields", models.TextField())).values_list(
                "pk", "source__slug", "object_id", "fields_text", "quote", "note"
            )
            for pks, sources, object_ids, fields, quotes, notes in column_chunks(read, CHUNK_SIZE):
                nothing = [None] * len(pks)
                yield [
                    pks,
                    sources,
                    [name] * len(pks),
                    [slugs.get(object_id) for object_id in object_ids] if is_record else nothing,
                    nothing if is_record else object_ids,
                    [field_list(text) for text in fields],
                    quotes,
                    [note or None for note in notes],
                ]


def field_list(json_text):
    """A citation's fields (stored as a JSON list) as one cell: "value; unit"."""
    return "; ".join(orjson.loads(json_text) or []) or None if json_text else None


def citation_table():
    return CitationTable(
        name="citations",
        title="Citations",
        description="One fact's evidence: a verbatim quote from a published source, and the "
        "record or row it supports.",
        queryset=None,
        columns=[
            Column("id", "integer", "The citation's id in the tracker."),
            Column(
                "source",
                "string",
                "The source quoted: its slug.",
                references=("sources", "slug"),
            ),
            Column("record_table", "string", "The table of the row the quote supports."),
            Column(
                "record",
                "string",
                "The record the quote supports, by slug (for a record's own citations).",
            ),
            Column(
                "row_id",
                "integer",
                "The row the quote supports, by id (for a participant, an outcome, a key "
                "figure… of a record).",
            ),
            Column(
                "fields",
                "string",
                "The fields of the record or row the quote supports, separated by “; ”; empty "
                "for the record as a whole.",
            ),
            Column("quote", "string", "The quote, verbatim from the source's text."),
            Column("note", "string", "An editor's note on the citation."),
        ],
        primary_key=["id"],
    )


def tables():
    """Every table of the dataset, in the registry's order, then links and citations."""
    return [
        *(record_table(name, model) for name, model in registry.tables()),
        *(
            link_table(model, m2m.name)
            for _name, model in registry.tables()
            for m2m in model._meta.many_to_many
        ),
        citation_table(),
    ]
