"""The names index (Urdu and Chinese names, aliases): pg_trgm on PostgreSQL, FTS5 trigrams on
SQLite. Derived from the rows; creating it changes no data."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from cpec_tracker.records.fulltext import CreateNativeSearchIndex


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    """Django's checks the database going forwards only: taken back on SQLite, it would
    look for pg_extension there."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("cpec_tracker", "0010_names_in_three_languages")]

    operations = [
        # A trusted extension since PostgreSQL 13: the database's owner may create it.
        TrigramExtensionOnPostgreSQL(),
        CreateNativeSearchIndex("Organization", ["name_ur", "name_zh_hans", "aliases"]),
        CreateNativeSearchIndex("Theme", ["name_ur", "name_zh_hans"]),
    ]
