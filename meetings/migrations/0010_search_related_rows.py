"""Full-text indexes on the rows that find a meeting or an official in site-wide search: its
participants, its outcomes, an official's offices (`Search.related`). Derived data only."""

from django.db import migrations

from cpec_tracker.records.fulltext import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_squashed_0009"),
    ]

    operations = [
        CreateSearchIndex("Participation", ["name", "title_at_meeting"]),
        CreateSearchIndex("Outcome", ["text"]),
        CreateSearchIndex("Appointment", ["title"]),
    ]
