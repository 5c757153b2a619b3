"""The data version: one value that changes whenever any tracker table changes.

The page cache keys every stored page on it, so a change is visible on the very next request.
It is kept by database triggers rather than Django signals because signals miss
`bulk_create`, `QuerySet.update()`, raw SQL and imports; a trigger sees every write.
Each write stores a new random value (not a counter) so that a database restored from a
backup, or a test rolled back, never reuses a version that meant different data.

The triggers are (re)installed after every `migrate` for every table of the tracker apps,
including tables that later migrations add.
"""

from django.apps import apps as global_apps
from django.db import connections

from .roles import TRACKER_APPS

VERSION_TABLE = "cpec_tracker_dataversion"
VERSION_ROW = 1
TRIGGER_SUFFIX = "_data_version"

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS "{name}" AFTER {operation} ON "{table}" BEGIN
    INSERT INTO {version_table} (id, value) VALUES ({row}, random())
    ON CONFLICT (id) DO UPDATE SET value = excluded.value;
END
"""

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION cpec_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {version_table} (id, value)
    VALUES ({row}, floor(random() * 9007199254740991)::bigint)
    ON CONFLICT (id) DO UPDATE SET value = excluded.value;
    RETURN NULL;
END
$$
"""

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


def tracked_tables(apps, connection):
    """Every existing table of the tracker apps (m2m tables too) except the version's own."""
    existing = set(connection.introspection.table_names())
    tables = []
    for app_label in TRACKER_APPS:
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.managed and not model._meta.proxy and table != VERSION_TABLE:
                if table in existing:
                    tables.append(table)
    return sorted(set(tables))


def trigger_statements(vendor, tables):
    """The SQL that makes every write to `tables` change the data version."""
    names = {"version_table": VERSION_TABLE, "row": VERSION_ROW}
    if vendor == "sqlite":
        return [
            SQLITE_TRIGGER.format(
                name=f"{table}{TRIGGER_SUFFIX}_{operation.lower()}",
                operation=operation,
                table=table,
                **names,
            )
            for table in tables
            for operation in ("INSERT", "UPDATE", "DELETE")
        ]
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
    if VERSION_TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for statement in trigger_statements(connection.vendor, tracked_tables(apps, connection)):
            cursor.execute(statement)
