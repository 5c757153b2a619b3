"""Public pages for meetings and officials, and the meetings calendar."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from cpec_tracker.web.views import FilteredListView, FootnotesMixin

from . import selectors, structured_data
from .calendar import calendar_for
from .filters import MeetingFilterSet, OfficialFilterSet
from .models import Meeting, Official


class MeetingListView(FilteredListView):
    model = Meeting
    filterset_class = MeetingFilterSet
    paginate_by = 25

    def get_queryset(self):
        return selectors.meeting_list()


class MeetingDetailView(FootnotesMixin, DetailView):
    model = Meeting

    def get_queryset(self):
        return selectors.meeting_detail()

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


class OfficialDetailView(FootnotesMixin, DetailView):
    model = Official

    def get_queryset(self):
        return selectors.official_detail()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structured_data=structured_data.official_person(self.request, self.object),
            **kwargs,
        )


def meetings_calendar(request):
    """Every published meeting as an iCalendar feed a calendar app can subscribe to."""
    return calendar_response(request, selectors.meeting_list(), "cpec-tracker-meetings.ics")


def meeting_calendar(request, slug):
    meeting = get_object_or_404(Meeting.objects.published(), slug=slug)
    return calendar_response(request, [meeting], f"{meeting.slug}.ics")


def calendar_response(request, meetings, filename):
    response = HttpResponse(
        calendar_for(request, meetings), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
