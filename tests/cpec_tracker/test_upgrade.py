"""Upgrading: a database made by the previous release migrates with every row and history
entry intact, and counts the squashed migrations as applied.

`tests/fixtures/previous_release.sqlite3.gz` is that database: made by commit d3adae4 (the
last release before the migrations were squashed), migrated, seeded, then edited by editors,
and shrunk (447 KB, 61 KB gzipped):

    git worktree add --detach /tmp/prev d3adae4 && cd /tmp/prev
    export DATABASE_URL=sqlite:////tmp/prev.sqlite3
    python manage.py migrate && python manage.py seed
    python manage.py shell <<'EOF'
    from django.contrib.auth.models import Group, User
    from cpec_tracker.models import Citation, Source
    from meetings.models import Meeting
    from projects.models import Project
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    chief = User.objects.create_user("chief", is_staff=True)
    chief.groups.add(Group.objects.get(name="Chief editors"))
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    meeting.summary += " Both sides named the next session's date."
    meeting._history_user = editor
    meeting.save()
    project = Project.objects.filter(publication_status="published").order_by("pk").first()
    project.location = "Karachi–Peshawar"
    project._history_user = chief
    project.save()
    source = Source.objects.order_by("pk").first()
    citation = Citation(source=source, record=meeting, quote=source.text[:60].strip(),
                        fields=["city"])
    citation._history_user = editor
    citation.save()
    draft = Meeting(slug="jwg-icc-6th-meeting", title="6th meeting of the JWG-ICC",
                    kind=meeting.kind, body=meeting.body, sequence_number=6,
                    date="2026-03-01", date_precision="month", publication_status="draft")
    draft._history_user = editor
    draft.save()
    EOF
    sqlite3 /tmp/prev.sqlite3 "PRAGMA journal_mode=delete; PRAGMA page_size=512; VACUUM"
    gzip -9 -n -c /tmp/prev.sqlite3 > tests/fixtures/previous_release.sqlite3.gz

The upgrade runs `manage.py migrate` on a copy in a subprocess, as a deployment does; it
reads an SQLite file whatever database the suite itself runs on.
"""

import gzip
import re
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db.migrations.loader import MigrationLoader

from tests.servers import manage

PREVIOUS_RELEASE = Path(__file__).parents[1] / "fixtures" / "previous_release.sqlite3.gz"
GROUPS = ["Editors", "Chief editors"]
# The full-text indexes' FTS5 tables and their shadow tables: derived from the rows, and
# rebuilt from them when a migrate puts back a missing trigger.
SEARCH_INDEX_TABLE = re.compile(r"_(fts|names)(_(data|idx|docsize|config|content))?$")
# Models added since the previous release, by (app label, model name): a migrate adds their
# empty tables, content types and permissions (and the groups' permissions on them).
ADDED_MODELS = [
    ("cpec_tracker", "errorreport"),
    ("editing", "pendingchange"),
    ("projects", "financing"),
    ("projects", "historicalfinancing"),
    ("projects", "location"),
    ("projects", "historicallocation"),
    # The queue of background work (django-tasks' database backend).
    ("django_tasks_database", "dbtaskresult"),
    # Email alerts (cpec_tracker/site/alerts).
    ("alerts", "subscription"),
    ("alerts", "delivery"),
]
# Columns added since, by (table, column): derived data (abbreviations, for search).
ADDED_COLUMNS = [
    (table, "abbreviations")
    for table in [
        "cpec_tracker_organization",
        "cpec_tracker_historicalorganization",
        "projects_project",
        "projects_historicalproject",
    ]
]


def migrate(database):
    manage("migrate", "--noinput", "-v0", env={"DATABASE_URL": f"sqlite:///{database}"})


def read(database, sql, parameters=()):
    with sqlite3.connect(database) as connection:
        return connection.execute(sql, parameters).fetchall()


def data_tables(database):
    """Every table holding data of its own: not SQLite's, not a search index's."""
    names = read(database, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [
        name
        for (name,) in names
        if not name.startswith("sqlite_") and not SEARCH_INDEX_TABLE.search(name)
    ]


def contents(database):
    """{table: its rows in a fixed order}, but the migrations' own record."""
    return {
        table: sorted(read(database, f'SELECT * FROM "{table}"'), key=repr)
        for table in data_tables(database)
        if table != "django_migrations"
    }


def without_added_models(database, folder):
    """A copy of `database` without what ADDED_MODELS and ADDED_COLUMNS brought: to compare
    with the previous release's."""
    copy = folder / "without-added-models.sqlite3"
    shutil.copyfile(database, copy)
    with sqlite3.connect(copy) as connection:
        for app_label, model in ADDED_MODELS:
            content_type = "SELECT id FROM django_content_type WHERE app_label = ? AND model = ?"
            permissions = (
                f"SELECT id FROM auth_permission WHERE content_type_id IN ({content_type})"
            )
            connection.execute(
                f"DELETE FROM auth_group_permissions WHERE permission_id IN ({permissions})",
                [app_label, model],
            )
            connection.execute(
                f"DELETE FROM auth_permission WHERE content_type_id IN ({content_type})",
                [app_label, model],
            )
            connection.execute(
                "DELETE FROM django_content_type WHERE app_label = ? AND model = ?",
                [app_label, model],
            )
            connection.execute(f'DROP TABLE "{app_label}_{model}"')
        for table, column in ADDED_COLUMNS:
            # SQLite drops no column a trigger names; the triggers are derived too.
            triggers = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table]
            ).fetchall()
            for (trigger,) in triggers:
                connection.execute(f'DROP TRIGGER "{trigger}"')
            connection.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        # Bookkeeping every migrate sets afresh, not data: the tables' versions without prose.
        connection.execute(
            'DELETE FROM cpec_tracker_tableversion WHERE "table" LIKE ?', ["%#without-prose"]
        )
    return copy


def group_permissions(database, group):
    return read(
        database,
        "SELECT ct.app_label, p.codename FROM auth_group g "
        "JOIN auth_group_permissions gp ON gp.group_id = g.id "
        "JOIN auth_permission p ON p.id = gp.permission_id "
        "JOIN django_content_type ct ON ct.id = p.content_type_id "
        "WHERE g.name = ? ORDER BY 1, 2",
        [group],
    )


def layout(database):
    """What a migrate makes: each table's columns (in any order), each index and trigger."""
    tables = {
        table: sorted(row[1] for row in read(database, f'PRAGMA table_info("{table}")'))
        for table in data_tables(database)
    }
    others = read(
        database,
        "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('index', 'trigger') "
        "ORDER BY type, name",
    )
    return tables, others


def unpack_previous_release(folder):
    database = folder / "previous.sqlite3"
    with gzip.open(PREVIOUS_RELEASE) as packed, database.open("wb") as copy:
        shutil.copyfileobj(packed, copy)
    return database


@pytest.fixture(scope="module")
def upgrade(tmp_path_factory):
    """A copy of the previous release's database, migrated once by this release's code; with
    what it held before."""
    database = unpack_previous_release(tmp_path_factory.mktemp("upgrade"))
    before = SimpleNamespace(
        contents=contents(database),
        permissions={group: group_permissions(database, group) for group in GROUPS},
    )
    migrate(database)
    return SimpleNamespace(database=database, before=before)


def test_upgrading_keeps_every_row_and_history_entry(upgrade, tmp_path):
    before = upgrade.before.contents
    after = contents(without_added_models(upgrade.database, tmp_path))
    assert {table: len(rows) for table, rows in after.items()} == {
        table: len(rows) for table, rows in before.items()
    }
    history_tables = [table for table in before if "_historical" in table]
    assert len(history_tables) == 16
    for table in history_tables:
        assert after[table] == before[table], table
    assert after == before
    # What the fixture was made to hold is there: an editor's edit in the history, a draft.
    assert read(
        upgrade.database,
        "SELECT h.history_type, u.username FROM meetings_historicalmeeting h "
        "JOIN auth_user u ON u.id = h.history_user_id WHERE h.slug = 'jwg-icc-5th-meeting'",
    ) == [("~", "editor")]
    assert read(
        upgrade.database,
        "SELECT publication_status FROM meetings_meeting WHERE slug = 'jwg-icc-6th-meeting'",
    ) == [("draft",)]


def test_upgrading_marks_the_squashed_migrations_applied(upgrade):
    applied = set(read(upgrade.database, "SELECT app, name FROM django_migrations"))
    loader = MigrationLoader(None, ignore_no_migrations=True)
    squashed = {key for key, migration in loader.disk_migrations.items() if migration.replaces}
    assert {app for app, _name in squashed} == {"cpec_tracker", "meetings", "projects"}
    assert set(loader.disk_migrations) <= applied
    # Nothing left to apply: `migrate --check` fails when a migration is unapplied.
    manage("migrate", "--check", "--noinput", env={"DATABASE_URL": f"sqlite:///{upgrade.database}"})


def test_upgrading_keeps_the_editors_groups_and_their_permissions(upgrade, tmp_path):
    kept = without_added_models(upgrade.database, tmp_path)
    for group, permissions in upgrade.before.permissions.items():
        assert ("meetings", "change_meeting") in permissions
        assert group_permissions(kept, group) == permissions
        assert ("cpec_tracker", "view_errorreport") in group_permissions(upgrade.database, group)
    assert read(
        upgrade.database,
        "SELECT u.username, g.name FROM auth_user_groups ug "
        "JOIN auth_user u ON u.id = ug.user_id JOIN auth_group g ON g.id = ug.group_id "
        "ORDER BY 1",
    ) == [("chief", "Chief editors"), ("editor", "Editors")]


def test_a_new_database_migrates_to_the_same_tables_as_an_upgraded_one(upgrade, tmp_path):
    fresh = tmp_path / "fresh.sqlite3"
    migrate(fresh)
    assert layout(fresh) == layout(upgrade.database)
    for group in GROUPS:
        assert group_permissions(fresh, group) == group_permissions(upgrade.database, group)
