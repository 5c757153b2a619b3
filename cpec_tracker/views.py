"""Public pages of the shared vocabulary: home, sources, organizations and themes."""

from django.http import HttpResponse
from django.views.generic import DetailView, TemplateView

from meetings.models import Meeting, Official
from projects.models import Project

from .models import Organization, Source, Theme


class PublishedMixin:
    """Serve only published records: a draft's address is a 404."""

    def get_queryset(self):
        return self.model.objects.published()


class HomeView(TemplateView):
    template_name = "cpec_tracker/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting_count=Meeting.objects.published().count(),
            official_count=Official.objects.published().count(),
            project_count=Project.objects.published().count(),
            latest_meetings=Meeting.objects.published().select_related("body")[:5],
            **kwargs,
        )


class SourceDetailView(PublishedMixin, DetailView):
    model = Source


class OrganizationDetailView(PublishedMixin, DetailView):
    model = Organization


class ThemeDetailView(PublishedMixin, DetailView):
    model = Theme


def healthz(request):
    """A few bytes and no database: the floor the benchmark compares every page with."""
    return HttpResponse(b"ok\n", content_type="text/plain")
