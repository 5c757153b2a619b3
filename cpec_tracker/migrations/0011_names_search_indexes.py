"""The names index (Urdu and Chinese names, aliases): pg_trgm on PostgreSQL, FTS5 trigrams on
SQLite. Derived from the rows; creating it changes no data."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from cpec_tracker.fulltext import CreateNativeSearchIndex


class Migration(migrations.Migration):
    dependencies = [("cpec_tracker", "0010_names_in_three_languages")]

    operations = [
        # A trusted extension since PostgreSQL 13: the database's owner may create it.
        TrigramExtension(),
        CreateNativeSearchIndex("Organization", ["name_ur", "name_zh_hans", "aliases"]),
        CreateNativeSearchIndex("Theme", ["name_ur", "name_zh_hans"]),
    ]
