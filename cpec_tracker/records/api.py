"""API v1 collections of sources, organizations and themes."""

from cpec_tracker.api import serializers
from cpec_tracker.api.rest import PublishedViewSet
from cpec_tracker.records import selectors
from cpec_tracker.records.filters import OrganizationFilterSet, SourceFilterSet, ThemeFilterSet
from cpec_tracker.records.models import Organization, Source, Theme


class SourceViewSet(PublishedViewSet):
    """Published source documents; a detail has the full text that quotes are checked against."""

    model = Source
    filterset_class = SourceFilterSet
    serializer_class = serializers.SourceSerializer
    detail_serializer_class = serializers.SourceDetailSerializer
    detail_read = staticmethod(selectors.source_detail)
    example_slug = "dawn-2025-01-12-cpec-jwg-icc"


class OrganizationViewSet(PublishedViewSet):
    """Ministries, embassies, working groups, committees and companies."""

    model = Organization
    filterset_class = OrganizationFilterSet
    serializer_class = serializers.OrganizationSerializer
    detail_serializer_class = serializers.OrganizationDetailSerializer
    detail_read = staticmethod(selectors.organization_detail)
    example_slug = "jwg-icc"

    def list_related(self, queryset):
        return queryset.select_related("parent")


class ThemeViewSet(PublishedViewSet):
    """Focus areas and frameworks: CPEC 2.0's corridors, focus areas, Pakistan's five Es."""

    model = Theme
    filterset_class = ThemeFilterSet
    serializer_class = serializers.ThemeSerializer
    detail_serializer_class = serializers.ThemeDetailSerializer
    detail_read = staticmethod(selectors.theme_detail)
    example_slug = "clean-energy"
