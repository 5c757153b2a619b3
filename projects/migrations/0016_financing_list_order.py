from django.db import migrations, models

# The financing list's default order (commitment date, newest first, undated last; then id).
# PostgreSQL needs NULLS LAST in the index to read that order from it. SQLite refuses NULLS
# LAST in an index, but its DESC already puts NULLs last, and its planner reads the order
# from an index on (commitment_date DESC, id).
INDEX_ORDER = {
    "postgresql": "commitment_date DESC NULLS LAST, id",
    "sqlite": "commitment_date DESC, id",
}


def create_index(apps, schema_editor):
    order = INDEX_ORDER[schema_editor.connection.vendor]
    schema_editor.execute(f"CREATE INDEX financing_list_order ON projects_financing ({order})")


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX financing_list_order")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0015_financing_instrument_loan"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="financing",
                    index=models.Index(
                        models.OrderBy(
                            models.F("commitment_date"), descending=True, nulls_last=True
                        ),
                        models.F("id"),
                        name="financing_list_order",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(create_index, drop_index)],
        ),
    ]
