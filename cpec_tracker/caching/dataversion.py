"""The data version: one value that changes whenever any tracker table changes, and one per
table that changes whenever that table does.

The page cache keys every stored page on the versions of the tables it read
(`recording_reads` sees every query a view runs), so a change is visible on the very next
request of every page that shows it, and only those go cold. The versions are kept by database
triggers rather than Django signals because signals miss
`bulk_create`, `QuerySet.update()`, raw SQL and imports; a trigger sees every write.
Each write stores a new random value (not a counter) so that a database restored from a
backup, or a test rolled back, never reuses a version that meant different data.

The triggers are (re)installed after every `migrate` for every table of the tracker apps,
including tables that later migrations add.
"""

import contextlib
import contextvars
import functools
import re

from django.apps import apps as global_apps
from django.db import connections

from cpec_tracker.caching import shared_versions
from cpec_tracker.records import registry

VERSION_TABLE = "cpec_tracker_dataversion"
VERSION_ROW = 1
TABLE_VERSION_TABLE = "cpec_tracker_tableversion"
# Tables of the tracker apps whose writes change no version: the versions themselves, and
# readers' reports (records.models.reports), which no public page, API answer or data file
# reads, so that a reader's report does not make pages and /data/ go cold.
UNTRACKED_TABLES = frozenset({VERSION_TABLE, TABLE_VERSION_TABLE, "cpec_tracker_errorreport"})
# The name under which `versions()` gives the whole database's version, and the read that
# stands for "every table" (a view that read the data version itself, or no table at all).
WHOLE_DATABASE = "*"
TRIGGER_SUFFIX = "_data_version"

# Dropped first: SQLite has no CREATE OR REPLACE TRIGGER, and a database made before the
# per-table versions keeps triggers that bump the data version only.
SQLITE_DROP_TRIGGER = 'DROP TRIGGER IF EXISTS "{name}"'
SQLITE_TRIGGER = """
CREATE TRIGGER "{name}" AFTER {operation} ON "{table}" BEGIN
    INSERT INTO {version_table} (id, value) VALUES ({row}, random())
    ON CONFLICT (id) DO UPDATE SET value = excluded.value;
    INSERT INTO {table_version_table} ("table", value) VALUES ('{table}', random())
    ON CONFLICT ("table") DO UPDATE SET value = excluded.value;
END
"""

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION cpec_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {version_table} (id, value)
    VALUES ({row}, floor(random() * 9007199254740991)::bigint)
    ON CONFLICT (id) DO UPDATE SET value = excluded.value;
    INSERT INTO {table_version_table} ("table", value)
    VALUES (TG_TABLE_NAME, floor(random() * 9007199254740991)::bigint)
    ON CONFLICT ("table") DO UPDATE SET value = excluded.value;
    RETURN NULL;
END
$$
"""

POSTGRESQL_DROP_TRIGGER = 'DROP TRIGGER IF EXISTS "{name}" ON "{table}"'

# One statement-level trigger per table: a bulk insert of 1,000 rows bumps the version once.
POSTGRESQL_TRIGGER = """
CREATE OR REPLACE TRIGGER "{name}"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"
FOR EACH STATEMENT EXECUTE FUNCTION cpec_bump_data_version()
"""


def current(using="default"):
    """The current data version, or None before the first write (nothing may be cached then)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT value FROM {VERSION_TABLE} WHERE id = %s", [VERSION_ROW])
        row = cursor.fetchone()
    return None if row is None else row[0]


def versions(using="default"):
    """Every written table's version, and the whole database's under WHOLE_DATABASE, read
    once per `read_once` block: in one query, or from Redis when they are kept there
    (`shared_versions`). A table never written since the versions began has none (it reads
    as 0)."""
    return versions_and_cached(None, using)[0]


def versions_and_cached(key, using="default"):
    """(`versions(using)`, what the page cache holds under `key`, or None): read together,
    in one Redis round trip and no query when Redis keeps the versions."""
    held = _versions_held.get()
    if held is not None and using in held:
        return held[using], (shared_versions.page_cache().get(key) if key else None)
    token = _tables_read.set(None)  # bookkeeping, not a read of the data
    try:
        found, cached = shared_versions.read(using, key, functools.partial(_read_versions, using))
    finally:
        _tables_read.reset(token)
    if held is not None:
        held[using] = found
    return found, cached


def _read_versions(using):
    with connections[using].cursor() as cursor:
        cursor.execute(
            f'SELECT "table", value FROM {TABLE_VERSION_TABLE} '
            f"UNION ALL SELECT %s, value FROM {VERSION_TABLE} WHERE id = %s",
            [WHOLE_DATABASE, VERSION_ROW],
        )
        return dict(cursor.fetchall())


# The versions read in the current `read_once` block, by database alias.
_versions_held = contextvars.ContextVar("cpec_versions_held", default=None)


@contextlib.contextmanager
def read_once():
    """Inside the block `versions()` reads the database once and gives that answer after.

    For a request that writes nothing (a reader's GET): the page cache's look-up and each
    count the page shows share one reading. Values stored against it may be fresher than it
    says, never older, and the page is keyed on it, so nothing stale is served.
    """
    token = _versions_held.set({})
    try:
        yield
    finally:
        _versions_held.reset(token)


def versions_of(tables, all_versions):
    """The versions `tables` were read at: (name, version) pairs, or the whole database's
    when they include WHOLE_DATABASE or are empty (a view that reads no table is keyed on
    every one, as before there were per-table versions: nothing it shows can go stale)."""
    if not tables or WHOLE_DATABASE in tables:
        return ((WHOLE_DATABASE, all_versions.get(WHOLE_DATABASE)),)
    return tuple((table, all_versions.get(table, 0)) for table in sorted(tables))


# Which tables the current request's queries read: a set while `recording_reads` runs.
_tables_read = contextvars.ContextVar("cpec_tables_read", default=None)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@functools.cache
def tracked_table_names():
    """The tables whose writes change a version (as `tracked_tables`, from the models)."""
    names = {
        model._meta.db_table
        for app_label in registry.tracker_apps()
        for model in global_apps.get_app_config(app_label).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return frozenset(names - UNTRACKED_TABLES)


@functools.lru_cache(maxsize=4096)
def tables_in(sql):
    """The tracked tables an SQL statement names (a search's FTS5 table stands for the table it
    indexes, which its triggers follow). A statement that reads the versions themselves
    depends on every table."""
    tracked = tracked_table_names()
    tables = set()
    for word in IDENTIFIER.findall(sql):
        if word in tracked:
            tables.add(word)
        elif word.endswith("_fts") and word[:-4] in tracked:
            tables.add(word[:-4])
        elif word in (VERSION_TABLE, TABLE_VERSION_TABLE):
            tables.add(WHOLE_DATABASE)
    return frozenset(tables)


def _record_tables(execute, sql, params, many, context):
    tables = _tables_read.get()
    if tables is not None:
        tables.update(tables_in(sql))
    return execute(sql, params, many, context)


@contextlib.contextmanager
def recording_reads(using="default"):
    """Collect the tracked tables every query inside the block names, in the set it yields.

    The page cache wraps a view in it: the view's output depends only on the request, the day
    and what those tables hold, so a page stays true until one of them is written.
    """
    outer = _tables_read.get()
    tables = set()
    token = _tables_read.set(tables)
    try:
        with connections[using].execute_wrapper(_record_tables):
            yield tables
    finally:
        _tables_read.reset(token)
        if outer is not None:  # what a block inside read, the block around it read too
            outer.update(tables)


def record_reads(tables):
    """Count `tables` as read by the current request: for a cache that answers for the
    database (a list's count), so a page built from it is keyed on those tables too."""
    read = _tables_read.get()
    if read is not None:
        read.update(tables)


def tracked_tables(apps, connection):
    """Every existing table of the tracker apps (m2m tables too) except the version's own."""
    existing = set(connection.introspection.table_names())
    tables = []
    for app_label in registry.tracker_apps():
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.managed and not model._meta.proxy and table not in UNTRACKED_TABLES:
                if table in existing:
                    tables.append(table)
    return sorted(set(tables))


def trigger_statements(vendor, tables):
    """The SQL that makes every write to `tables` change the data version."""
    names = {
        "version_table": VERSION_TABLE,
        "table_version_table": TABLE_VERSION_TABLE,
        "row": VERSION_ROW,
    }
    if vendor == "sqlite":
        statements = []
        for table in tables:
            for operation in ("INSERT", "UPDATE", "DELETE"):
                name = f"{table}{TRIGGER_SUFFIX}_{operation.lower()}"
                statements.append(SQLITE_DROP_TRIGGER.format(name=name))
                statements.append(
                    SQLITE_TRIGGER.format(name=name, operation=operation, table=table, **names)
                )
        return statements
    if vendor == "postgresql":
        return [POSTGRESQL_FUNCTION.format(**names)] + [
            POSTGRESQL_TRIGGER.format(name=f"{table}{TRIGGER_SUFFIX}", table=table)
            for table in tables
        ]
    raise NotImplementedError(f"No data-version triggers for the {vendor} database.")


def install_triggers(sender, *, using, apps=global_apps, **kwargs):
    """post_migrate receiver: make sure every tracker table bumps the data version.

    `flush` sends post_migrate without `apps`; the installed models stand in then.
    """
    connection = connections[using]
    existing = connection.introspection.table_names()
    if VERSION_TABLE not in existing or TABLE_VERSION_TABLE not in existing:
        return
    with connection.cursor() as cursor:
        for statement in trigger_statements(connection.vendor, tracked_tables(apps, connection)):
            cursor.execute(statement)


def drop_triggers(apps, schema_editor):
    """Remove the triggers from every tracker table: before the per-table versions' table is
    dropped (a migration taken back), since they write to it and every write would fail."""
    connection = schema_editor.connection
    statements = []
    for table in tracked_tables(apps, connection):
        if connection.vendor == "sqlite":
            statements += [
                SQLITE_DROP_TRIGGER.format(name=f"{table}{TRIGGER_SUFFIX}_{operation}")
                for operation in ("insert", "update", "delete")
            ]
        else:
            statements.append(
                POSTGRESQL_DROP_TRIGGER.format(name=f"{table}{TRIGGER_SUFFIX}", table=table)
            )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_triggers_now(apps, schema_editor):
    """The migration's way to `install_triggers`: at once, not after the whole `migrate`."""
    install_triggers(None, using=schema_editor.connection.alias, apps=apps)
