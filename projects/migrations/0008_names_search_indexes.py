"""The names index of projects (see cpec_tracker.records.fulltext)."""

from django.db import migrations

from cpec_tracker.records.fulltext import CreateNativeSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_names_in_three_languages"),
        # pg_trgm, which the PostgreSQL index needs.
        ("cpec_tracker", "0011_names_search_indexes"),
    ]

    operations = [
        CreateNativeSearchIndex("Project", ["title_ur", "title_zh_hans", "aliases"]),
    ]
