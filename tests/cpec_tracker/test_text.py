"""Control characters: refused on save in every text field, removed from old rows, and never
able to break a feed or a calendar."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import reverse

from cpec_tracker.records import registry
from cpec_tracker.records.models import PlainText
from cpec_tracker.records.text import remove_control_characters
from meetings.models import Meeting, Official, Outcome
from projects.models import Project
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def free_text_fields():
    """Every text field an editor types into (those with choices accept only their choices)."""
    return [
        pytest.param(model, field.name, id=f"{model.__name__}.{field.name}")
        for label in registry.tracker_apps()
        for model in apps.get_app_config(label).get_models()
        if not model._meta.model_name.startswith("historical")
        # Bookkeeping no one can edit (no permissions): the data and table versions.
        and model._meta.default_permissions
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


@pytest.mark.parametrize(("model", "field_name"), free_text_fields())
def test_every_text_field_of_every_tracker_model_refuses_a_control_character(model, field_name):
    assert issubclass(model, PlainText)
    row = model(**{field_name: "before\x0bafter"})

    with pytest.raises(ValidationError) as error:
        row.clean_fields()

    messages = error.value.message_dict[field_name]
    assert any("control character (U+000B) at character 7" in message for message in messages)


def test_single_line_fields_refuse_line_breaks_and_multi_line_fields_normalise_them(make):
    meeting = make.make_meeting(summary="One line.")
    meeting.summary = "First line.\r\nSecond line.\rThird line.\tTabbed."
    meeting.full_clean()
    assert meeting.summary == "First line.\nSecond line.\nThird line.\tTabbed."

    meeting.title = "A title\rwith a carriage return"
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "single line" in error.value.message_dict["title"][0]


def test_the_admin_refuses_a_control_character_with_a_clear_message(editor_client, make):
    meeting = make.make_meeting(summary="Clean.")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = change_form_data(editor_client.get(url))
    data["summary"] = "Pasted from a PDF\x0b with a vertical tab."

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "invisible control character (U+000B) at character 18" in response.text
    meeting.refresh_from_db()
    assert meeting.summary == "Clean."


def test_the_admin_keeps_a_textarea_s_line_breaks_as_newlines(editor_client, make):
    meeting = make.make_meeting(summary="Clean.")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = change_form_data(editor_client.get(url))
    data["summary"] = "First paragraph.\r\n\r\nSecond paragraph."

    assert editor_client.post(url, data).status_code == 302
    make.approve_pending_changes()  # a published record's edit, approved by a second person
    meeting.refresh_from_db()
    assert meeting.summary == "First paragraph.\n\nSecond paragraph."


def test_atom_feeds_survive_a_control_character_saved_before_they_were_refused(client, make):
    meeting = make.make_meeting(title="Feed meeting")
    # Written past validation, as rows saved before the check were.
    Meeting.objects.filter(pk=meeting.pk).update(summary="Vertical\x0btab and\x1f US")

    for name in ("feed-meetings", "feed-updates"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert "Verticaltab and US" in response.text
        assert "\x0b" not in response.text and "\x1f" not in response.text


def test_icalendar_escapes_a_bare_carriage_return(client, make):
    meeting = make.make_meeting(title="Line\rbreak")
    Meeting.objects.filter(pk=meeting.pk).update(title="Line\rbreak", summary="A\r\nB\x0cC")

    for url in (reverse("calendar"), reverse("meetings:calendar", args=[meeting.slug])):
        body = client.get(url).content.decode()
        assert "SUMMARY:Line\\nbreak" in body
        assert "DESCRIPTION:A\\nBC" in body
        # The only CRs are those ending content lines (RFC 5545, 3.1).
        assert "\r" not in body.replace("\r\n", "")


def test_cleaning_stored_rows_drops_none(make):
    meeting = make.make_meeting()
    outcome = make.make_outcome(meeting)
    official = make.make_official()
    project = make.make_project()
    Meeting.objects.filter(pk=meeting.pk).update(
        title="Title\r\nover two lines", summary="Para\r\none\x0b.\rTwo\tok"
    )
    Outcome.objects.filter(pk=outcome.pk).update(text="Agreed\x1f.")
    Official.objects.filter(pk=official.pk).update(name="Name\x07")
    Project.objects.filter(pk=project.pk).update(location="Gwadar\x08", summary="Fine.\n")
    counts = [model.objects.count() for model in (Meeting, Outcome, Official, Project)]

    remove_control_characters([Meeting, Outcome, Official, Project], connection)

    assert [model.objects.count() for model in (Meeting, Outcome, Official, Project)] == counts
    meeting.refresh_from_db()
    assert (meeting.title, meeting.summary) == ("Title over two lines", "Para\none.\nTwo\tok")
    outcome.refresh_from_db()
    official.refresh_from_db()
    project.refresh_from_db()
    assert (outcome.text, official.name) == ("Agreed.", "Name")
    assert (project.location, project.summary) == ("Gwadar", "Fine.\n")
    for row in (meeting, outcome, official, project):
        row.full_clean()
