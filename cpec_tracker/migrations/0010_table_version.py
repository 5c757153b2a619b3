from django.db import migrations, models


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
    ]
