"""Citations support only citable rows, and a published record never loses its last one."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from cpec_tracker.records.integrity import TRIGGER
from cpec_tracker.records.models import Citation, PublicationStatus, citable_models
from meetings.models import Meeting
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def citation_url(view, *args):
    return reverse(f"admin:cpec_tracker_citation_{view}", args=args)


def content_type_options(response):
    """The values of the content type select on an admin citation page."""
    html = response.text
    select = html[html.index('name="content_type"') :]
    select = select[: select.index("</select>")]
    return {part.split('"')[0] for part in select.split('value="')[1:]} - {""}


# Only citable rows


def test_the_citation_form_offers_only_citable_models(admin_client):
    offered = content_type_options(admin_client.get(citation_url("add")))

    citable = ContentType.objects.get_for_models(*citable_models()).values()
    assert offered == {str(content_type.pk) for content_type in citable}
    user = ContentType.objects.get_for_model(get_user_model())
    history = ContentType.objects.get_for_model(Meeting.history.model)
    assert not {str(user.pk), str(history.pk)} & offered


def test_a_citation_of_a_user_is_refused_with_a_clear_message(make, superuser):
    citation = Citation(
        source=make.make_source(),
        quote="The two sides met in Beijing.",
        content_type=ContentType.objects.get_for_model(superuser),
        object_id=superuser.pk,
    )

    with pytest.raises(ValidationError) as error:
        citation.full_clean()

    assert any("not a user" in message for message in error.value.message_dict["content_type"])


def test_the_admin_refuses_to_point_a_citation_at_a_user(admin_client, superuser, make):
    meeting = make.make_meeting()
    citation = make.make_citation(meeting)
    url = citation_url("change", citation.pk)
    data = change_form_data(admin_client.get(url))
    data["content_type"] = ContentType.objects.get_for_model(superuser).pk
    data["object_id"] = superuser.pk

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    citation.refresh_from_db()
    assert citation.record == meeting


def test_a_citation_of_a_row_that_does_not_exist_is_refused(make):
    citation = make.make_citation(make.make_meeting(publication_status=DRAFT))
    citation.object_id = 10**9

    with pytest.raises(ValidationError) as error:
        citation.full_clean()

    assert error.value.message_dict["object_id"] == [f"There is no meeting with id {10**9}."]


def test_the_database_refuses_a_citation_of_a_model_that_cannot_be_cited(make, superuser):
    source = make.make_source()
    user_type = ContentType.objects.get_for_model(superuser)
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.bulk_create(
            [Citation(source=source, quote="x", content_type=user_type, object_id=superuser.pk)]
        )
    citation = make.make_citation(make.make_meeting(publication_status=DRAFT), source=source)
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.filter(pk=citation.pk).update(content_type=user_type)


def test_the_source_page_survives_a_citation_of_a_user_that_got_in(client, make, superuser):
    meeting = make.make_meeting()
    source = make.make_source()
    make.make_citation(meeting, source=source)
    with connection.cursor() as cursor:
        # As if written before the guard existed (the test's transaction restores it).
        for name in (f"{TRIGGER}_insert", f"{TRIGGER}_update", TRIGGER):
            if connection.vendor == "sqlite":
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            else:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON cpec_tracker_citation')
    Citation.objects.bulk_create(
        [
            Citation(
                source=source,
                quote="The two sides met in Beijing.",
                content_type=ContentType.objects.get_for_model(superuser),
                object_id=superuser.pk,
            )
        ]
    )

    response = client.get(source.get_absolute_url())

    assert response.status_code == 200
    assert meeting.title in response.text


# A published record keeps a citation


def test_moving_the_last_citation_of_a_published_record_away_is_refused(editor_client, make):
    meeting = make.make_meeting(title="Keeps its evidence")
    other = make.make_meeting(publication_status=DRAFT)
    citation = make.make_citation(meeting)
    url = citation_url("change", citation.pk)
    data = change_form_data(editor_client.get(url))
    data["object_id"] = other.pk

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "A published record keeps at least one citation" in response.text
    assert "“Keeps its evidence" in response.text
    citation.refresh_from_db()
    assert citation.object_id == meeting.pk


def test_a_citation_may_move_when_its_record_keeps_another(editor_client, make):
    meeting = make.make_meeting()
    other = make.make_meeting(publication_status=DRAFT)
    citation = make.make_citation(meeting)
    make.make_citation(meeting, fields=["date"])
    url = citation_url("change", citation.pk)
    data = change_form_data(editor_client.get(url))
    data["object_id"] = other.pk

    assert editor_client.post(url, data).status_code == 302
    make.approve_pending_changes()  # a published record's edit, approved by a second person
    citation.refresh_from_db()
    assert citation.record == other


def test_moving_to_another_kind_of_record_is_checked_too(editor_client, make):
    meeting = make.make_meeting()
    project = make.make_project(publication_status=DRAFT)
    citation = make.make_citation(meeting)
    url = citation_url("change", citation.pk)
    data = change_form_data(editor_client.get(url))
    data["content_type"] = ContentType.objects.get_for_model(project).pk
    data["object_id"] = project.pk

    assert editor_client.post(url, data).status_code == 200
    citation.refresh_from_db()
    assert citation.record == meeting


def test_deleting_the_last_citation_of_a_published_record_is_refused(chief_editor_client, make):
    meeting = make.make_meeting(title="Keeps its evidence")
    citation = make.make_citation(meeting)

    response = chief_editor_client.post(citation_url("delete", citation.pk), {"post": "yes"})

    assert response.status_code == 200
    assert "A published record keeps at least one citation" in response.text
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_deleting_a_citation_the_record_can_spare_is_allowed(chief_editor_client, make):
    meeting = make.make_meeting()
    citation = make.make_citation(meeting)
    make.make_citation(meeting, fields=["date"])

    response = chief_editor_client.post(citation_url("delete", citation.pk), {"post": "yes"})

    assert response.status_code == 302
    make.approve_pending_changes()  # a published record's edit, approved by a second person
    assert meeting.citations.count() == 1


def test_deleting_every_citation_of_a_published_record_at_once_is_refused(
    chief_editor_client, make
):
    meeting = make.make_meeting()
    citations = [make.make_citation(meeting), make.make_citation(meeting, fields=["date"])]

    response = chief_editor_client.post(
        citation_url("changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in citations], "post": "yes"},
    )

    assert response.status_code == 200
    assert "A published record keeps at least one citation" in response.text
    assert meeting.citations.count() == 2


def test_the_inline_refuses_too_and_names_the_record(chief_editor_client, make):
    meeting = make.make_meeting(title="Keeps its evidence")
    make.make_citation(meeting)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = change_form_data(chief_editor_client.get(url))
    data["cpec_tracker-citation-content_type-object_id-0-DELETE"] = "on"

    response = chief_editor_client.post(url, data)

    assert response.status_code == 200
    assert "the meeting “Keeps its evidence" in response.text
    assert meeting.citations.count() == 1


# Import


def import_into_one_fresh_database(backups, tmp_path):
    """Try each backup (a file and options) in turn on one new, migrated SQLite database."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}"}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert manage("migrate", "--noinput").returncode == 0
    return [manage("restore", *map(str, arguments)) for arguments in backups]


def test_import_refuses_a_backup_that_breaks_the_rules_and_imports_nothing(seeded, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup", str(backup))
    fifth = Meeting.objects.get(slug="jwg-icc-5th-meeting")

    def variant(name, change):
        objects = json.loads(backup.read_text())
        objects = change(objects)
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(objects))
        return path

    def without_the_5th_meeting_s_citations(objects):
        return [
            entry
            for entry in objects
            if not (
                entry["model"] == "cpec_tracker.citation"
                and entry["fields"]["content_type"] == ["meetings", "meeting"]
                and entry["fields"]["object_id"] == fifth.pk
            )
        ]

    def citing_a_user(objects):
        citation = next(entry for entry in objects if entry["model"] == "cpec_tracker.citation")
        citation["fields"]["content_type"] = ["auth", "user"]
        return objects

    def with_a_vertical_tab(objects):
        meeting = next(entry for entry in objects if entry["model"] == "meetings.meeting")
        meeting["fields"]["summary"] = "Pasted\x0bfrom a PDF"
        return objects

    def uncited_and_with_a_vertical_tab(objects):
        return with_a_vertical_tab(without_the_5th_meeting_s_citations(objects))

    uncited, user, repaired = import_into_one_fresh_database(
        [
            [variant("uncited", without_the_5th_meeting_s_citations)],
            [variant("user", citing_a_user)],
            [variant("both", uncited_and_with_a_vertical_tab), "--unpublish-uncited"],
        ],
        tmp_path,
    )

    assert uncited.returncode != 0
    assert "nothing was imported" in uncited.stderr
    assert "the published meeting “jwg-icc-5th-meeting” has no citation" in uncited.stderr
    assert "--unpublish-uncited" in uncited.stderr
    assert user.returncode != 0
    assert "othing was imported" in user.stderr
    # Each refusal left the database empty, so the last import could load.
    assert repaired.returncode == 0, repaired.stderr
    assert "removed control characters from the text of 1 rows" in repaired.stdout
    assert "unpublished the meeting “jwg-icc-5th-meeting”: it has no citation" in repaired.stdout
