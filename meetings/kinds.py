"""The meetings app's kinds of record: officials, their offices, meetings and theirs."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from cpec_tracker.records.registry import ChoiceSet, Pages, RecordKind, Search, register
from meetings.models import (
    Appointment,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Official,
    Outcome,
    Participation,
    ParticipationRole,
)

MEETING_KINDS = ChoiceSet(
    MeetingKind,
    {
        "working_group_session": _(
            "A numbered session of a standing body such as a joint working group or the Joint "
            "Cooperation Committee."
        ),
        "bilateral_meeting": _("A meeting of officials of the two sides outside a series."),
        "ceremony": _("A signing, inauguration, groundbreaking or handover ceremony."),
        "visit": _("An official's visit to the other country or to a project site."),
        "call": _("A telephone or video call."),
    },
)

MEETING_STATUSES = ChoiceSet(
    MeetingStatus,
    {
        "scheduled": _("Announced for a date that has not yet come, or not yet reported held."),
        "held": _("Took place, as a source reports."),
        "cancelled": _("Called off, as a source reports."),
    },
)

PARTICIPATION_ROLES = ChoiceSet(
    ParticipationRole,
    {
        "co_chair": _("Chaired the meeting jointly with the other side's chair."),
        "chair": _("Chaired the meeting alone."),
        "host": _("Hosted the meeting or visit."),
        "speaker": _("Addressed the meeting without chairing it."),
        "participant": _("Took part, in no role the source singles out."),
    },
)


register(
    RecordKind(
        Official,
        name="officials",
        label=pgettext_lazy("kind of record", "official"),
        viewset="meetings.api.OfficialViewSet",
        pages=Pages(
            list="meetings.views.OfficialListView", detail="meetings.views.OfficialDetailView"
        ),
        position=2,
        api_position=2,
        in_feed=True,
        search=Search(
            title=_("Officials"),
            all_matching=_("All officials matching “{query}”"),
            none_match=_("No officials match."),
            related=("appointments", "appointments__organization"),
        ),
        home_count=ngettext_lazy(
            "<strong>%(counter)s</strong> official",
            "<strong>%(counter)s</strong> officials",
            "counter",
        ),
        field_labels={
            "name": pgettext_lazy("name of a person", "Name"),
            "native_name": _("Native name"),
            "bio": _("Bio"),
        },
    ),
    RecordKind(
        Appointment,
        name="appointments",
        label=pgettext_lazy("kind of record", "appointment"),
        seed_key=("official", "title", "organization"),
        field_labels={
            "official": _("Official"),
            "title": pgettext_lazy("office held", "Title"),
            "organization": _("Organization"),
            "start": _("Start"),
            "end": _("End"),
        },
    ),
    RecordKind(
        Meeting,
        name="meetings",
        label=pgettext_lazy("kind of record", "meeting"),
        viewset="meetings.api.MeetingViewSet",
        pages=Pages(
            list="meetings.views.MeetingListView",
            detail="meetings.views.MeetingDetailView",
            extra=(("<slug:slug>.ics", "meetings.views.meeting_calendar", "calendar"),),
        ),
        position=1,
        api_position=1,
        in_feed=True,
        search=Search(
            title=_("Meetings"),
            all_matching=_("All meetings matching “{query}”"),
            none_match=_("No meetings match."),
            select_related=("body",),
            related=("body", "participations", "participations__official", "outcomes"),
            named_by=("body",),
            date_field="date",
            status_field="status",
        ),
        home_count=ngettext_lazy(
            "<strong>%(counter)s</strong> meeting",
            "<strong>%(counter)s</strong> meetings",
            "counter",
        ),
        field_labels={
            "title": pgettext_lazy("title of a meeting", "Title"),
            "body": _("Body"),
            "sequence_number": _("Sequence number"),
            "date": _("Date"),
            "city": _("City"),
            "summary": _("Summary"),
            "status": _("Status"),
            "themes": _("Themes"),
        },
        choice_sets=(
            MEETING_KINDS,
            MEETING_STATUSES,
        ),
    ),
    RecordKind(
        Participation,
        name="participations",
        label=pgettext_lazy("kind of record", "participation"),
        seed_key=("meeting", "official", "name"),
        field_labels={
            "meeting": _("Meeting"),
            "name": pgettext_lazy("name of a person", "Name"),
            "role": _("Role"),
            "title_at_meeting": _("Title at meeting"),
        },
        choice_sets=(PARTICIPATION_ROLES,),
    ),
    RecordKind(
        Outcome,
        name="outcomes",
        label=pgettext_lazy("kind of record", "outcome"),
        seed_key=("meeting", "order"),
        field_labels={
            "text": pgettext_lazy("what a meeting agreed or stated", "Text"),
            "stated_by": _("Stated by"),
        },
    ),
)
