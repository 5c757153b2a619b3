"""Backups: backup and restore give back every record, relation and history row."""

import datetime
import json
import os
import re
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from cpec_tracker.records.models import Source
from meetings.models import Meeting
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def manage(*args, database):
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def edited(seeded, editor_client, chief_editor_client, make):
    """The seed, then an editor's edit, a many-to-many change, a deletion and a new record."""
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = change_form_data(editor_client.get(url))
    data["summary"] = "Edited by an editor."
    data["themes"] = data["themes"][:1]
    assert editor_client.post(url, data).status_code == 302
    doomed = make.make_meeting(slug="deleted-before-the-backup")
    chief_editor_client.post(
        reverse("admin:meetings_meeting_delete", args=[doomed.pk]), {"post": "yes"}
    )
    # Both were made to published records: a second person approves them.
    make.approve_pending_changes()
    # Cited from the seed's source: a published record needs a citation, and so would a
    # source of its own (restore refuses published records without one).
    make.make_citation(
        make.make_project(slug="added-after-the-seed"),
        source=Source.objects.get(),
        quote="Published in Dawn, January 12th, 2025",
    )


TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def same_instant(value):
    # JSON backups keep timestamps to the millisecond, written "…:47.000Z" or, once a
    # database holds exactly that, "…:47Z": the same instant.
    if isinstance(value, str) and TIMESTAMP.match(value):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    return value


def canonical(objects):
    return sorted(
        json.dumps(
            {**entry, "fields": {k: same_instant(v) for k, v in entry["fields"].items()}},
            sort_keys=True,
        )
        for entry in objects
    )


def model_counts(objects):
    return Counter(entry["model"] for entry in objects)


def test_export_then_import_into_an_empty_database_gives_everything_back(edited, tmp_path):
    original = tmp_path / "backup.json"
    call_command("backup", str(original))
    restored_db = tmp_path / "restored.sqlite3"
    copy = tmp_path / "copy.json"

    manage("migrate", "--noinput", "-v0", database=restored_db)
    output = manage("restore", str(original), database=restored_db)
    manage("backup", str(copy), database=restored_db)

    exported = json.loads(original.read_text())
    # The same objects, whatever order dumpdata lists models that do not depend on each other.
    assert canonical(json.loads(copy.read_text())) == canonical(exported)
    assert "restore: loaded" in output
    counts = model_counts(exported)
    # Records, child rows, citations, relations and history are all in the file.
    assert counts["meetings.meeting"] == 4
    assert counts["projects.project"] == 4
    assert counts["cpec_tracker.citation"] == 69
    assert counts["meetings.historicalmeeting"] > counts["meetings.meeting"]
    assert counts["meetings.historicalmeeting_themes"] > 0
    assert counts["meetings.historicalparticipation"] > 0
    assert counts["cpec_tracker.historicalcitation"] >= 69
    assert counts["auth.user"] == 3  # the editor, the chief editor, the second reviewer
    assert counts["editing.pendingchange"] == 2
    deletion = [
        entry
        for entry in exported
        if entry["model"] == "meetings.historicalmeeting" and entry["fields"]["history_type"] == "-"
    ]
    assert [entry["fields"]["slug"] for entry in deletion] == ["deleted-before-the-backup"]
    edit = next(
        entry
        for entry in exported
        if entry["model"] == "meetings.historicalmeeting"
        and entry["fields"]["summary"] == "Edited by an editor."
    )
    assert edit["fields"]["history_user"] == ["editor"]


def test_import_refuses_a_database_that_already_holds_records(seeded, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup", str(backup))
    count = Meeting.objects.count()

    with pytest.raises(CommandError, match="only loads into an empty one"):
        call_command("restore", str(backup))

    assert Meeting.objects.count() == count


def test_import_of_an_unreadable_file_says_so(db, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(broken))
