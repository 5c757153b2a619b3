"""The whole published dataset as files: CSV tables, JSON Lines, SQLite, Popolo, a data package.

One description of the tables (`tables()`) drives the CSV files, the SQLite file and the data
package, so they always agree. It is generated from the models: each record model is a table
keyed by slug, each child row model (offices, participants, outcomes, key figures…) a table
keyed by id, each many-to-many link a table of slug pairs, and the citations one table.
Related records appear by slug. Only public rows are read (`published()`): published records,
child rows of published records, links between published records, and citations from a
published source of a public row; a link to a draft is left empty, as the API shows it null.
"""

import csv
import datetime
import decimal
import json
import sqlite3
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cpec_tracker.api.exports import column_chunks, formula_safe
from cpec_tracker.api.rest import json_line
from cpec_tracker.records import registry
from cpec_tracker.records.models import (
    Citation,
    Organization,
    PublicationStatus,
    Record,
    if_public,
    published_through,
)
from cpec_tracker.site.dictionary import field_description, field_type
from meetings.models import Appointment, Meeting, Official, Participation

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

    def rows(self):
        """Each row as a tuple of cell values (None for empty), in primary-key order.

        Read a chunk at a time, column by column (`column_chunks`): each column's converter
        runs over the chunk's values with `map`, not through a function call per cell.
        """
        lookups = [lookup for column in self.columns for lookup in column.lookups]
        position = 0
        readers = []
        for column in self.columns:
            readers.append((position, len(column.lookups), column.convert))
            position += len(column.lookups)
        for columns in column_chunks(self.queryset.values_list(*lookups), CHUNK_SIZE):
            yield from zip(
                *[map(convert, *columns[start : start + size]) for start, size, convert in readers],
                strict=True,
            )


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


def plain_converter(model_field):
    """What `plain` does to this field's values, without its tests of each value's type."""
    if isinstance(model_field, models.CharField | models.TextField):
        return text_or_none
    if isinstance(model_field, models.DateField):  # DateTimeField included
        return iso_or_none
    if isinstance(model_field, models.IntegerField | models.BooleanField | models.FloatField):
        return as_read
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

    def rows(self):
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
            read = citations.values_list(
                "pk", "source__slug", "object_id", "fields", "quote", "note"
            )
            for pks, sources, object_ids, fields, quotes, notes in column_chunks(read, CHUNK_SIZE):
                nothing = [None] * len(pks)
                yield from zip(
                    pks,
                    sources,
                    [name] * len(pks),
                    [slugs.get(object_id) for object_id in object_ids] if is_record else nothing,
                    nothing if is_record else object_ids,
                    ["; ".join(names or []) or None for names in fields],
                    quotes,
                    [note or None for note in notes],
                    strict=True,
                )


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


# Writers -------------------------------------------------------------------------------


def write_csv(table, stream):
    """A table as UTF-8 CSV with a header row (None an empty cell, as the csv module writes
    it; text a spreadsheet would run as a formula neutralised, as in the API's exports);
    returns how many rows it wrote."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(table.field_names)
    count = 0
    for row in table.rows():
        writer.writerow([formula_safe(value) if type(value) is str else value for value in row])
        count += 1
    return count


SQLITE_TYPES = {
    "string": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
    "date": "TEXT",
    "datetime": "TEXT",
}


def numbers_as_floats(rows, positions):
    """The rows with the cells at `positions` (number columns, read as exact decimals) as
    floats, which SQLite stores as REAL."""
    for row in rows:
        row = list(row)
        for position in positions:
            if row[position] is not None:
                row[position] = float(row[position])
        yield row


def write_sqlite(table_list, path):
    """Every table into a new SQLite file, with keys, foreign keys and their indexes."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        counts = {}
        for table in table_list:
            definitions = [
                f'"{column.name}" {SQLITE_TYPES[column.type]}' for column in table.columns
            ]
            keys = ", ".join(f'"{name}"' for name in table.primary_key)
            definitions.append(f"PRIMARY KEY ({keys})")
            for column in table.columns:
                if column.references:
                    target, key = column.references
                    definitions.append(
                        f'FOREIGN KEY ("{column.name}") REFERENCES "{target}" ("{key}")'
                    )
            connection.execute(f'CREATE TABLE "{table.name}" ({", ".join(definitions)})')
            placeholders = ", ".join("?" for _column in table.columns)
            rows = table.rows()
            numbers = [
                position for position, column in enumerate(table.columns) if column.type == "number"
            ]
            if numbers:
                rows = numbers_as_floats(rows, numbers)
            cursor = connection.executemany(
                f'INSERT INTO "{table.name}" VALUES ({placeholders})', rows
            )
            counts[table.name] = cursor.rowcount
            for column in table.columns:
                if column.references and column.name not in table.primary_key[:1]:
                    connection.execute(
                        f'CREATE INDEX "{table.name}_{column.name}" '
                        f'ON "{table.name}" ("{column.name}")'
                    )
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()
    return counts


class SiteRequest(HttpRequest):
    """A request for the site's own address (CPEC_SITE_URL): the API's serializers build
    absolute URLs from it when the files are built outside any visitor's request."""

    def __init__(self):
        super().__init__()
        address = urlsplit(settings.CPEC_SITE_URL)
        self._site_scheme = address.scheme or "http"
        self._site_host = address.netloc
        self.path = self.path_info = "/"
        self.method = "GET"
        self.META = {"SERVER_NAME": address.hostname or "localhost"}

    def get_host(self):
        return self._site_host

    def _get_scheme(self):
        return self._site_scheme


def api_collections():
    """{collection name: viewset class}, in the API root's order."""
    return registry.collections()


def write_jsonl(viewset_class, stream, request):
    """Every published record of a collection, one API detail a line, read from the selector
    the API detail reads (`detail_read`); returns the count."""
    queryset = viewset_class.detail_read().order_by("slug")
    serializer = viewset_class.detail_serializer_class(context={"request": request})
    count = 0
    for record in queryset.iterator(chunk_size=500):
        stream.write(json_line(serializer.to_representation(record)))
        count += 1
    return count


# Popolo ---------------------------------------------------------------------------------


def popolo_date(date, precision):
    """A date as precisely as it is known, in Popolo's form: 2025, 2025-01 or 2025-01-10."""
    if date is None:
        return None
    text = date.isoformat()
    return {"year": text[:4], "month": text[:7]}.get(precision, text)


def popolo_identifiers(record):
    wikidata = getattr(record, "wikidata_id", "")
    return [{"scheme": "wikidata", "identifier": wikidata}] if wikidata else []


def other_names(record, *extra):
    names = [name for name in extra if name] + record.alias_list
    return [{"name": name} for name in dict.fromkeys(names)]


def popolo(request):
    """Persons (officials), organizations, memberships (offices held) and events (meetings,
    with who attended), as the Popolo specification describes them."""
    site = settings.CPEC_SITE_URL.rstrip("/")
    organizations = Organization.objects.published().select_related("parent").order_by("slug")
    published_organizations = set(organizations.values_list("slug", flat=True))
    persons = [
        {
            "id": official.slug,
            "name": official.name,
            "other_names": other_names(official, official.native_name),
            "identifiers": popolo_identifiers(official),
            "national_identity": official.country.code or None,
            "biography": official.bio or None,
            "links": [{"url": site + official.get_absolute_url(), "note": "CPEC Tracker"}],
        }
        for official in Official.objects.published().order_by("slug").iterator(CHUNK_SIZE)
    ]
    organization_items = [
        {
            "id": organization.slug,
            "name": organization.name,
            "other_names": other_names(organization, organization.short_name),
            "identifiers": popolo_identifiers(organization),
            "classification": organization.kind,
            "parent_id": organization.parent.slug if if_public(organization.parent) else None,
            "description": organization.description or None,
            "links": [{"url": site + organization.get_absolute_url(), "note": "CPEC Tracker"}],
        }
        for organization in organizations.iterator(CHUNK_SIZE)
    ]
    memberships = []
    appointments = (
        Appointment.objects.published().select_related("official", "organization").order_by("pk")
    )
    for appointment in appointments.iterator(CHUNK_SIZE):
        organization = appointment.organization
        memberships.append(
            {
                "id": f"appointment-{appointment.pk}",
                "person_id": appointment.official.slug,
                "organization_id": organization.slug
                if organization and organization.slug in published_organizations
                else None,
                "role": appointment.title,
                "label": appointment.title,
                "start_date": popolo_date(appointment.start, appointment.start_precision),
                "end_date": popolo_date(appointment.end, appointment.end_precision),
            }
        )
    attendees = {}
    participations = (
        Participation.objects.published()
        .select_related("official")
        .order_by("meeting_id", "order", "pk")
    )
    for participation in participations.iterator(CHUNK_SIZE):
        attendee = {"name": participation.display_name}
        if participation.official_id:
            attendee["id"] = participation.official.slug
        attendees.setdefault(participation.meeting_id, []).append(attendee)
    events = []
    meetings = Meeting.objects.published().select_related("body").order_by("slug")
    for meeting in meetings.iterator(CHUNK_SIZE):
        place = ", ".join(part for part in (meeting.city, meeting.country.name) if part)
        events.append(
            {
                "id": meeting.slug,
                "name": meeting.title,
                "description": meeting.summary or None,
                "classification": meeting.kind,
                "status": meeting.status,
                "start_date": popolo_date(meeting.date, meeting.date_precision),
                "location": place or None,
                "organization_id": meeting.body.slug if if_public(meeting.body) else None,
                "attendees": attendees.get(meeting.pk, []),
                "sources": [{"url": site + meeting.get_absolute_url(), "note": "CPEC Tracker"}],
            }
        )
    return {
        "persons": persons,
        "organizations": organization_items,
        "memberships": memberships,
        "events": events,
    }


def write_popolo(stream, request):
    data = popolo(request)
    json.dump(data, stream, ensure_ascii=False, indent=1)
    return {name: len(items) for name, items in data.items()}


# The data package ------------------------------------------------------------------------

LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}


def table_schema(table):
    schema = {
        "fields": [
            {
                "name": column.name,
                "type": column.type,
                "description": column.description,
                **({"constraints": {"enum": column.choices}} if column.choices else {}),
            }
            for column in table.columns
        ],
        "primaryKey": table.primary_key,
    }
    foreign_keys = [
        {
            "fields": column.name,
            "reference": {"resource": column.references[0], "fields": column.references[1]},
        }
        for column in table.columns
        if column.references
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def csv_resource(table, path, stats):
    return {
        "name": table.name,
        "path": path,
        "title": table.title,
        "description": table.description,
        "profile": "tabular-data-resource",
        "type": "table",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        **stats,
        "schema": table_schema(table),
    }


def file_resource(name, path, file_format, mediatype, description, stats):
    return {
        "name": name,
        "path": path,
        # A file to download whole, not a table to parse (the JSON Lines hold nested objects).
        "type": "file",
        "format": file_format,
        "mediatype": mediatype,
        "description": description,
        **stats,
    }


def datapackage(*, version, created, resources):
    return {
        "profile": "data-package",
        "name": "cpec-tracker",
        "title": "CPEC Tracker: the public record of the China–Pakistan Economic Corridor",
        "description": str(
            _(
                "Meetings, officials and their offices, projects and their timelines, "
                "organizations, themes and sources, each fact with the verbatim quote from a "
                "published source that supports it. Only published records."
            )
        ),
        "version": version,
        "created": created,
        "homepage": settings.CPEC_SITE_URL.rstrip("/") + "/data/",
        "licenses": [LICENCE],
        "resources": resources,
    }
