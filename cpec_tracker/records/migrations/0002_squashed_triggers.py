"""What needs every tracker app's tables: the data-version triggers.

Replaces 0002_editors_group and 0004_chief_editors_group, whose groups are now granted after
every migrate (`cpec_tracker.editing.roles.grant_editors_permissions`), and runs
0010_table_version's installing of the triggers, which 0001_squashed_0016 replaces. Apart from
the tables' squash because it reads the meetings' and projects' tables: in one migration, the
records app and meetings would each depend on the other.
"""

from django.db import migrations

from cpec_tracker.caching import dataversion


class Migration(migrations.Migration):

    replaces = [('cpec_tracker', '0002_editors_group'), ('cpec_tracker', '0004_chief_editors_group')]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('cpec_tracker', '0001_squashed_0016'),
        ('meetings', '0001_squashed_0009'),
        ('projects', '0001_squashed_0011'),
    ]

    operations = [
        # The triggers write to the per-table versions: installed at once (a migration run
        # without `migrate`'s post_migrate signal still gets them) and, taken back, removed
        # before the table they write to goes.
        migrations.RunPython(
            code=dataversion.install_triggers_now,
            reverse_code=dataversion.drop_triggers,
        ),
    ]
