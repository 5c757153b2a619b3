"""API v1 collections of officials and meetings."""

from django.db.models import F, Prefetch

from cpec_tracker.api.rest import Expansion, PublishedViewSet
from cpec_tracker.records.models import Theme

from . import selectors, serializers
from .filters import MeetingFilterSet, OfficialFilterSet
from .models import Meeting, Official, Participation


def participants_of(meetings):
    """The public participations in `meetings`, in each meeting's order, with their officials."""
    return (
        Participation.objects.published(reached_from="meeting")
        .filter(meeting__in=meetings)
        .select_related("official")
        .annotate(parent_slug=F("meeting__slug"))
    )


class OfficialViewSet(PublishedViewSet):
    """People who hold or held an office; a detail lists their offices and meetings."""

    model = Official
    filterset_class = OfficialFilterSet
    serializer_class = serializers.OfficialSerializer
    detail_serializer_class = serializers.OfficialDetailSerializer
    detail_read = staticmethod(selectors.official_detail)
    example_slug = "amna-baloch"


class MeetingViewSet(PublishedViewSet):
    """Meetings, sessions, ceremonies, visits and calls; a detail has who took part and what
    was agreed."""

    model = Meeting
    filterset_class = MeetingFilterSet
    serializer_class = serializers.MeetingSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer
    detail_read = staticmethod(selectors.meeting_detail)
    example_slug = "jwg-icc-5th-meeting"
    expansions = {
        "participants": Expansion(
            rows=participants_of,
            serializer_class=serializers.ParticipantSummarySerializer,
            description="Who took part in each meeting, as its detail lists them (without "
            "citations).",
        )
    }

    def list_related(self, queryset):
        return queryset.select_related("body").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.published())
        )
