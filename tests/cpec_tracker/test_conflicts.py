"""No silent overwrite: a stale admin form is refused and the first editor's save is kept."""

import pytest
from django.test import Client
from django.urls import reverse

from cpec_tracker.records.models import PublicationStatus
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

# The records are drafts, saved at once: a published record's edits are proposed for review
# (test_review.py), and a stale form is refused the same way before anything is proposed.
DRAFT = PublicationStatus.DRAFT


def draft_meeting(make):
    return make.make_meeting(publication_status=DRAFT)


@pytest.fixture
def second_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def test_the_change_form_carries_the_version_it_was_opened_with(admin_client, make):
    meeting = make.make_meeting(publication_status=DRAFT)
    meeting.save()

    data = change_form_data(admin_client.get(change_url(meeting)))

    assert data["expected_version"] == "2"


def test_second_editor_saving_a_stale_record_is_refused_and_first_edit_kept(
    admin_client, second_client, make
):
    meeting = make.make_meeting(
        publication_status=DRAFT, title="Original title", summary="Original summary"
    )
    first = change_form_data(admin_client.get(change_url(meeting)))
    second = change_form_data(second_client.get(change_url(meeting)))

    first["title"] = "First editor's title"
    assert admin_client.post(change_url(meeting), first).status_code == 302
    second["summary"] = "Second editor's summary"
    response = second_client.post(change_url(meeting), second)

    assert response.status_code == 200
    assert "Someone else changed this meeting after you opened it" in response.text
    meeting.refresh_from_db()
    assert meeting.title == "First editor's title"
    assert meeting.summary == "Original summary"
    assert meeting.version == 2


def test_reopening_after_a_conflict_lets_the_second_editor_save(admin_client, second_client, make):
    meeting = make.make_meeting(publication_status=DRAFT, title="Original title")
    stale = change_form_data(second_client.get(change_url(meeting)))
    first = change_form_data(admin_client.get(change_url(meeting)))
    first["title"] = "First editor's title"
    admin_client.post(change_url(meeting), first)
    second_client.post(change_url(meeting), stale)

    fresh = change_form_data(second_client.get(change_url(meeting)))
    fresh["summary"] = "Second editor's summary"

    assert second_client.post(change_url(meeting), fresh).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.summary) == ("First editor's title", "Second editor's summary")


def test_stale_participation_inline_is_refused_and_first_edit_kept(
    admin_client, second_client, make
):
    participation = make.make_participation(
        draft_meeting(make), title_at_meeting="Foreign Secretary"
    )
    meeting = participation.meeting
    participation_url = change_url(participation)
    second = change_form_data(second_client.get(change_url(meeting)))

    # The first editor changes the participation on its own page, so the meeting is untouched.
    first = change_form_data(admin_client.get(participation_url))
    first["title_at_meeting"] = "Foreign Minister"
    assert admin_client.post(participation_url, first).status_code == 302
    second["participations-0-title_at_meeting"] = "Deputy Foreign Minister"
    response = second_client.post(change_url(meeting), second)

    assert response.status_code == 200
    assert "Someone else changed this participation after you opened it" in response.text
    participation.refresh_from_db()
    assert participation.title_at_meeting == "Foreign Minister"


def test_stale_citation_inline_is_refused_and_first_edit_kept(admin_client, second_client, make):
    meeting = make.make_meeting(publication_status=DRAFT)
    citation = make.make_citation(meeting, fields=["date"])
    second = change_form_data(second_client.get(change_url(meeting)))
    first = change_form_data(admin_client.get(change_url(citation)))
    first["fields"] = ["city"]
    assert admin_client.post(change_url(citation), first).status_code == 302

    prefix = "cpec_tracker-citation-content_type-object_id-0"
    second[f"{prefix}-fields"] = ["country"]
    response = second_client.post(change_url(meeting), second)

    assert response.status_code == 200
    assert "Someone else changed this citation after you opened it" in response.text
    citation.refresh_from_db()
    assert citation.fields == ["city"]


def test_deleting_an_inline_row_someone_else_changed_is_refused(admin_client, second_client, make):
    participation = make.make_participation(
        draft_meeting(make), title_at_meeting="Foreign Secretary"
    )
    meeting = participation.meeting
    second = change_form_data(second_client.get(change_url(meeting)))
    first = change_form_data(admin_client.get(change_url(participation)))
    first["title_at_meeting"] = "Foreign Minister"
    admin_client.post(change_url(participation), first)

    second["participations-0-DELETE"] = "on"
    response = second_client.post(change_url(meeting), second)

    assert response.status_code == 200
    assert "Someone else changed this participation" in response.text
    assert meeting.participations.get().title_at_meeting == "Foreign Minister"


def test_stale_copy_of_a_row_someone_else_changed_is_refused_even_if_left_untouched(
    admin_client, second_client, make
):
    participation = make.make_participation(
        draft_meeting(make), title_at_meeting="Foreign Secretary"
    )
    meeting = participation.meeting
    second = change_form_data(second_client.get(change_url(meeting)))
    first = change_form_data(admin_client.get(change_url(participation)))
    first["title_at_meeting"] = "Foreign Minister"
    admin_client.post(change_url(participation), first)

    # The second editor touches only the meeting, but the page still holds the old
    # participation, which Django would otherwise write back over the first editor's.
    second["summary"] = "A new summary"
    response = second_client.post(change_url(meeting), second)

    assert response.status_code == 200
    participation.refresh_from_db()
    assert participation.title_at_meeting == "Foreign Minister"


def test_editing_an_inline_row_on_a_fresh_page_saves_it_and_counts_a_version(editor_client, make):
    participation = make.make_participation(
        draft_meeting(make), title_at_meeting="Foreign Secretary"
    )
    meeting = participation.meeting
    data = change_form_data(editor_client.get(change_url(meeting)))
    data["participations-0-title_at_meeting"] = "Foreign Minister"

    assert editor_client.post(change_url(meeting), data).status_code == 302
    participation.refresh_from_db()
    assert (participation.title_at_meeting, participation.version) == ("Foreign Minister", 2)


def test_a_record_deleted_meanwhile_is_not_recreated_by_a_stale_form(
    admin_client, second_client, make
):
    participation = make.make_participation(draft_meeting(make))
    meeting = participation.meeting
    second = change_form_data(second_client.get(change_url(meeting)))
    participation.delete()

    second["participations-0-title_at_meeting"] = "Deputy Foreign Minister"
    response = second_client.post(change_url(meeting), second)

    assert response.status_code == 200
    assert not meeting.participations.exists()


def test_a_partial_save_still_counts_a_version(make):
    meeting = make.make_meeting(publication_status=DRAFT)
    meeting.summary = "Changed"

    meeting.save(update_fields=["summary"])

    meeting.refresh_from_db()
    assert (meeting.summary, meeting.version) == ("Changed", 2)
