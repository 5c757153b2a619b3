"""History for every tracker model: who changed what, revert, and restoring a deletion."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cpec_tracker.records import registry
from cpec_tracker.records.models import Citation, ErrorReport, PublicationStatus, Versioned
from meetings.models import Meeting, Participation
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

# Records edited or deleted here are drafts, saved at once: a published record's edits and
# deletions are proposed for review first (test_review.py).
DRAFT = PublicationStatus.DRAFT


def admin_url(record, view, *args):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args or [record.pk])


def edit(client, record, **changes):
    data = change_form_data(client.get(admin_url(record, "change")))
    data.update(changes)
    response = client.post(admin_url(record, "change"), data)
    assert response.status_code == 302, response.content
    return response


def tracked_models():
    return [
        model
        for label in registry.tracker_apps()
        for model in apps.get_app_config(label).get_models()
        # Not the history copies themselves, nor bookkeeping without permissions (the page
        # cache's data version), nor readers' reports (not records: closed, never edited).
        if not model._meta.model_name.startswith("historical")
        and model._meta.default_permissions
        and model is not ErrorReport
    ]


def test_every_tracker_model_keeps_history():
    tracked = tracked_models()

    assert len(tracked) == 15  # with Financing and Location (projects)
    assert all(issubclass(model, Versioned) and hasattr(model, "history") for model in tracked)


def test_an_admin_edit_writes_a_history_row_with_its_user(editor_client, editor, make):
    meeting = make.make_meeting(publication_status=DRAFT, title="Old title")

    edit(editor_client, meeting, title="New title")

    latest = meeting.history.latest("history_date")
    assert (latest.title, latest.history_user, latest.history_type) == ("New title", editor, "~")
    assert meeting.history.count() == 2


def test_an_inline_edit_writes_a_history_row_for_the_child_with_its_user(
    editor_client, editor, make
):
    participation = make.make_participation(
        make.make_meeting(publication_status=DRAFT), title_at_meeting="Foreign Secretary"
    )

    edit(
        editor_client,
        participation.meeting,
        **{"participations-0-title_at_meeting": "Foreign Minister"},
    )

    latest = participation.history.latest("history_date")
    assert (latest.title_at_meeting, latest.history_user) == ("Foreign Minister", editor)


def test_history_page_shows_who_changed_which_field(editor_client, make):
    meeting = make.make_meeting(publication_status=DRAFT, title="Old title")
    meeting.themes.add(make.make_theme(name="Green corridor"))
    edit(editor_client, meeting, title="New title", themes=[])

    page = editor_client.get(admin_url(meeting, "history")).text

    assert "editor" in page
    assert "<strong>Title:</strong>" in page
    assert "Old title" in page and "New title" in page
    assert "<strong>Themes:</strong>" in page
    assert "[Green corridor]" in page


def test_revert_restores_the_earlier_value_and_keeps_counting_versions(editor_client, make):
    theme = make.make_theme(name="Green corridor")
    meeting = make.make_meeting(publication_status=DRAFT, title="Old title")
    meeting.themes.add(theme)
    original = meeting.history.latest("history_date")
    edit(editor_client, meeting, title="New title", themes=[])
    meeting.refresh_from_db()
    assert (meeting.title, list(meeting.themes.all())) == ("New title", [])
    version_before_revert = meeting.version

    revert_url = admin_url(meeting, "simple_history", meeting.pk, original.history_id)
    data = change_form_data(editor_client.get(revert_url))
    assert editor_client.post(revert_url, data).status_code == 302

    meeting.refresh_from_db()
    assert meeting.title == "Old title"
    assert list(meeting.themes.all()) == [theme]
    assert meeting.version == version_before_revert + 1


def test_revert_neither_publishes_nor_unpublishes(editor_client, chief_editor, make):
    meeting = make.make_meeting(title="Old title")
    published_version = meeting.history.earliest("history_date")
    meeting.publication_status = PublicationStatus.DRAFT
    meeting.save()

    revert_url = admin_url(meeting, "simple_history", meeting.pk, published_version.history_id)
    editor_client.post(revert_url, change_form_data(editor_client.get(revert_url)))

    meeting.refresh_from_db()
    assert meeting.publication_status == PublicationStatus.DRAFT


def test_a_stale_revert_is_refused(editor_client, make):
    meeting = make.make_meeting(title="Old title")
    original = meeting.history.earliest("history_date")
    revert_url = admin_url(meeting, "simple_history", meeting.pk, original.history_id)
    data = change_form_data(editor_client.get(revert_url))
    meeting.title = "Someone else's title"
    meeting.save()

    response = editor_client.post(revert_url, data)

    assert response.status_code == 200
    assert "Someone else changed this meeting" in response.text
    meeting.refresh_from_db()
    assert meeting.title == "Someone else's title"


def test_a_deleted_record_is_listed_and_restored_from_its_history(
    chief_editor_client, chief_editor, make
):
    meeting = make.make_meeting(
        publication_status=DRAFT, title="Deleted by mistake", slug="deleted-by-mistake"
    )
    make.make_citation(meeting)
    pk = meeting.pk
    response = chief_editor_client.post(admin_url(meeting, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=pk).exists()

    deleted_list = chief_editor_client.get(reverse("admin:meetings_meeting_deleted"))
    assert "Deleted by mistake" in deleted_list.text
    deletion = Meeting.history.get(id=pk, history_type="-")
    restore_url = admin_url(meeting, "simple_history", pk, deletion.history_id)
    assert restore_url in deleted_list.text
    data = change_form_data(chief_editor_client.get(restore_url))
    assert chief_editor_client.post(restore_url, data).status_code == 302

    restored = Meeting.objects.get(pk=pk)
    assert (restored.slug, restored.title) == ("deleted-by-mistake", "Deleted by mistake")
    # Its citations went with it, so it comes back unpublished until they are back too.
    assert restored.publication_status == PublicationStatus.DRAFT
    latest = restored.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (
        chief_editor,
        "Restored from history",
    )


def test_history_keeps_what_a_deletion_cascaded_to(chief_editor_client, make):
    participation = make.make_participation(
        make.make_meeting(publication_status=DRAFT), title_at_meeting="Foreign Secretary"
    )
    meeting = participation.meeting

    chief_editor_client.post(admin_url(meeting, "delete"), {"post": "yes"})

    deleted = participation.history.get(history_type="-")
    assert deleted.title_at_meeting == "Foreign Secretary"


def test_seeded_records_have_history_and_a_second_seed_adds_none(seeded):
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    assert meeting.history.filter(history_type="+").count() == 1
    participation = meeting.participations.first()
    assert participation.history.count() == 1
    total = sum(model.history.count() for model in tracked_models())

    call_command("seed", verbosity=0)

    assert sum(model.history.count() for model in tracked_models()) == total


def queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_deleted_list_makes_as_many_queries_for_30_deletions_as_for_3(
    chief_editor_client, make, django_assert_max_num_queries
):
    url = reverse("admin:meetings_meeting_deleted")

    def delete_meetings(count):
        for _ in range(count):
            make.make_meeting().delete()

    delete_meetings(3)
    few = queries_for(chief_editor_client, url)
    delete_meetings(27)
    with django_assert_max_num_queries(12):
        many = queries_for(chief_editor_client, url)

    assert many == few
    assert chief_editor_client.get(url).text.count("/history/") >= 30


def test_history_page_makes_as_many_queries_for_30_versions_as_for_3(
    editor_client, make, django_assert_max_num_queries
):
    meeting = make.make_meeting(body=make.make_organization())
    url = admin_url(meeting, "history")

    def save_versions(count):
        for number in range(count):
            meeting.summary = f"Version {meeting.version} {number}"
            meeting.save()

    save_versions(2)
    queries_for(editor_client, url)  # fills the process's content-type cache
    few = queries_for(editor_client, url)
    save_versions(27)
    with django_assert_max_num_queries(15):
        many = queries_for(editor_client, url)

    assert many == few


def test_restoring_a_record_brings_back_what_its_deletion_took_with_it(chief_editor_client, make):
    participation = make.make_participation(
        make.make_meeting(publication_status=DRAFT), title_at_meeting="Foreign Secretary"
    )
    meeting = participation.meeting
    make.make_outcome(meeting, text="Both sides agreed.")
    make.make_citation(meeting, fields=["date"])
    make.make_citation(participation, fields=["role"])
    pk = meeting.pk
    chief_editor_client.post(admin_url(meeting, "delete"), {"post": "yes"})
    assert not Participation.objects.exists() and not Citation.objects.exists()

    deletion = Meeting.history.get(id=pk, history_type="-")
    restore_url = admin_url(meeting, "simple_history", pk, deletion.history_id)
    data = change_form_data(chief_editor_client.get(restore_url))
    response = chief_editor_client.post(restore_url, data, follow=True)

    assert "Also restored what was deleted with it: 2 citations, 1 outcome, 1 participation." in (
        response.text
    )
    restored = Meeting.objects.get(pk=pk)
    assert restored.participations.get().title_at_meeting == "Foreign Secretary"
    assert restored.outcomes.get().text == "Both sides agreed."
    assert restored.citations.get().fields == ["date"]
    assert restored.participations.get().citations.get().fields == ["role"]


def test_restoring_a_record_leaves_rows_deleted_earlier_on_their_own_deleted(
    chief_editor_client, make
):
    meeting = make.make_meeting(publication_status=DRAFT)
    make.make_participation(meeting, title_at_meeting="Removed on purpose").delete()
    Participation.history.filter(history_type="-").update(
        history_date=timezone.now() - datetime.timedelta(days=2)
    )
    pk = meeting.pk
    chief_editor_client.post(admin_url(meeting, "delete"), {"post": "yes"})

    deletion = Meeting.history.get(id=pk, history_type="-")
    restore_url = admin_url(meeting, "simple_history", pk, deletion.history_id)
    chief_editor_client.post(restore_url, change_form_data(chief_editor_client.get(restore_url)))

    assert Meeting.objects.filter(pk=pk).exists()
    assert not Participation.objects.exists()
