"""Meetings as iCalendar (RFC 5545) events, for calendar apps to subscribe to."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext

from cpec_tracker.records.dates import DatePrecision
from cpec_tracker.records.text import plain_text

from .models import MeetingStatus

PRODUCT_ID = "-//CPEC Tracker//Meetings//EN"


def escape_text(value):
    """A TEXT value (RFC 5545, 3.3.11) with its backslashes, separators and line breaks
    escaped; CRLF and a lone CR count as line breaks, and other control characters, which
    TEXT cannot hold, are left out."""
    return (
        plain_text(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def fold(line):
    """Split a content line into lines of at most 75 octets, continued with a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts = []
    current = b""
    for char in line:
        octets = char.encode()
        if len(current) + len(octets) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += octets
    parts.append(current.decode())
    return "\r\n ".join(parts)


def event_span(meeting):
    """First day and the day after the last, for an all-day event as long as the date is known."""
    start = meeting.date
    if meeting.date_precision == DatePrecision.YEAR:
        return start, datetime.date(start.year + 1, 1, 1)
    if meeting.date_precision == DatePrecision.MONTH:
        following = datetime.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return start, following
    return start, start + datetime.timedelta(days=1)


def event_lines(request, meeting):
    start, end = event_span(meeting)
    summary = meeting.title
    if meeting.date_precision != DatePrecision.DAY:
        if meeting.date_precision == DatePrecision.MONTH:
            known = gettext("{title} (date known to the month: {date})")
        else:
            known = gettext("{title} (date known to the year: {date})")
        summary = known.format(title=summary, date=meeting.date_display)
    place = ", ".join(part for part in (meeting.city, meeting.country.name) if part)
    stamp = timezone.localtime(meeting.updated_at, datetime.UTC)
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.slug}@{request.get_host().split(':')[0]}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
        f"URL:{request.build_absolute_uri(meeting.get_absolute_url())}",
        f"STATUS:{'CANCELLED' if meeting.status == MeetingStatus.CANCELLED else 'CONFIRMED'}",
    ]
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
    if meeting.summary:
        lines.append(f"DESCRIPTION:{escape_text(meeting.summary)}")
    lines.append("END:VEVENT")
    return lines


def calendar_for(request, meetings):
    """The iCalendar text of `meetings`, lines folded and ended with CRLF."""
    name = gettext("CPEC Tracker meetings")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for meeting in meetings:
        lines.extend(event_lines(request, meeting))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
