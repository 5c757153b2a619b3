from django.db import migrations, models

from cpec_tracker.caching import dataversion


class Migration(migrations.Migration):
    dependencies = [
        ("cpec_tracker", "0009_merge_20261129_0629"),
    ]

    operations = [
        migrations.CreateModel(
            name="TableVersion",
            fields=[
                ("table", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={
                "default_permissions": (),
            },
        ),
        # The triggers write to the new table: installed with it (a migration run without
        # `migrate`'s post_migrate signal, as tests do, still gets them) and, taken back,
        # removed before it goes.
        migrations.RunPython(dataversion.install_triggers_now, dataversion.drop_triggers),
    ]
