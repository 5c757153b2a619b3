from django.db import migrations

from cpec_tracker.records.history import record_baseline_history


class Migration(migrations.Migration):
    dependencies = [
        ("cpec_tracker", "0004_chief_editors_group"),
        ("meetings", "0002_history"),
        ("projects", "0002_history"),
    ]

    operations = [migrations.RunPython(record_baseline_history, migrations.RunPython.noop)]
