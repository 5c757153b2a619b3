"""The two-person rule: a change to what the public sees waits for a chief editor other than
its author, and nothing of it is public before approval (cpec_tracker.editing.review)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from cpec_tracker.editing.models import ChangeAction, PendingChange, ReviewStatus
from cpec_tracker.editing.roles import CHIEF_EDITORS
from cpec_tracker.records.models import Citation, PublicationStatus
from meetings.models import Outcome
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def change_url(row):
    opts = row._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])


def review_url(change):
    return reverse("admin:editing_pendingchange_change", args=[change.pk])


def decide_url(change):
    return reverse("admin:editing_pendingchange_decide", args=[change.pk])


@pytest.fixture
def second_chief(db):
    user = get_user_model().objects.create_user(
        "second-chief", password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=CHIEF_EDITORS))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def meeting(make):
    meeting = make.make_meeting(title="Approved title", summary="Approved summary")
    make.make_citation(meeting)
    return meeting


def propose_title(client, meeting, title, **more):
    data = change_form_data(client.get(change_url(meeting)))
    data["title"] = title
    data.update(more)
    return client.post(change_url(meeting), data)


def test_an_editors_change_to_a_published_record_waits_and_is_not_public(
    editor_client, editor, meeting, client
):
    response = propose_title(editor_client, meeting, "Proposed title")

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Approved title"
    change = PendingChange.objects.get()
    assert change.author == editor
    assert change.status == ReviewStatus.PENDING
    assert change.operations[0]["fields"] == {"title": "Proposed title"}
    public = Client()
    assert "Proposed title" not in public.get(meeting.get_absolute_url()).text
    assert "Proposed title" not in public.get(f"/api/v1/meetings/{meeting.slug}/").text
    # The editor is told, and sees the approved values with the change listed.
    page = editor_client.get(change_url(meeting))
    assert f"#{change.pk}" in page.text
    assert 'value="Approved title"' in page.text


def test_a_second_chief_editor_approves_and_the_change_is_applied_with_who_approved(
    editor_client, meeting, second_chief
):
    propose_title(editor_client, meeting, "Proposed title")
    change = PendingChange.objects.get()

    page = second_chief.get(review_url(change))
    assert "Approved title" in page.text and "Proposed title" in page.text
    response = second_chief.post(decide_url(change), {"_approve": "1", "comment": "Checked"})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Proposed title"
    change.refresh_from_db()
    assert change.status == ReviewStatus.APPROVED
    assert change.reviewer == second_chief.user
    latest = meeting.history.first()
    assert "approved by second-chief" in latest.history_change_reason
    assert "Proposed title" in Client().get(meeting.get_absolute_url()).text


def test_the_author_may_not_approve_their_own_change(chief_editor_client, meeting):
    propose_title(chief_editor_client, meeting, "Self-made title")
    change = PendingChange.objects.get()

    chief_editor_client.post(decide_url(change), {"_approve": "1"})

    change.refresh_from_db()
    meeting.refresh_from_db()
    assert change.status == ReviewStatus.PENDING
    assert meeting.title == "Approved title"


def test_self_approval_when_the_newsroom_allows_it_is_said(chief_editor_client, meeting, settings):
    settings.CPEC_REVIEW_SELF_APPROVAL = True
    propose_title(chief_editor_client, meeting, "Self-made title")
    change = PendingChange.objects.get()

    chief_editor_client.post(decide_url(change), {"_approve": "1"})

    change.refresh_from_db()
    meeting.refresh_from_db()
    assert change.self_approved
    assert meeting.title == "Self-made title"
    assert "self-approval allowed" in meeting.history.first().history_change_reason


def test_a_rejection_needs_a_comment_and_changes_nothing(editor_client, meeting, second_chief):
    propose_title(editor_client, meeting, "Proposed title")
    change = PendingChange.objects.get()

    second_chief.post(decide_url(change), {"_reject": "1", "comment": " "})
    change.refresh_from_db()
    assert change.status == ReviewStatus.PENDING

    second_chief.post(decide_url(change), {"_reject": "1", "comment": "Not in the source"})
    change.refresh_from_db()
    meeting.refresh_from_db()
    assert change.status == ReviewStatus.REJECTED
    assert change.review_comment == "Not in the source"
    assert meeting.title == "Approved title"


def test_an_approval_that_would_overwrite_a_newer_approved_change_is_refused_with_the_diff(
    editor_client, meeting, second_chief
):
    propose_title(editor_client, meeting, "First proposal")
    propose_title(editor_client, meeting, "Second proposal")
    first, second = PendingChange.objects.order_by("pk")

    page = second_chief.get(review_url(second))
    assert f"#{first.pk}" in page.text  # two changes to one record are shown together
    second_chief.post(decide_url(first), {"_approve": "1"})
    response = second_chief.post(decide_url(second), {"_approve": "1"}, follow=True)

    second.refresh_from_db()
    meeting.refresh_from_db()
    assert second.status == ReviewStatus.PENDING
    assert meeting.title == "First proposal"
    assert "was changed after this change was proposed" in response.text
    assert "now First proposal" in response.text


def test_inline_rows_and_citations_of_a_published_record_wait_for_review(
    editor_client, meeting, second_chief, make
):
    source = make.make_source(text="The sides agreed to meet again in Karachi.")
    data = change_form_data(editor_client.get(change_url(meeting)))
    data.update(
        {
            "outcomes-TOTAL_FORMS": "1",
            "outcomes-0-text": "The sides agreed to meet again.",
            "outcomes-0-order": "1",
        }
    )
    prefix = "cpec_tracker-citation-content_type-object_id"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            f"{prefix}-{total}-source": str(source.pk),
            f"{prefix}-{total}-quote": "The sides agreed to meet again in Karachi.",
        }
    )

    response = editor_client.post(change_url(meeting), data)

    assert response.status_code == 302, response.text[:3000]
    assert not Outcome.objects.filter(meeting=meeting).exists()
    assert Citation.objects.filter(source=source).count() == 0
    change = PendingChange.objects.get()
    assert [op["op"] for op in change.operations] == ["add", "add"]

    second_chief.post(decide_url(change), {"_approve": "1"})

    assert Outcome.objects.get(meeting=meeting).text == "The sides agreed to meet again."
    assert Citation.objects.get(source=source).object_id == meeting.pk


def test_a_child_row_added_or_deleted_on_its_own_page_waits_for_review(
    editor_client, meeting, make, chief_editor_client
):
    outcome = make.make_outcome(meeting, text="An approved outcome.")
    add_url = reverse("admin:meetings_outcome_add")
    data = change_form_data(editor_client.get(add_url))
    data.update({"meeting": str(meeting.pk), "text": "A proposed outcome.", "order": "2"})

    assert editor_client.post(add_url, data).status_code == 302
    delete_url = reverse("admin:meetings_outcome_delete", args=[outcome.pk])
    assert chief_editor_client.post(delete_url, {"post": "yes"}).status_code == 302

    assert list(Outcome.objects.values_list("text", flat=True)) == ["An approved outcome."]
    assert sorted(op["op"] for c in PendingChange.objects.all() for op in c.operations) == [
        "add",
        "delete",
    ]


def test_a_draft_is_edited_directly(editor_client, make):
    draft = make.make_meeting(title="Draft title", publication_status=PublicationStatus.DRAFT)

    propose_title(editor_client, draft, "New draft title")

    draft.refresh_from_db()
    assert draft.title == "New draft title"
    assert not PendingChange.objects.exists()


def test_a_chief_editor_publishing_a_draft_they_wrote_proposes_it(
    chief_editor_client, chief_editor, make, second_chief
):
    draft = make.make_meeting(title="Draft title", publication_status=PublicationStatus.DRAFT)
    make.make_citation(draft)
    propose_title(chief_editor_client, draft, "Chief's draft title")  # they write it
    changelist = reverse("admin:meetings_meeting_changelist")

    chief_editor_client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )

    draft.refresh_from_db()
    assert draft.publication_status == PublicationStatus.DRAFT
    change = PendingChange.objects.get()
    assert change.action == ChangeAction.PUBLISH

    second_chief.post(decide_url(change), {"_approve": "1"})
    draft.refresh_from_db()
    assert draft.publication_status == PublicationStatus.PUBLISHED


def test_a_chief_editor_publishes_a_draft_an_editor_wrote_at_once(
    chief_editor_client, editor_client, make
):
    draft = make.make_meeting(title="Draft title", publication_status=PublicationStatus.DRAFT)
    make.make_citation(draft)
    propose_title(editor_client, draft, "Editor's draft title")
    changelist = reverse("admin:meetings_meeting_changelist")

    chief_editor_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert draft.publication_status == PublicationStatus.PUBLISHED
    assert not PendingChange.objects.exists()


def test_unpublishing_waits_for_a_second_chief_editor(chief_editor_client, meeting, second_chief):
    changelist = reverse("admin:meetings_meeting_changelist")

    chief_editor_client.post(changelist, {"action": "unpublish", "_selected_action": [meeting.pk]})

    meeting.refresh_from_db()
    assert meeting.is_published
    change = PendingChange.objects.get()
    second_chief.post(decide_url(change), {"_approve": "1"})
    meeting.refresh_from_db()
    assert not meeting.is_published


def test_the_review_page_reads_a_bounded_number_of_queries(
    editor_client, meeting, second_chief, django_assert_max_num_queries
):
    for title in ("One", "Two", "Three"):
        propose_title(editor_client, meeting, title)
    change = PendingChange.objects.first()

    with django_assert_max_num_queries(40):
        assert second_chief.get(review_url(change)).status_code == 200
    with django_assert_max_num_queries(25):
        assert (
            second_chief.get(
                reverse("admin:editing_pendingchange_changelist") + "?status=pending"
            ).status_code
            == 200
        )


def test_a_change_to_another_field_stays_approvable_after_an_approval(
    editor_client, meeting, second_chief
):
    propose_title(editor_client, meeting, "Proposed title")
    data = change_form_data(editor_client.get(change_url(meeting)))
    data["summary"] = "Proposed summary"
    editor_client.post(change_url(meeting), data)
    title_change, summary_change = PendingChange.objects.order_by("pk")

    second_chief.post(decide_url(title_change), {"_approve": "1"})
    second_chief.post(decide_url(summary_change), {"_approve": "1"})

    meeting.refresh_from_db()
    assert (meeting.title, meeting.summary) == ("Proposed title", "Proposed summary")


def test_an_approved_change_of_rows_only_is_in_the_records_history_and_changes(
    editor_client, meeting, second_chief, client
):
    data = change_form_data(editor_client.get(change_url(meeting)))
    data.update(
        {"outcomes-TOTAL_FORMS": "1", "outcomes-0-text": "Agreed.", "outcomes-0-order": "1"}
    )
    editor_client.post(change_url(meeting), data)
    change = PendingChange.objects.get()

    second_chief.post(decide_url(change), {"_approve": "1"})

    assert meeting.history.first().history_change_reason.startswith(f"Change #{change.pk}")
    page = client.get("/changes/").text
    assert "Approved by a second editor" in page


def test_the_dashboard_lists_changes_waiting_in_a_fixed_number_of_queries(
    editor_client, meeting, second_chief
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def dashboard_queries():
        with CaptureQueriesContext(connection) as captured:
            page = second_chief.get(reverse("admin:index"))
        return page, len(captured)

    propose_title(editor_client, meeting, "First proposal")
    page, few = dashboard_queries()
    assert "Changes waiting for review (1)" in page.text
    assert "First proposal" not in page.text and "Approved title" in page.text
    for number in range(20):
        propose_title(editor_client, meeting, f"Proposal {number}")
    page, many = dashboard_queries()

    assert "Changes waiting for review (21)" in page.text
    assert many == few


def test_the_queue_opens_on_what_waits_and_shows_the_decided_on_asking(
    editor_client, meeting, second_chief
):
    propose_title(editor_client, meeting, "Waiting title")
    propose_title(editor_client, meeting, "Rejected title")
    waiting, rejected = PendingChange.objects.order_by("pk")
    second_chief.post(decide_url(rejected), {"_reject": "1", "comment": "No source"}, follow=True)
    queue = reverse("admin:editing_pendingchange_changelist")

    opened = second_chief.get(queue).text
    everything = second_chief.get(queue, {"status": "all"}).text

    assert f"(#{waiting.pk})" in opened and f"(#{rejected.pk})" not in opened
    assert f"(#{rejected.pk})" in everything


def test_the_queue_says_what_each_change_does_and_a_decision_leads_to_the_next(
    editor_client, meeting, second_chief, django_assert_max_num_queries
):
    propose_title(editor_client, meeting, "First proposal")
    data = change_form_data(editor_client.get(change_url(meeting)))
    data.update(
        {"outcomes-TOTAL_FORMS": "1", "outcomes-0-text": "Agreed.", "outcomes-0-order": "1"}
    )
    editor_client.post(change_url(meeting), data)
    first, second = PendingChange.objects.order_by("pk")
    queue = reverse("admin:editing_pendingchange_changelist")

    with django_assert_max_num_queries(25):
        listed = second_chief.get(queue).text
    response = second_chief.post(decide_url(first), {"_approve": "1"})

    assert ">title<" in listed and ">new outcome<" in listed
    assert response["Location"] == review_url(second)
    response = second_chief.post(decide_url(second), {"_reject": "1", "comment": "Not said"})
    assert response["Location"] == queue
