"""Remove control characters from existing text, now that saving refuses them.

Rows are cleaned in place (line breaks normalised, other C0 control characters left out),
never dropped; see cpec_tracker.records.text. Reversing leaves the cleaned text as it is.
"""

from django.db import migrations

from cpec_tracker.records.text import control_characters_remover


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_merge_0002_history_0003_search_indexes"),
    ]

    operations = [
        migrations.RunPython(
            control_characters_remover("meetings"), migrations.RunPython.noop, elidable=True
        ),
    ]
