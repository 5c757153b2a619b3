"""Full-text search indexes: a GIN index on PostgreSQL, an FTS5 table on SQLite."""

from django.db import migrations

from cpec_tracker.records.fulltext import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("cpec_tracker", "0004_list_indexes")]

    operations = [
        CreateSearchIndex("Source", ["title", "publisher", "text"]),
        CreateSearchIndex("Organization", ["name", "short_name", "description"]),
        CreateSearchIndex("Theme", ["name", "description"]),
    ]
