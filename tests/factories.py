"""Small factories for tests: each makes one valid, published row with sensible defaults."""

import datetime
import itertools
from decimal import Decimal

from cpec_tracker.records.models import Citation, Organization, PublicationStatus, Source, Theme
from meetings.models import Appointment, Meeting, Official, Outcome, Participation
from projects.models import Financing, KeyFigure, Location, Milestone, Project, ProjectRole

_numbers = itertools.count(1)

SOURCE_TEXT = (
    "ISLAMABAD: The two sides met in Beijing. The meeting was co-chaired by the Foreign "
    "Secretary and the Vice Foreign Minister. The “shining symbol” of friendship was noted."
)


def unique(prefix):
    return f"{prefix}-{next(_numbers)}"


def make_source(**fields):
    fields.setdefault("slug", unique("source"))
    fields.setdefault("title", "A test report")
    fields.setdefault("publisher", "Dawn")
    fields.setdefault("published_on", datetime.date(2025, 1, 12))
    fields.setdefault("kind", "news_report")
    # Each source's text differs: the tracker holds one source per text.
    fields.setdefault("text", f"{SOURCE_TEXT} (Copy {fields['slug']}.)")
    fields.setdefault("publication_status", PublicationStatus.PUBLISHED)
    return Source.objects.create(**fields)


def make_citation(record, *, source=None, quote="The two sides met in Beijing.", **fields):
    return Citation.objects.create(
        record=record, source=source or make_source(), quote=quote, **fields
    )


def make_organization(**fields):
    fields.setdefault("slug", unique("organization"))
    fields.setdefault("name", fields["slug"].replace("-", " ").title())
    fields.setdefault("kind", "ministry")
    fields.setdefault("publication_status", PublicationStatus.PUBLISHED)
    return Organization.objects.create(**fields)


def make_theme(**fields):
    fields.setdefault("slug", unique("theme"))
    fields.setdefault("name", fields["slug"].replace("-", " ").title())
    fields.setdefault("kind", "focus_area")
    fields.setdefault("publication_status", PublicationStatus.PUBLISHED)
    return Theme.objects.create(**fields)


def make_official(**fields):
    fields.setdefault("slug", unique("official"))
    fields.setdefault("name", fields["slug"].replace("-", " ").title())
    fields.setdefault("country", "PK")
    fields.setdefault("publication_status", PublicationStatus.PUBLISHED)
    return Official.objects.create(**fields)


def make_appointment(official=None, **fields):
    fields.setdefault("title", "Foreign Secretary")
    return Appointment.objects.create(official=official or make_official(), **fields)


def make_meeting(**fields):
    fields.setdefault("slug", unique("meeting"))
    fields.setdefault("title", fields["slug"].replace("-", " ").title())
    fields.setdefault("kind", "working_group_session")
    fields.setdefault("date", datetime.date(2025, 1, 10))
    fields.setdefault("publication_status", PublicationStatus.PUBLISHED)
    return Meeting.objects.create(**fields)


def make_participation(meeting=None, official=None, **fields):
    if official is None and not fields.get("name"):
        official = make_official()
    fields.setdefault("role", "participant")
    return Participation.objects.create(
        meeting=meeting or make_meeting(), official=official, **fields
    )


def make_outcome(meeting=None, **fields):
    meeting = meeting or make_meeting()
    fields.setdefault("order", meeting.outcomes.count() + 1)
    fields.setdefault("text", "The two sides agreed.")
    return Outcome.objects.create(meeting=meeting, **fields)


def make_project(**fields):
    fields.setdefault("slug", unique("project"))
    fields.setdefault("title", fields["slug"].replace("-", " ").title())
    fields.setdefault("kind", "project")
    fields.setdefault("status", "planned")
    fields.setdefault("publication_status", PublicationStatus.PUBLISHED)
    return Project.objects.create(**fields)


def make_key_figure(project=None, **fields):
    fields.setdefault("kind", "jobs")
    fields.setdefault("value", 1000)
    fields.setdefault("unit", "jobs")
    fields.setdefault("as_of", datetime.date(2025, 1, 12))
    return KeyFigure.objects.create(project=project or make_project(), **fields)


def make_milestone(project=None, **fields):
    fields.setdefault("kind", "agreement")
    fields.setdefault("date", datetime.date(2024, 12, 1))
    fields.setdefault("description", "An agreement was signed.")
    return Milestone.objects.create(project=project or make_project(), **fields)


def make_project_role(project=None, organization=None, **fields):
    fields.setdefault("role", "sponsor")
    return ProjectRole.objects.create(
        project=project or make_project(),
        organization=organization or make_organization(),
        **fields,
    )


def make_financing(project=None, lender=None, **fields):
    fields.setdefault("instrument", "commercial_loan")
    fields.setdefault("amount", Decimal("1000000"))
    fields.setdefault("currency", "CNY")
    fields.setdefault("status", "committed")
    return Financing.objects.create(
        project=project or make_project(), lender=lender or make_organization(), **fields
    )


def make_location(project=None, **fields):
    """A point in Gwadar unless told otherwise (`geometry=` for a line or an area)."""
    fields.setdefault("place_name", "Gwadar")
    fields.setdefault("precision", "city")
    if "geometry" not in fields:
        fields.setdefault("longitude", Decimal("62.325400"))
        fields.setdefault("latitude", Decimal("25.121600"))
    return Location.objects.create(project=project or make_project(), **fields)


def approve_pending_changes():
    """Approve every pending change, oldest first, as a chief editor who wrote none of them:
    what a second person does after an edit to a published record (editing.review)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cpec_tracker.editing.models import PendingChange
    from cpec_tracker.editing.review import change_approve
    from cpec_tracker.editing.roles import CHIEF_EDITORS

    reviewer, created = get_user_model().objects.get_or_create(
        username="second-reviewer", defaults={"is_staff": True}
    )
    if created:
        reviewer.groups.add(Group.objects.get(name=CHIEF_EDITORS))
    changes = list(PendingChange.objects.pending().order_by("pk"))
    for change in changes:
        change_approve(change=change, reviewer=reviewer)
    return changes
