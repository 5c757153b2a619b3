"""The /data/ files' formats: CSV, SQLite, JSON Lines, Popolo and the data package.

The CSV files, the SQLite file and the data package are written from `dataset.tables()`, so
they always agree; the JSON Lines hold the API's detail answers; Popolo its own selection.
`datafiles` decides when they are built and where they go.
"""

import csv
import heapq
import operator
import sqlite3
from urllib.parse import urlsplit

import orjson
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cpec_tracker.api.detailplan import DetailPlan
from cpec_tracker.api.export_formats import (
    column_chunks,
    formula_safe_cells,
    geojson_chunks,
    json_lines,
)
from cpec_tracker.records import registry
from cpec_tracker.records.models import Organization, if_public
from cpec_tracker.site.dataset import CHUNK_SIZE
from meetings.models import Appointment, Meeting, Official, Participation

SQLITE_TYPES = {
    "string": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
    "date": "TEXT",
    "datetime": "TEXT",
}


def sqlite_numbers(cells):
    """A number column's cells (exact decimals' text) as floats, which SQLite stores as
    REAL."""
    return [None if number is None else float(number) for number in cells]


def sqlite_create(table):
    """The table's CREATE TABLE statement, with its primary and foreign keys."""
    definitions = [f'"{column.name}" {SQLITE_TYPES[column.type]}' for column in table.columns]
    keys = ", ".join(f'"{name}"' for name in table.primary_key)
    definitions.append(f"PRIMARY KEY ({keys})")
    for column in table.columns:
        if column.references:
            target, key = column.references
            definitions.append(f'FOREIGN KEY ("{column.name}") REFERENCES "{target}" ("{key}")')
    return f'CREATE TABLE "{table.name}" ({", ".join(definitions)})'


def open_sqlite(path):
    """A new SQLite file for writing at once: no journal, no waiting for the disk (a killed
    build's file is thrown away with its folder)."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    return connection


def write_table(table, stream, sqlite_path):
    """A table, from one read of its rows, as UTF-8 CSV with a header row into `stream` and
    into its own SQLite file at `sqlite_path` (`join_sqlite` puts the tables' files together);
    returns how many rows it wrote."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(table.field_names)
    # Text a spreadsheet would run as a formula neutralised, as in the API's exports.
    in_csv = [formula_safe_cells if column.type == "string" else None for column in table.columns]
    in_sqlite = [sqlite_numbers if column.type == "number" else None for column in table.columns]
    connection = open_sqlite(sqlite_path)
    try:
        connection.execute(sqlite_create(table))
        insert = f'INSERT INTO "{table.name}" VALUES ({", ".join("?" for _ in table.columns)})'
        count = 0
        for cells in table.cell_chunks():
            writer.writerows(zip(*map(converted, in_csv, cells), strict=True))
            connection.executemany(insert, zip(*map(converted, in_sqlite, cells), strict=True))
            count += len(cells[0])
        connection.commit()
    finally:
        connection.close()
    return count


def converted(convert, cells):
    """A column's `cells` through `convert`, a function of a column (None: as they are)."""
    return cells if convert is None else convert(cells)


def join_sqlite(table_list, table_paths, path):
    """Every table's own SQLite file (`write_table`'s) copied into one new SQLite file, with
    keys, foreign keys and their indexes; returns the rows it holds."""
    connection = open_sqlite(path)
    try:
        count = 0
        for table, table_path in zip(table_list, table_paths, strict=True):
            connection.execute(sqlite_create(table))
            connection.execute("ATTACH DATABASE ? AS piece", (str(table_path),))
            count += connection.execute(
                f'INSERT INTO "{table.name}" SELECT * FROM piece."{table.name}"'
            ).rowcount
            connection.commit()
            connection.execute("DETACH DATABASE piece")
            for column in table.columns:
                if column.references and column.name not in table.primary_key[:1]:
                    connection.execute(
                        f'CREATE INDEX "{table.name}_{column.name}" '
                        f'ON "{table.name}" ("{column.name}")'
                    )
        connection.commit()
    finally:
        connection.close()
    return count


# Records read per query for the JSON Lines (and per query of each nested relation).
DETAIL_CHUNK = 500


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


def jsonl_details(viewset_class):
    """The details of a collection's JSON Lines in their order: the order of what addresses
    them (`lookup_field`: the slug, or the id of a row that has none)."""
    return viewset_class.detail_read().order_by(viewset_class.lookup_field)


def jsonl_ranges(viewset_class, records_per_range):
    """The collection's records cut into ranges of `records_per_range` in the file's order,
    each as (its first key, the next range's first key), to write at once and join; the first
    range has no lower bound and the last no upper bound (None), so a record saved meanwhile
    falls in one of them."""
    keys = list(jsonl_details(viewset_class).values_list(viewset_class.lookup_field, flat=True))
    starts = [None, *keys[records_per_range::records_per_range]]
    return list(zip(starts, [*starts[1:], None], strict=True))


def write_jsonl(viewset_class, stream, request, key_range=(None, None), nested=None):
    """Every published record of a collection (whose key is in `key_range`, see
    `jsonl_ranges`), one API detail a line, read from the selector the API detail reads
    (`detail_read`) column by column (`DetailPlan`: no model instances), into `stream` (which
    takes bytes); returns the count.

    `nested`, for a collection that NESTED_COLLECTIONS names as a parent: (the child
    collection, a stream) to write the child records its records list into, as the child's
    own details, in the child's order (by id)."""
    serializer = viewset_class.detail_serializer_class(context={"request": request})
    details = jsonl_details(viewset_class)
    first, after_last = key_range
    if first is not None:
        details = details.filter(**{f"{viewset_class.lookup_field}__gte": first})
    if after_last is not None:
        details = details.filter(**{f"{viewset_class.lookup_field}__lt": after_last})
    plan = DetailPlan(serializer, details, request)
    count = 0
    children = []
    for columns in column_chunks(plan.queryset, DETAIL_CHUNK):
        items = plan.json_values(columns)
        stream.write(json_lines(items))
        count += len(items)
        if nested is not None:
            children.extend(nested_details(items, nested[0]))
    if nested is not None:
        nested[1].write(json_lines(sorted(children, key=operator.itemgetter("id"))))
    return count


# A collection whose every record a parent collection's details list in full (but for the link
# to the parent): {collection: (parent collection, the parent's field listing them, the field
# linking to the parent)}. Its JSON Lines are taken from the parent's details as they are
# written, not read and serialised again: financing was a sixth of a /data/ build at 100,000
# projects. Both read `published(...)` rows of published parents, so they list the same
# records; tests/cpec_tracker/test_representation.py proves the lines the API's details.
NESTED_COLLECTIONS = {"financing": ("projects", "financing", "project")}


def nested_details(items, collection):
    """The `collection` records (see NESTED_COLLECTIONS) that the parent details `items` list,
    each as its own detail: its id, its parent's brief, then what the parent lists."""
    _parent, field, link = NESTED_COLLECTIONS[collection]
    for item in items:
        if not item[field]:
            continue
        brief = titled_brief(item)
        for row in item[field]:
            detail = {"id": row["id"], link: brief}
            detail.update(row)
            yield detail


def titled_brief(item):
    """A record's brief as `TitledRefSerializer` gives it, from the record's own detail (its
    label and title are both its title in the language of the build)."""
    return {
        "slug": item["slug"],
        "url": item["url"],
        "html_url": item["html_url"],
        "label": item["title"],
        "title": item["title"],
    }


def line_id(line):
    """The id of a JSON Lines line `nested_details` made, which starts with it."""
    return int(line[len(b'{"id":') : line.index(b",")])


def merge_by_id(paths, stream):
    """The lines of the files at `paths`, each in order of id, into `stream` in order of id;
    returns the count."""
    files = [open(path, "rb") for path in paths]  # noqa: SIM115 (closed below)
    try:
        count = 0
        for line in heapq.merge(*files, key=line_id):
            stream.write(line)
            count += 1
        return count
    finally:
        for file in files:
            file.close()


def geojson_collections():
    """{collection name: viewset class} of the API's lists that answer `?format=geojson`."""
    return {
        collection: viewset
        for collection, viewset in api_collections().items()
        if viewset.features is not None
    }


def write_geojson(viewset_class, stream, request):
    """The places of every published record of a collection as one GeoJSON FeatureCollection,
    written as the API's `?format=geojson` writes it (`stream` takes bytes); returns the
    number of features."""
    model = viewset_class.model
    plan = viewset_class.features(
        model.objects.published().order_by(*model._meta.ordering, "pk"), request
    )
    counted = FeatureCount(plan)
    for chunk in geojson_chunks(counted):
        stream.write(chunk)
    return counted.features


class FeatureCount:
    """A features plan that counts the features it gives."""

    def __init__(self, plan):
        self.plan = plan
        self.note = plan.note
        self.features = 0

    def chunks(self):
        for features in self.plan.chunks():
            self.features += len(features)
            yield features


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
    """The Popolo file into `stream` (which takes bytes), indented to be read: by orjson, as the
    JSON Lines are (the json module writes indented JSON in Python, 4 s at 100,000 projects)."""
    data = popolo(request)
    stream.write(orjson.dumps(data, option=orjson.OPT_INDENT_2))
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
