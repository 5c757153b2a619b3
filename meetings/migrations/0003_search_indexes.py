"""Full-text search indexes: a GIN index on PostgreSQL, an FTS5 table on SQLite."""

from django.db import migrations

from cpec_tracker.records.fulltext import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_list_indexes")]

    operations = [
        CreateSearchIndex("Official", ["name", "native_name", "bio"]),
        CreateSearchIndex("Meeting", ["title", "summary", "city"]),
    ]
