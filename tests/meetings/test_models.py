import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from meetings.models import Appointment, Meeting, Participation


def test_appointment_cannot_end_before_it_starts_in_clean(db, make):
    appointment = Appointment(
        official=make.make_official(),
        title="Foreign Secretary",
        start=datetime.date(2024, 5, 1),
        end=datetime.date(2024, 4, 1),
    )
    with pytest.raises(ValidationError) as error:
        appointment.full_clean()
    assert "cannot end before it starts" in str(error.value)


def test_appointment_cannot_end_before_it_starts_in_the_database(db, make):
    with pytest.raises(IntegrityError):
        make.make_appointment(start=datetime.date(2024, 5, 1), end=datetime.date(2024, 4, 1))


def test_current_appointments_are_computed_from_dates(db, make):
    today = datetime.date.today()
    open_ended = make.make_appointment(start=datetime.date(2020, 1, 1))
    ended = make.make_appointment(start=datetime.date(2020, 1, 1), end=datetime.date(2021, 1, 1))
    future = make.make_appointment(start=today + datetime.timedelta(days=30))
    assert list(Appointment.objects.current()) == [open_ended]
    assert open_ended.is_current and not ended.is_current and not future.is_current


def test_sequence_number_is_unique_within_its_series(db, make):
    series = make.make_organization(kind="working_group")
    make.make_meeting(body=series, sequence_number=5)
    make.make_meeting(body=make.make_organization(), sequence_number=5)  # another series
    duplicate = Meeting(
        slug="again", title="Again", kind="working_group_session", date=datetime.date(2025, 1, 1)
    )
    duplicate.body, duplicate.sequence_number = series, 5
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already has a meeting with this number" in str(error.value)
    with pytest.raises(IntegrityError):
        make.make_meeting(body=series, sequence_number=5)


def test_sequence_number_needs_a_series(db, make):
    with pytest.raises(IntegrityError):
        make.make_meeting(sequence_number=3)


def test_month_precision_date_is_stored_as_the_first_of_the_month(db, make):
    meeting = make.make_meeting()
    meeting.date, meeting.date_precision = datetime.date(2025, 1, 17), "month"
    meeting.full_clean()
    assert meeting.date == datetime.date(2025, 1, 1)
    assert meeting.date_display == "January 2025"


def test_previous_and_next_meeting_of_the_series_skip_drafts(db, make):
    series = make.make_organization(kind="working_group")
    third = make.make_meeting(body=series, sequence_number=3)
    make.make_meeting(body=series, sequence_number=4, publication_status="draft")
    fifth = make.make_meeting(body=series, sequence_number=5)
    assert fifth.previous_in_series() == third
    assert third.next_in_series() == fifth
    assert third.previous_in_series() is None


def test_participation_needs_an_official_or_a_name(db, make):
    with pytest.raises(IntegrityError):
        Participation.objects.create(meeting=make.make_meeting(), role="participant")


def test_participation_by_name_only_is_allowed(db, make):
    participation = make.make_participation(name="the Foreign Office spokesperson")
    assert participation.display_name == "the Foreign Office spokesperson"


def test_official_attends_a_meeting_once(db, make):
    meeting, official = make.make_meeting(), make.make_official()
    make.make_participation(meeting=meeting, official=official)
    with pytest.raises(IntegrityError):
        make.make_participation(meeting=meeting, official=official)


def test_official_who_attended_cannot_be_deleted(db, make):
    from django.db.models import ProtectedError

    participation = make.make_participation()
    with pytest.raises(ProtectedError):
        participation.official.delete()
