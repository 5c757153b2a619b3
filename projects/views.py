"""Public pages for projects."""

from django.db.models import Prefetch
from django.views.generic import DetailView

from cpec_tracker.records.citations import citations_prefetch
from cpec_tracker.records.models import Theme, published_through
from cpec_tracker.web.views import FilteredListView, FootnotesMixin, PublishedMixin
from meetings.models import Meeting

from . import structured_data
from .filters import ProjectFilterSet
from .models import KeyFigure, Milestone, Project, ProjectRole


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilterSet
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class ProjectDetailView(FootnotesMixin, PublishedMixin, DetailView):
    model = Project

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("parent")
            .prefetch_related(
                Prefetch("parts", queryset=Project.objects.published()),
                Prefetch(
                    "key_figures",
                    queryset=KeyFigure.objects.prefetch_related(citations_prefetch()),
                ),
                Prefetch(
                    "milestones",
                    queryset=Milestone.objects.prefetch_related(citations_prefetch()),
                ),
                Prefetch(
                    "roles",
                    queryset=ProjectRole.objects.filter(published_through("organization"))
                    .select_related("organization")
                    .prefetch_related(citations_prefetch()),
                ),
                Prefetch("meetings", queryset=Meeting.objects.published()),
                Prefetch("themes", queryset=Theme.objects.published()),
                citations_prefetch(),
            )
        )

    def footnote_rows(self):
        project = self.object
        return [*project.key_figures.all(), *project.milestones.all(), *project.roles.all()]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structured_data=structured_data.project_thing(self.request, self.object), **kwargs
        )
