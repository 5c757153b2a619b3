from django.db import migrations

from cpec_tracker.editing.roles import grant_editor_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cpec_tracker", "0001_initial"),
        ("meetings", "0001_initial"),
        ("projects", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop)]
