"""Public pages for meetings and officials."""

from django.views.generic import DetailView, ListView

from cpec_tracker.caching import VersionedCountPaginator
from cpec_tracker.views import PublishedMixin

from .models import Meeting, Official


class MeetingListView(PublishedMixin, ListView):
    model = Meeting
    paginate_by = 25
    paginator_class = VersionedCountPaginator

    def get_queryset(self):
        return super().get_queryset().select_related("body")


class MeetingDetailView(PublishedMixin, DetailView):
    model = Meeting

    def get_queryset(self):
        return super().get_queryset().select_related("body").with_participants().with_citations()


class OfficialListView(PublishedMixin, ListView):
    model = Official
    paginate_by = 50
    paginator_class = VersionedCountPaginator


class OfficialDetailView(PublishedMixin, DetailView):
    model = Official

    def get_queryset(self):
        return (
            super().get_queryset().prefetch_related("appointments__organization").with_citations()
        )
