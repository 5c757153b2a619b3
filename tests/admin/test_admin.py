import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from cpec_tracker.records.models import Citation, Source, Versioned
from meetings.models import Meeting

# Every row editors keep is Versioned; history copies and the cache's data version are not.
TRACKER_MODELS = [model for model in apps.get_models() if issubclass(model, Versioned)]

CITATION_PREFIX = "cpec_tracker-citation-content_type-object_id"


def management_form(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_meeting_form(source, officials, quote):
    data = {
        "title": "6th meeting of the JWG-ICC",
        "slug": "jwg-icc-6th-meeting",
        "kind": "working_group_session",
        "date": "2026-01-01",
        "date_precision": "month",
        "status": "scheduled",
        "publication_status": "draft",
        **management_form("participations", len(officials)),
        **management_form("outcomes", 0),
        **management_form(CITATION_PREFIX, 1),
        f"{CITATION_PREFIX}-0-source": str(source.pk),
        f"{CITATION_PREFIX}-0-field": "title",
        f"{CITATION_PREFIX}-0-quote": quote,
    }
    for index, official in enumerate(officials):
        data[f"participations-{index}-official"] = str(official.pk)
        data[f"participations-{index}-role"] = "co_chair"
        data[f"participations-{index}-title_at_meeting"] = "Foreign Secretary"
        data[f"participations-{index}-order"] = str(index)
    return data


def test_every_tracker_model_is_in_the_admin():
    assert [m for m in TRACKER_MODELS if m not in admin.site._registry] == []


@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_change_page_answer_200_on_seeded_data(editor_client, seeded, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert editor_client.get(changelist).status_code == 200
    assert editor_client.get(changelist, {"q": "Baloch"}).status_code == 200
    instance = model.objects.first()
    if instance is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
        assert editor_client.get(change).status_code == 200


def test_editor_adds_a_meeting_with_participants_and_a_citation(editor_client, editor, seeded):
    from meetings.models import Official

    source = Source.objects.get()
    officials = list(Official.objects.filter(slug__in=["amna-baloch", "sun-weidong"]))
    response = editor_client.post(
        reverse("admin:meetings_meeting_add"),
        new_meeting_form(source, officials, "The meeting was co-chaired by Foreign Secretary"),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    meeting = Meeting.objects.get(slug="jwg-icc-6th-meeting")
    assert meeting.created_by == editor and meeting.updated_by == editor
    assert meeting.publication_status == "draft"
    assert {p.official.slug for p in meeting.participations.all()} == {"amna-baloch", "sun-weidong"}
    assert meeting.citations.get().quote == "The meeting was co-chaired by Foreign Secretary"


def test_admin_refuses_a_quote_that_is_not_in_the_source_and_saves_nothing(editor_client, seeded):
    source = Source.objects.get()
    citations_before = Citation.objects.count()
    response = editor_client.post(
        reverse("admin:meetings_meeting_add"),
        new_meeting_form(source, [], "A sentence the article never printed."),
    )
    assert response.status_code == 200
    assert "does not occur in the text" in response.content.decode()
    assert not Meeting.objects.filter(slug="jwg-icc-6th-meeting").exists()
    assert Citation.objects.count() == citations_before


def test_editor_cannot_open_users_or_groups(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_editor_cannot_delete_records(editor_client, seeded):
    meeting = Meeting.objects.get(slug="jwg-icc-4th-meeting")
    response = editor_client.get(reverse("admin:meetings_meeting_delete", args=[meeting.pk]))
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
