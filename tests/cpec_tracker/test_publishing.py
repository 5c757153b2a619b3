"""The publish workflow: who may publish, unpublish and delete, and what a record needs."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from cpec_tracker.editing.roles import CHIEF_EDITORS, EDITORS
from cpec_tracker.records.models import PublicationStatus
from cpec_tracker.records.services import records_publish
from meetings.models import Meeting, Official
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED
CHANGELIST = "admin:meetings_meeting_changelist"


def run_action(client, action, *records, url=CHANGELIST):
    return client.post(
        reverse(url),
        {"action": action, "_selected_action": [record.pk for record in records]},
        follow=True,
    )


def status_of(record):
    record.refresh_from_db()
    return record.publication_status


def test_editors_may_add_change_and_view_but_not_delete_or_publish():
    codenames = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))

    assert {"add_meeting", "change_meeting", "view_meeting", "change_citation"} <= codenames
    assert not {name for name in codenames if name.startswith(("delete_", "publish_"))}


def test_chief_editors_may_also_delete_publish_and_unpublish():
    group = Group.objects.get(name=CHIEF_EDITORS)
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert {"add_meeting", "change_meeting", "delete_meeting", "publish_meeting"} <= codenames
    assert {"publish_official", "publish_project", "publish_source"} <= codenames
    assert "delete_participation" in codenames


def test_chief_editor_publishes_a_cited_draft(chief_editor_client, chief_editor, make):
    meeting = make.make_meeting(publication_status=DRAFT)
    make.make_citation(meeting)

    response = run_action(chief_editor_client, "publish", meeting)

    assert "Published 1 meeting." in response.text
    assert status_of(meeting) == PUBLISHED
    latest = meeting.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (chief_editor, "Published")


def test_publish_is_refused_without_a_citation_and_the_admin_says_why(chief_editor_client, make):
    cited = make.make_meeting(title="Cited meeting", publication_status=DRAFT)
    make.make_citation(cited)
    uncited = make.make_meeting(title="Uncited meeting", publication_status=DRAFT)

    response = run_action(chief_editor_client, "publish", cited, uncited)

    assert status_of(uncited) == DRAFT
    assert status_of(cited) == PUBLISHED
    assert "was not published: it has no citation yet" in response.text
    assert "Uncited meeting" in response.text


def test_publish_service_refuses_records_without_citations(chief_editor, make):
    official = make.make_official(publication_status=DRAFT)

    result = records_publish(records=Official.objects.all(), user=chief_editor)

    assert result.changed == []
    assert [record for record, _ in result.refused] == [official]
    assert status_of(official) == DRAFT


def test_chief_editor_unpublishes_a_record(chief_editor_client, make):
    meeting = make.make_meeting()

    response = run_action(chief_editor_client, "unpublish", meeting)

    assert "pending change" in response.text
    assert status_of(meeting) == PUBLISHED  # until a second person approves
    make.approve_pending_changes()
    assert status_of(meeting) == DRAFT


def test_editor_cannot_publish_with_the_action(editor_client, make):
    meeting = make.make_meeting(publication_status=DRAFT)
    make.make_citation(meeting)

    changelist = editor_client.get(reverse(CHANGELIST)).text
    run_action(editor_client, "publish", meeting)

    assert 'value="publish"' not in changelist
    assert status_of(meeting) == DRAFT


def test_editor_cannot_publish_through_the_change_form(editor_client, make):
    meeting = make.make_meeting(publication_status=DRAFT)
    make.make_citation(meeting)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = change_form_data(editor_client.get(url))
    data["publication_status"] = PUBLISHED

    assert editor_client.post(url, data).status_code == 302
    assert status_of(meeting) == DRAFT


def test_a_record_added_in_the_admin_starts_as_a_draft(editor_client, editor):
    url = reverse("admin:meetings_official_add")
    data = change_form_data(editor_client.get(url))
    data.update(slug="new-official", name="New Official", publication_status=PUBLISHED)

    assert editor_client.post(url, data).status_code == 302
    official = Official.objects.get(slug="new-official")
    assert (official.publication_status, official.created_by) == (DRAFT, editor)


def test_editor_cannot_delete(editor_client, make):
    meeting = make.make_meeting()
    url = reverse("admin:meetings_meeting_delete", args=[meeting.pk])

    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_chief_editor_cannot_delete_an_official_who_attended_a_meeting(chief_editor_client, make):
    participation = make.make_participation()
    official = participation.official
    url = reverse("admin:meetings_official_delete", args=[official.pk])

    response = chief_editor_client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.text
    assert Official.objects.filter(pk=official.pk).exists()


def test_chief_editor_cannot_delete_a_cited_source(chief_editor_client, make):
    meeting = make.make_meeting()
    citation = make.make_citation(meeting)
    url = reverse("admin:cpec_tracker_source_delete", args=[citation.source.pk])

    response = chief_editor_client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert citation.source._meta.model.objects.filter(pk=citation.source.pk).exists()


def test_chief_editor_deletes_a_record(chief_editor_client, make):
    meeting = make.make_meeting()
    url = reverse("admin:meetings_meeting_delete", args=[meeting.pk])

    assert chief_editor_client.post(url, {"post": "yes"}).status_code == 302
    assert Meeting.objects.filter(pk=meeting.pk).exists()  # until a second person approves
    make.approve_pending_changes()  # a published record's edit, approved by a second person
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def remove_first_citation(client, meeting):
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = change_form_data(client.get(url))
    data["cpec_tracker-citation-content_type-object_id-0-DELETE"] = "on"
    return client.post(url, data)


def test_the_last_citation_of_a_published_record_cannot_be_removed(chief_editor_client, make):
    meeting = make.make_meeting()
    make.make_citation(meeting)

    response = remove_first_citation(chief_editor_client, meeting)

    assert response.status_code == 200
    assert "A published record keeps at least one citation" in response.text
    assert meeting.citations.count() == 1


def test_a_draft_may_lose_its_last_citation(chief_editor_client, make):
    meeting = make.make_meeting(publication_status=DRAFT)
    make.make_citation(meeting)

    assert remove_first_citation(chief_editor_client, meeting).status_code == 302
    assert meeting.citations.count() == 0


def test_editor_cannot_remove_a_citation(editor_client, make):
    meeting = make.make_meeting(publication_status=DRAFT)
    make.make_citation(meeting)

    assert remove_first_citation(editor_client, meeting).status_code == 302
    assert meeting.citations.count() == 1


@pytest.mark.parametrize(("flags", "group"), [([], EDITORS), (["--chief"], CHIEF_EDITORS)])
def test_createeditor_puts_the_account_in_its_group(monkeypatch, flags, group):
    monkeypatch.setenv("CPEC_EDITOR_PASSWORD", "a-long-test-password")

    with open(os.devnull, "w") as quiet:
        call_command("createeditor", "ayesha", *flags, stdout=quiet)

    user = get_user_model().objects.get(username="ayesha")
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [group]
