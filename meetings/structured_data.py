"""schema.org descriptions of meetings (Event) and officials (Person), for JSON-LD."""

from cpec_tracker.records.dates import DatePrecision
from cpec_tracker.records.models import if_public
from cpec_tracker.records.structured_data import (
    SCHEMA,
    described,
    linked,
    with_given,
    with_same_as,
)

from .models import MeetingStatus

EVENT_STATUS = {
    MeetingStatus.SCHEDULED: f"{SCHEMA}/EventScheduled",
    MeetingStatus.HELD: f"{SCHEMA}/EventScheduled",
    MeetingStatus.CANCELLED: f"{SCHEMA}/EventCancelled",
}


def iso_date(date, precision):
    """An ISO 8601 date only as precise as it is known: 2025-01-10, 2025-01 or 2025."""
    if precision == DatePrecision.YEAR:
        return f"{date:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{date:%Y-%m}"
    return date.isoformat()


def meeting_event(request, meeting):
    """An Event: name, date, place, organizer and the people who took part."""
    event = {
        **described(request, "Event", meeting, meeting.title),
        "startDate": iso_date(meeting.date, meeting.date_precision),
        "eventStatus": EVENT_STATUS[meeting.status],
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
    }
    if meeting.summary:
        event["description"] = meeting.summary
    if meeting.city or meeting.country:
        address = {"@type": "PostalAddress"}
        if meeting.city:
            address["addressLocality"] = meeting.city
        if meeting.country:
            address["addressCountry"] = meeting.country.code
        event["location"] = {
            "@type": "Place",
            "name": ", ".join(part for part in (meeting.city, meeting.country.name) if part),
            "address": address,
        }
    if if_public(meeting.body):
        event["organizer"] = linked(request, "Organization", meeting.body, meeting.body.name)
    attendees = []
    for participation in meeting.participations.all():
        person = {"@type": "Person", "name": participation.display_name}
        if participation.title_at_meeting:
            person["jobTitle"] = participation.title_at_meeting
        if participation.official_id:
            person["url"] = request.build_absolute_uri(participation.official.get_absolute_url())
        attendees.append(person)
    if attendees:
        event["attendee"] = attendees
    return event


def official_person(request, official):
    """A Person: name, nationality, current offices and their organizations."""
    person = with_given(
        described(request, "Person", official, official.name),
        alternateName=official.native_name,
        nationality=official.country and {"@type": "Country", "name": official.country.name},
        description=official.bio,
    )
    person = with_same_as(person, official)
    current = [appointment for appointment in official.appointments.all() if appointment.is_current]
    if current:
        person["jobTitle"] = [appointment.title for appointment in current]
        organizations = [
            with_same_as(
                {"@type": "Organization", "name": appointment.organization.name},
                appointment.organization,
            )
            for appointment in current
            if if_public(appointment.organization)
        ]
        if organizations:
            person["worksFor"] = organizations
    return person
