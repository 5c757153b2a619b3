"""A database-level guard: a citation supports only a citable row.

Citation.content_type may name any content type as far as a foreign key can say, and a
CHECK constraint cannot look into django_content_type, so a trigger refuses a citation whose
content type is not one of the citable models (`cpec_tracker.records.models.citable_models`). The
form, `Citation.clean()` and the import check this first with a clear message; the trigger
stops what bypasses them (bulk inserts, raw SQL). Like the data-version triggers, it is
(re)installed after every `migrate`, so models made citable later are allowed.

That the cited row exists is checked by `Citation.clean()` and the import, not here: one
trigger per content type and a check on every delete would cost more than it saves, and a
citation whose row is gone is simply not shown.
"""

from django.db import connections

CITATION_TABLE = "cpec_tracker_citation"
TRIGGER = "cpec_citation_supports_citable"
MESSAGE = "a citation must support a citable tracker row (see cpec_tracker.records.integrity)"

SQLITE_TRIGGER = """
CREATE TRIGGER "{name}" BEFORE {operation} ON "{table}"
WHEN NOT EXISTS (
    SELECT 1 FROM django_content_type
    WHERE id = NEW.content_type_id AND app_label || '.' || model IN ({labels})
)
BEGIN
    SELECT RAISE(ABORT, '{message}');
END
"""

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM django_content_type
        WHERE id = NEW.content_type_id AND app_label || '.' || model IN ({labels})
    ) THEN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$
"""

POSTGRESQL_TRIGGER = """
CREATE OR REPLACE TRIGGER "{name}"
BEFORE INSERT OR UPDATE OF content_type_id ON "{table}"
FOR EACH ROW EXECUTE FUNCTION {name}()
"""


def guard_statements(vendor, labels):
    """The SQL that makes the database refuse a citation of any model but those `labels`."""
    quoted = ", ".join("'" + label.replace("'", "''") + "'" for label in sorted(labels))
    names = {"name": TRIGGER, "table": CITATION_TABLE, "labels": quoted, "message": MESSAGE}
    if vendor == "sqlite":
        return [
            statement
            for operation, suffix in (("INSERT", "insert"), ("UPDATE OF content_type_id", "update"))
            for statement in (
                f'DROP TRIGGER IF EXISTS "{TRIGGER}_{suffix}"',
                SQLITE_TRIGGER.format(
                    **{**names, "name": f"{TRIGGER}_{suffix}"}, operation=operation
                ),
            )
        ]
    if vendor == "postgresql":
        return [POSTGRESQL_FUNCTION.format(**names), POSTGRESQL_TRIGGER.format(**names)]
    raise NotImplementedError(f"No citation guard for the {vendor} database.")


def install_citation_guard(sender, *, using, **kwargs):
    """post_migrate receiver: (re)install the guard with today's citable models."""
    from cpec_tracker.records.models import citable_models

    connection = connections[using]
    if CITATION_TABLE not in connection.introspection.table_names():
        return
    labels = [f"{model._meta.app_label}.{model._meta.model_name}" for model in citable_models()]
    with connection.cursor() as cursor:
        for statement in guard_statements(connection.vendor, labels):
            cursor.execute(statement)
