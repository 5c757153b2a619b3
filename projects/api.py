"""API v1 collection of projects and programmes."""

from django.db.models import Prefetch

from cpec_tracker.api.rest import PublishedViewSet
from cpec_tracker.records.citations import citations_prefetch
from cpec_tracker.records.models import Theme, published_through
from meetings.models import Meeting

from . import serializers
from .filters import ProjectFilterSet
from .models import KeyFigure, Milestone, Project, ProjectRole


class ProjectViewSet(PublishedViewSet):
    """CPEC programmes, projects and facilities; a detail has key figures, timeline and who is
    involved."""

    model = Project
    filterset_class = ProjectFilterSet
    serializer_class = serializers.ProjectSerializer
    detail_serializer_class = serializers.ProjectDetailSerializer
    example_slug = "chashma-nuclear-power-plant-unit-5"

    def list_related(self, queryset):
        return queryset.select_related("parent").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.published())
        )

    def detail_related(self, queryset):
        return self.list_related(queryset).prefetch_related(
            Prefetch(
                "key_figures", queryset=KeyFigure.objects.prefetch_related(citations_prefetch())
            ),
            Prefetch(
                "milestones", queryset=Milestone.objects.prefetch_related(citations_prefetch())
            ),
            Prefetch(
                "roles",
                queryset=ProjectRole.objects.filter(published_through("organization"))
                .select_related("organization")
                .prefetch_related(citations_prefetch()),
            ),
            Prefetch("meetings", queryset=Meeting.objects.published()),
            # In the order of the parent's index (then the parts' own order): in title order
            # alone SQLite reads every published project for each batch of projects.
            Prefetch(
                "parts",
                queryset=Project.objects.published().order_by("parent_id", *Project._meta.ordering),
            ),
            citations_prefetch(),
        )
