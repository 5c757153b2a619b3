"""How an export is written: CSV cells a spreadsheet cannot run, the CSV and JSON Lines
formats in chunks, and a query's rows read column by column (`column_chunks`), which the
API's exports (`cpec_tracker.api.exports`) and `/data/`'s files share."""

import csv
import io
import re

import orjson
from django.db import connections
from django.db.models import JSONField
from django.db.models.fields.json import KeyTransform
from django.db.models.sql.constants import MULTI

# Rows fetched per database round trip, and written per chunk of the response (about 300 KB
# of CSV for projects: large enough that the per-chunk costs vanish, small enough to stream).
EXPORT_CHUNK_ROWS = 2000

# What a CSV cell may not start with, lest a spreadsheet run it (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER_RE = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")

# DRF's JSONRenderer escapes the two line separators that JavaScript (and Python's
# str.splitlines) would break a line on; so does a JSON Lines export.
JSON_LINE_ESCAPES = [
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
]


def formula_safe(text):
    """`text` with a single quote in front if a spreadsheet would read it as a formula.

    OWASP's advice against CSV injection: a cell starting with =, +, -, @, tab or carriage
    return is prefixed with ' so that Excel, LibreOffice and Google Sheets show it as text.
    A number written as text (a decimal such as "-12.5") is left alone: it cannot run.
    """
    if text.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER_RE.fullmatch(text):
        return "'" + text
    return text


def formula_safe_cells(cells):
    """A text column's CSV cells: each text `formula_safe`, null empty. Only a text starting
    with a trigger is looked at further, so a column's cells cost a comparison each, not a
    call (a /data/ build writes millions)."""
    triggers = FORMULA_TRIGGERS
    return [
        ""
        if cell is None
        else formula_safe(cell)
        if type(cell) is str and cell.startswith(triggers)
        else cell
        for cell in cells
    ]


def csv_cell(value):
    """One CSV cell from a serializer's value: a related record as its slug (a child row as its
    name), a list as items joined by "; ", null empty; numbers stay numbers, text that would
    run is neutralised."""
    if isinstance(value, bool | int | float):
        return value
    return formula_safe(csv_text(value))


def csv_text(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        # A related record by its slug; a child row without one (a participant) by its name.
        return value.get("slug") or value.get("name") or ""
    if isinstance(value, list | tuple):
        return "; ".join(csv_text(item) for item in value)
    return str(value)


def column_chunks(queryset, chunk_size, *, server_side_cursor=True):
    """A `values_list()` queryset's rows in chunks of `chunk_size`, each as its columns (a list
    per column), read from one cursor as they are used.

    What `values_list().iterator()` does, with Django's converters (SQLite's text to
    datetimes, say) run over each column of a chunk instead of over each row: the same
    values for a third of the time.
    """
    connection = connections[queryset.db]
    compiler = queryset.query.get_compiler(queryset.db)
    chunked = server_side_cursor and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    results = compiler.execute_sql(MULTI, chunked_fetch=chunked, chunk_size=chunk_size)
    selected = [select[0] for select in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(selected)
    column_converters = {
        position: [column_converter(convert, expression, connection) for convert in functions]
        for position, (functions, expression) in converters.items()
    }
    for rows in results:
        columns = [list(column) for column in zip(*rows, strict=True)]
        for position, functions in column_converters.items():
            for convert in functions:
                columns[position] = convert(columns[position])
        yield columns


def column_converter(convert, expression, connection):
    """Django's converter `convert` of one value as a function of a column's values; a JSON
    field's text parsed by orjson (a sixth of the time of the json module, a million citations'
    field lists in a /data/ build), what orjson refuses by the field's own converter."""
    field = getattr(convert, "__self__", None)
    plain_json = (
        isinstance(field, JSONField)
        and getattr(convert, "__func__", None) is JSONField.from_db_value
        and field.decoder is None
        and not isinstance(expression, KeyTransform)
    )
    if plain_json:

        def parsed(text):
            try:
                return orjson.loads(text)
            except orjson.JSONDecodeError:
                return convert(text, expression, connection)

        return lambda values: [None if text is None else parsed(text) for text in values]
    return lambda values: [convert(value, expression, connection) for value in values]


def csv_chunks(plan):
    """The CSV's lines, UTF-8, a header then the rows, in chunks of EXPORT_CHUNK_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(plan.csv_headers)
    for columns in plan.chunks():
        writer.writerows(plan.csv_cells(columns))
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # No rows: the header alone.
        yield buffer.getvalue().encode()


def json_lines(items):
    """Items as JSON Lines, UTF-8: one compact object a line, each line ending in a newline.

    orjson writes what DRF's JSONRenderer writes for these values (compact, UTF-8), about ten
    times as fast as the json module; the two line separators are escaped as DRF does.
    """
    if not items:
        return b""
    text = b"\n".join(map(orjson.dumps, items)) + b"\n"
    for separator, escaped in JSON_LINE_ESCAPES:
        text = text.replace(separator, escaped)
    return text


def json_lines_chunks(plan):
    """One JSON object per line (JSON Lines), the same as a list page's `results` items."""
    for columns in plan.chunks():
        yield json_lines(plan.json_values(columns))


def geojson_chunks(plan):
    """A GeoJSON FeatureCollection (RFC 7946), UTF-8, written a chunk of features at a time:
    `plan.chunks()` gives lists of features, `plan.note` what the collection leaves out (a
    foreign member, which RFC 7946 section 6.1 allows)."""
    yield b'{"type":"FeatureCollection","note":' + orjson.dumps(plan.note) + b',"features":['
    separator = b"\n"
    for features in plan.chunks():
        if not features:
            continue
        text = b",\n".join(map(orjson.dumps, features))
        for line_break, escaped in JSON_LINE_ESCAPES:
            text = text.replace(line_break, escaped)
        yield separator + text
        separator = b",\n"
    yield b"\n]}\n"
