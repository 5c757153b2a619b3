"""Cited fields: a list of the record's real fields, chosen from a list, checked, labelled."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cpec_tracker.records.models import Citation, citable_fields
from meetings.models import Meeting, Outcome
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def test_citable_fields_are_real_fields_without_bookkeeping():
    names = dict(citable_fields(Meeting._meta))
    assert {"title", "date", "city", "country", "sequence_number", "body", "themes"} <= set(names)
    assert not {"slug", "version", "publication_status", "created_at", "updated_by"} & set(names)
    assert "date_precision" not in names  # "Date" covers its precision
    assert names["date"] == "Date"
    assert names["sequence_number"] == "Sequence number"
    assert "order" not in dict(citable_fields(Outcome._meta))


def test_unknown_cited_field_is_refused_with_the_choices(make):
    meeting = make.make_meeting()
    citation = make.make_citation(meeting)
    citation.fields = ["date", "co-chairs"]
    with pytest.raises(ValidationError) as raised:
        citation.full_clean()
    message = " ".join(raised.value.message_dict["fields"])
    assert "“co-chairs” is not a citable field of a meeting" in message
    assert "city (City)" in message


def test_cited_fields_must_be_a_list_of_names(make):
    citation = make.make_citation(make.make_meeting())
    citation.fields = "date, city"
    with pytest.raises(ValidationError):
        citation.full_clean()


def test_field_labels_are_words(make):
    citation = make.make_citation(make.make_meeting(), fields=["date", "sequence_number"])
    assert citation.field_labels == ["Date", "Sequence number"]


def test_footnote_labels_fields_in_words_never_raw_names(client, make):
    meeting = make.make_meeting()
    make.make_citation(meeting, fields=["sequence_number", "city"])
    response = client.get(meeting.get_absolute_url())
    text = response.content.decode()
    assert "Sequence number, City:" in text
    assert "sequence_number" not in text


def test_admin_offers_the_records_fields_as_checkboxes(admin_client, make):
    meeting = make.make_meeting()
    make.make_citation(meeting, fields=["date"])
    response = admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    html = response.content.decode()
    prefix = "cpec_tracker-citation-content_type-object_id-0-fields"
    assert f'type="checkbox" name="{prefix}" value="city"' in html
    assert f'type="checkbox" name="{prefix}" value="date"' in html
    assert f'name="{prefix}" value="slug"' not in html
    data = change_form_data(response)
    assert data[prefix] == "date"


def test_admin_saves_several_ticked_fields_and_refuses_a_made_up_one(admin_client, make):
    meeting = make.make_meeting()
    citation = make.make_citation(meeting, fields=["date"])
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    prefix = "cpec_tracker-citation-content_type-object_id-0-fields"
    data = change_form_data(admin_client.get(url))
    data[prefix] = ["made_up"]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    citation.refresh_from_db()
    assert citation.fields == ["date"]

    data[prefix] = ["date", "city"]
    assert admin_client.post(url, data).status_code == 302
    make.approve_pending_changes()  # a published record's edit, approved by a second person
    citation.refresh_from_db()
    assert citation.fields == ["date", "city"]


def test_citation_admin_checks_fields_against_the_chosen_record(admin_client, make):
    meeting = make.make_meeting()
    citation = make.make_citation(meeting, fields=["date"])
    url = reverse("admin:cpec_tracker_citation_change", args=[citation.pk])
    data = change_form_data(admin_client.get(url))
    data["fields"] = ["status", "city"]
    assert admin_client.post(url, data).status_code == 302
    make.approve_pending_changes()  # a published record's edit, approved by a second person
    citation.refresh_from_db()
    assert citation.fields == ["status", "city"]


def test_seed_file_uses_real_field_names(seeded):
    for citation in Citation.objects.all():
        citation.full_clean()
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    assert any(c.fields == ["title", "sequence_number", "city"] for c in meeting.citations.all())
