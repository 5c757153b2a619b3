"""The seed, loaded once per test process and replayed into each test that asks for it.

`manage.py seed` takes seconds (every quote checked against its source's text), and about
120 tests start from the seeded database. The first of them in each process runs the command
for real and keeps the rows it wrote, table by table; the later ones insert those same rows
with plain SQL, inside the test's own transaction, so they roll back with it.

The replay writes only the models' tables. What the database derives from them, the data
version, the per-table versions and SQLite's full-text tables, is written by the same
triggers that the seed's own inserts fire, so each test still gets fresh random versions.
A replay happens only where the seed would find the very database it was captured on: when a
table the seed writes holds anything else, the test runs the command for real. The first
replay in each process is compared with what the command wrote, and a difference fails.
On PostgreSQL the rows travel as COPY's text, which gives back every column type exactly.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from cpec_tracker.caching.dataversion import TABLE_VERSION_TABLE, VERSION_TABLE

# Written by triggers on every insert, with random values: never copied.
DERIVED_TABLES = {VERSION_TABLE, TABLE_VERSION_TABLE}


def model_tables():
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    return sorted(tables - DERIVED_TABLES)


def read_rows(cursor, table):
    """A table's rows in an order of their own, ready to be written back by `write_rows`:
    tuples with the column names on SQLite, COPY's text lines on PostgreSQL."""
    quoted = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quoted} TO STDOUT") as copy:
            text = b"".join(bytes(chunk) for chunk in copy)
        return None, sorted(text.splitlines(keepends=True))
    cursor.execute(f"SELECT * FROM {quoted}")
    columns = [column[0] for column in cursor.description]
    return columns, sorted(cursor.fetchall(), key=repr)


def write_rows(cursor, table, columns, rows):
    quoted = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quoted} FROM STDIN") as copy:
            copy.write(b"".join(rows))
        return
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {quoted} ({names}) VALUES ({marks})", rows)


def read_tables(tables):
    with connection.cursor() as cursor:
        return {table: read_rows(cursor, table) for table in tables}


class SeedReplay:
    """What one process's first `seed` wrote: each changed table before and after."""

    def __init__(self):
        self.before = None
        self.after = None
        self.sequences = {}
        self.content_types = []
        self.checked = False

    def load(self):
        """Seed the test's database: by replay when it is the one captured, else for real."""
        if self.after is None:
            self.capture()
        elif read_tables(self.before) == self.before:
            self.replay()
            if not self.checked:
                self.check()
        else:
            call_command("seed", verbosity=0)

    def capture(self):
        tables = model_tables()
        before = read_tables(tables)
        # The content types the seed looks up stay cached in the process, and a later test's
        # query count depends on it (a cold cache costs a query per citable model): note
        # which, from an empty cache, then put back what was cached before.
        cached = ContentType.objects._cache.pop(connection.alias, {})
        call_command("seed", verbosity=0)
        self.content_types = [
            key
            for key in ContentType.objects._cache.get(connection.alias, {})
            if isinstance(key, tuple)
        ]
        ContentType.objects._cache.setdefault(connection.alias, {}).update(cached)
        after = read_tables(tables)
        changed = [table for table in tables if after[table] != before[table]]
        self.before = {table: before[table] for table in changed}
        self.after = {table: after[table] for table in changed}
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
                self.sequences = {
                    name: seq for name, seq in cursor.fetchall() if name in self.after
                }

    def replay(self):
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, rows) in self.after.items():
                if self.before[table][1]:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
                write_rows(cursor, table, columns, rows)
            self.restore_sequences(cursor)
        ContentType.objects.get_for_models(
            *(apps.get_model(app_label, model) for app_label, model in self.content_types)
        )

    def restore_sequences(self, cursor):
        """The next id of each table as the seed left it (SQLite), or past the rows (others)."""
        if connection.vendor == "sqlite":
            for table, seq in self.sequences.items():
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [seq, table])
            return
        models = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.db_table in self.after
        ]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)

    def check(self):
        replayed = read_tables(self.after)
        different = [table for table in self.after if replayed[table] != self.after[table]]
        assert not different, f"the seed's replay differs from the seed in {different}"
        self.checked = True
