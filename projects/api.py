"""API v1 collection of projects and programmes."""

from django.db.models import Prefetch

from cpec_tracker.api.rest import PublishedViewSet
from cpec_tracker.records.models import Theme

from . import selectors, serializers
from .filters import ProjectFilterSet
from .models import Project


class ProjectViewSet(PublishedViewSet):
    """CPEC programmes, projects and facilities; a detail has key figures, timeline and who is
    involved."""

    model = Project
    filterset_class = ProjectFilterSet
    serializer_class = serializers.ProjectSerializer
    detail_serializer_class = serializers.ProjectDetailSerializer
    detail_read = staticmethod(selectors.project_detail)
    example_slug = "chashma-nuclear-power-plant-unit-5"

    def list_related(self, queryset):
        return (
            selectors.with_status_since(queryset)
            .select_related("parent")
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.published()))
        )
