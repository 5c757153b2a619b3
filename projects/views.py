"""Public pages for projects."""

from django.views.generic import DetailView

from cpec_tracker.web.views import FilteredListView, FootnotesMixin

from . import selectors, structured_data
from .filters import ProjectFilterSet
from .models import Project


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilterSet
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class ProjectDetailView(FootnotesMixin, DetailView):
    model = Project

    def get_queryset(self):
        return selectors.project_detail()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structured_data=structured_data.project_thing(self.request, self.object), **kwargs
        )
