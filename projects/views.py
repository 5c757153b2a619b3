"""Public pages for projects."""

from django.views.generic import DetailView, ListView

from cpec_tracker.caching import VersionedCountPaginator
from cpec_tracker.views import PublishedMixin

from .models import Project


class ProjectListView(PublishedMixin, ListView):
    model = Project
    paginate_by = 25
    paginator_class = VersionedCountPaginator


class ProjectDetailView(PublishedMixin, DetailView):
    model = Project

    def get_queryset(self):
        return super().get_queryset().prefetch_related("key_figures", "milestones").with_citations()
