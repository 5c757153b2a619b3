"""Public pages for meetings and officials, and the meetings calendar."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from cpec_tracker.records.citations import citations_prefetch
from cpec_tracker.records.models import Theme
from cpec_tracker.web.views import FilteredListView, FootnotesMixin, PublishedMixin

from . import structured_data
from .calendar import calendar_for
from .filters import MeetingFilterSet, OfficialFilterSet
from .models import Appointment, Meeting, Official, Outcome, Participation


class MeetingListView(FilteredListView):
    model = Meeting
    filterset_class = MeetingFilterSet
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("body")


class MeetingDetailView(FootnotesMixin, PublishedMixin, DetailView):
    model = Meeting

    def get_queryset(self):
        # Projects are one app up the dependency chain: reached through the reverse relation.
        project_model = Meeting.projects.rel.related_model
        return (
            super()
            .get_queryset()
            .select_related("body")
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.public()
                    .select_related("official")
                    .prefetch_related(citations_prefetch()),
                ),
                Prefetch(
                    "outcomes",
                    queryset=Outcome.objects.select_related("stated_by").prefetch_related(
                        citations_prefetch()
                    ),
                ),
                Prefetch("projects", queryset=project_model.objects.published()),
                Prefetch("themes", queryset=Theme.objects.published()),
                citations_prefetch(),
            )
        )

    def footnote_rows(self):
        return [*self.object.participations.all(), *self.object.outcomes.all()]

    def get_context_data(self, **kwargs):
        meeting = self.object
        return super().get_context_data(
            previous_meeting=meeting.previous_in_series(),
            next_meeting=meeting.next_in_series(),
            structured_data=structured_data.meeting_event(self.request, meeting),
            **kwargs,
        )


class OfficialListView(FilteredListView):
    model = Official
    filterset_class = OfficialFilterSet
    paginate_by = 50

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            # A row names the offices held today by their title alone: joining each
            # appointment's organization made PostgreSQL hash all 5,000 of them (3 ms).
            .prefetch_related("appointments")
        )


class OfficialDetailView(FootnotesMixin, PublishedMixin, DetailView):
    model = Official

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "appointments",
                    queryset=Appointment.objects.select_related("organization").prefetch_related(
                        citations_prefetch()
                    ),
                ),
                Prefetch(
                    "participations",
                    queryset=Participation.objects.public()
                    .select_related("meeting")
                    .order_by("-meeting__date", "meeting__title"),
                    to_attr="meetings_attended",
                ),
                citations_prefetch(),
            )
        )

    def footnote_rows(self):
        return self.object.appointments.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structured_data=structured_data.official_person(self.request, self.object),
            **kwargs,
        )


def meetings_calendar(request):
    """Every published meeting as an iCalendar feed a calendar app can subscribe to."""
    meetings = Meeting.objects.published().select_related("body")
    return calendar_response(request, meetings, "cpec-tracker-meetings.ics")


def meeting_calendar(request, slug):
    meeting = get_object_or_404(Meeting.objects.published(), slug=slug)
    return calendar_response(request, [meeting], f"{meeting.slug}.ics")


def calendar_response(request, meetings, filename):
    response = HttpResponse(
        calendar_for(request, meetings), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
