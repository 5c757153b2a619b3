"""Full-text search indexes: a GIN index on PostgreSQL, an FTS5 table on SQLite."""

from django.db import migrations

from cpec_tracker.records.fulltext import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_list_indexes")]

    operations = [
        CreateSearchIndex("Project", ["title", "subsector", "location", "summary"]),
    ]
