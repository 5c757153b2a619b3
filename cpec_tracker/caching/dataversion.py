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
import secrets

from django.apps import apps as global_apps
from django.db import connections, models

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


# A table with prose has a second version, under its name and this suffix, that an update of
# its prose alone leaves as it was: what a count, a facet or a chart is keyed on
# (`counted_versions`), so an editor mending a summary does not make every list count again.
WITHOUT_PROSE = "#without-prose"
# Columns every save moves, whatever the editor changed: prose to a count, which reads none.
BOOKKEEPING_COLUMNS = frozenset({"version", "updated_at", "updated_by_id"})
# Triggers that keep the versions without prose: named so that they can be found and dropped.
WITHOUT_PROSE_TRIGGER = "{table}_without_prose_{operation}"
WITHOUT_PROSE_TRIGGER_PATTERN = r"%\_without\_prose\_%"

SQLITE_WITHOUT_PROSE_TRIGGER = """
CREATE TRIGGER "{name}" AFTER {operation} ON "{table}"{when} BEGIN
    INSERT INTO {table_version_table} ("table", value) VALUES ('{table}{suffix}', random())
    ON CONFLICT ("table") DO UPDATE SET value = excluded.value;
END
"""

# An update moves the version only when a row's other columns than its prose changed: its
# rows before and after compared on those columns (the trigger's argument lists them).
POSTGRESQL_WITHOUT_PROSE_FUNCTION = """
CREATE OR REPLACE FUNCTION cpec_bump_version_without_prose() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed boolean := true;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        EXECUTE format(
            'SELECT EXISTS (SELECT %1$s FROM new_rows EXCEPT SELECT %1$s FROM old_rows)',
            TG_ARGV[0]
        ) INTO changed;
    END IF;
    IF changed THEN
        INSERT INTO {table_version_table} ("table", value)
        VALUES (TG_TABLE_NAME || '{suffix}', floor(random() * 9007199254740991)::bigint)
        ON CONFLICT ("table") DO UPDATE SET value = excluded.value;
    END IF;
    RETURN NULL;
END
$$
"""
POSTGRESQL_WITHOUT_PROSE_TRIGGERS = (
    """CREATE OR REPLACE TRIGGER "{rows_name}"
    AFTER INSERT OR DELETE OR TRUNCATE ON "{table}"
    FOR EACH STATEMENT EXECUTE FUNCTION cpec_bump_version_without_prose()""",
    """CREATE OR REPLACE TRIGGER "{update_name}"
    AFTER UPDATE ON "{table}" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cpec_bump_version_without_prose('{columns}')""",
)


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
COUNT_ROWS = re.compile(r"COUNT\(\*\)", re.IGNORECASE)


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


def prose_columns(model):
    """The columns of `model` that a count, a facet or a chart is not expected to read: its
    long text (TextFields) and the bookkeeping every save moves."""
    return frozenset(
        field.column
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField) or field.column in BOOKKEEPING_COLUMNS
    )


def tables_with_prose(apps=global_apps, tables=None):
    """{table: (its prose columns, its other columns)} of the tracked tables with prose (of
    `tables` when given, as `apps` has them)."""
    tables = tracked_table_names() if tables is None else tables
    found = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        prose = prose_columns(model)
        if table in tables and prose and not model._meta.proxy:
            others = [field.column for field in model._meta.concrete_fields]
            found[table] = (prose, [column for column in others if column not in prose])
    return found


@functools.cache
def _prose_by_table():
    return {table: prose for table, (prose, _) in tables_with_prose().items()}


@functools.lru_cache(maxsize=4096)
def tables_prose_read(sql):
    """The tables with prose whose prose `sql` may read: it names one of their prose columns
    or another table named after them (SQLite's full-text tables, `<table>_fts`), or it
    selects a `*` (anything but `COUNT(*)`: Django names every column it reads)."""
    prose_by_table = _prose_by_table()
    if "*" in COUNT_ROWS.sub("", sql):
        return frozenset(prose_by_table)
    tracked = tracked_table_names()
    words = set(IDENTIFIER.findall(sql))
    untracked = {word for word in words if word not in tracked}
    return frozenset(
        table
        for table, prose in prose_by_table.items()
        if words & prose or any(word.startswith(f"{table}_") for word in untracked)
    )


def counted_versions(sql, all_versions):
    """The versions that a figure worked out by `sql` (a count, a facet's groups, a chart's
    rows) stands for: `versions_of` the tables it reads, except that a table whose prose it
    does not read counts at its version without prose. A table with no such version (while
    `migrate` runs) counts at its own."""
    prose_read = tables_prose_read(sql)
    counted = []
    for table, version in versions_of(tables_in(sql), all_versions):
        without_prose = f"{table}{WITHOUT_PROSE}"
        if without_prose in all_versions and table not in prose_read:
            counted.append((without_prose, all_versions[without_prose]))
        else:
            counted.append((table, version))
    return tuple(counted)


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


def install_triggers(sender, *, using, apps=global_apps, with_prose=True, **kwargs):
    """post_migrate receiver: make sure every tracker table bumps the data version, and each
    with prose its version without prose (not in the middle of a migration: see
    `set_prose_aside`), each of those at a new version.

    `flush` sends post_migrate without `apps`; the installed models stand in then.
    """
    connection = connections[using]
    existing = connection.introspection.table_names()
    if VERSION_TABLE not in existing or TABLE_VERSION_TABLE not in existing:
        return
    tables = tracked_tables(apps, connection)
    with_prose = tables_with_prose(apps, tables) if with_prose else {}
    statements = trigger_statements(connection.vendor, tables)
    statements += without_prose_trigger_statements(connection.vendor, with_prose)
    with connection.cursor() as cursor:
        _drop_without_prose_triggers(cursor, connection.vendor)
        for statement in statements:
            cursor.execute(statement)
        # Versions of their own from now on, none of them a value seen before, whatever the
        # migrations wrote without moving them.
        cursor.executemany(
            f'INSERT INTO {TABLE_VERSION_TABLE} ("table", value) VALUES (%s, %s) '
            'ON CONFLICT ("table") DO UPDATE SET value = excluded.value',
            [(f"{table}{WITHOUT_PROSE}", secrets.randbits(53)) for table in sorted(with_prose)],
        )


def without_prose_trigger_statements(vendor, with_prose):
    """The SQL that keeps the version without prose of each table of `with_prose`
    ({table: (prose columns, other columns)})."""
    names = {"table_version_table": TABLE_VERSION_TABLE, "suffix": WITHOUT_PROSE}
    statements = [] if vendor == "sqlite" else [POSTGRESQL_WITHOUT_PROSE_FUNCTION.format(**names)]
    for table, (_, others) in sorted(with_prose.items()):
        trigger = functools.partial(WITHOUT_PROSE_TRIGGER.format, table=table)
        if vendor == "sqlite":
            changed = " OR ".join(f'OLD."{column}" IS NOT NEW."{column}"' for column in others)
            for operation, when in (("INSERT", ""), ("DELETE", ""), ("UPDATE", f" WHEN {changed}")):
                statements.append(
                    SQLITE_WITHOUT_PROSE_TRIGGER.format(
                        name=trigger(operation=operation.lower()),
                        operation=operation,
                        table=table,
                        when=when,
                        **names,
                    )
                )
        else:
            columns = ", ".join(f'"{column}"' for column in others)
            statements += [
                statement.format(
                    rows_name=trigger(operation="rows"),
                    update_name=trigger(operation="update"),
                    table=table,
                    columns=columns,
                )
                for statement in POSTGRESQL_WITHOUT_PROSE_TRIGGERS
            ]
    return statements


def _drop_without_prose_triggers(cursor, vendor):
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE %s ESCAPE '\\'",
            [WITHOUT_PROSE_TRIGGER_PATTERN],
        )
        drop = SQLITE_DROP_TRIGGER
    else:
        cursor.execute(
            "SELECT DISTINCT trigger_name, event_object_table FROM information_schema.triggers "
            "WHERE trigger_schema = current_schema() AND trigger_name LIKE %s ESCAPE '\\'",
            [WITHOUT_PROSE_TRIGGER_PATTERN],
        )
        drop = POSTGRESQL_DROP_TRIGGER
    for name, table in cursor.fetchall():
        cursor.execute(drop.format(name=name, table=table))


def set_prose_aside(sender, *, using, **kwargs):
    """pre_migrate receiver: drop the versions without prose and their triggers until
    `install_triggers` puts them back after the migrations. The triggers name columns (SQLite
    refuses to drop a column a trigger names), and the migrations' writes would not move the
    versions; meanwhile figures go by the tables' own versions."""
    connection = connections[using]
    if TABLE_VERSION_TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        _drop_without_prose_triggers(cursor, connection.vendor)
        cursor.execute(
            f'DELETE FROM {TABLE_VERSION_TABLE} WHERE "table" LIKE %s', [f"%{WITHOUT_PROSE}"]
        )


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
        _drop_without_prose_triggers(cursor, connection.vendor)
        for statement in statements:
            cursor.execute(statement)


def install_triggers_now(apps, schema_editor):
    """The migration's way to `install_triggers`: at once, not after the whole `migrate`
    (without the versions without prose, which `migrate` installs when it is done)."""
    install_triggers(None, using=schema_editor.connection.alias, apps=apps, with_prose=False)
