"""API v1 collections of officials and meetings."""

from django.db.models import Prefetch

from cpec_tracker.api.rest import PublishedViewSet
from cpec_tracker.records.citations import citations_prefetch
from cpec_tracker.records.models import Theme

from . import serializers
from .filters import MeetingFilterSet, OfficialFilterSet
from .models import Appointment, Meeting, Official, Outcome, Participation


class OfficialViewSet(PublishedViewSet):
    """People who hold or held an office; a detail lists their offices and meetings."""

    model = Official
    filterset_class = OfficialFilterSet
    serializer_class = serializers.OfficialSerializer
    detail_serializer_class = serializers.OfficialDetailSerializer
    example_slug = "amna-baloch"

    def detail_related(self, queryset):
        return queryset.prefetch_related(
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
                # By official first (each official's meetings keep their order): in date order
                # alone SQLite walks every published meeting for each batch of officials.
                .order_by("official_id", "-meeting__date", "meeting__title", "pk"),
            ),
            citations_prefetch(),
        )


class MeetingViewSet(PublishedViewSet):
    """Meetings, sessions, ceremonies, visits and calls; a detail has who took part and what
    was agreed."""

    model = Meeting
    filterset_class = MeetingFilterSet
    serializer_class = serializers.MeetingSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer
    example_slug = "jwg-icc-5th-meeting"

    def list_related(self, queryset):
        return queryset.select_related("body").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.published())
        )

    def detail_related(self, queryset):
        # Projects point at meetings, not the other way: reach them through the reverse
        # relation so this app need not import the projects app.
        project_model = Meeting._meta.get_field("projects").related_model
        return self.list_related(queryset).prefetch_related(
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
            citations_prefetch(),
        )
