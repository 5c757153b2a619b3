"""API v1 collections of officials and meetings."""

from django.db.models import Prefetch

from cpec_tracker.api.rest import PublishedViewSet
from cpec_tracker.records.models import Theme

from . import selectors, serializers
from .filters import MeetingFilterSet, OfficialFilterSet
from .models import Meeting, Official


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

    def list_related(self, queryset):
        return queryset.select_related("body").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.published())
        )
