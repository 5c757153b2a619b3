"""Public pages of the shared vocabulary and the site as a whole.

Home, sources, organizations, themes, site-wide search, robots.txt and the favicon. The
list views of every app build on `FilteredListView`, on the floor (`cpec_tracker.base_views`).
"""

import sqlite3
import sys

from django.db import InterfaceError, OperationalError, connections
from django.db.models import Count, Prefetch
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, TemplateView

from cpec_tracker.base_views import FilteredListView, FootnotesMixin, PublishedMixin
from cpec_tracker.citations import citations_prefetch, highlighted_text, public_quotes_of
from cpec_tracker.citations import quote_groups as group_quotes
from cpec_tracker.filters import SourceFilterSet
from cpec_tracker.models import Organization, Source, Theme
from meetings.models import Appointment, Meeting, Official
from projects.models import Project, ProjectRole, ProjectStatus

# How long a client is asked to wait when the database cannot answer (Retry-After, seconds).
RETRY_AFTER_SECONDS = 30
# SQLite errors that say the database cannot answer now, rather than that the code is wrong
# ("no such table" is an OperationalError too, and a real 500).
SQLITE_UNAVAILABLE = (
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_IOERR",
    "SQLITE_CANTOPEN",
)

# Search answers with at most this many records of each kind; the list pages have the rest.
SEARCH_RESULTS_PER_KIND = 20
# A longer search is cut to this many characters (the lists' `q` filter rejects longer ones).
SEARCH_MAX_LENGTH = 200


class HomeView(TemplateView):
    template_name = "cpec_tracker/home.html"

    def get_context_data(self, **kwargs):
        projects = Project.objects.published()
        by_status = dict(projects.values_list("status").annotate(count=Count("pk")).order_by())
        status_counts = [
            {"value": value, "label": label, "count": by_status.get(value, 0)}
            for value, label in ProjectStatus.choices
        ]
        return super().get_context_data(
            meeting_count=Meeting.objects.published().count(),
            official_count=Official.objects.published().count(),
            project_count=sum(by_status.values()),
            source_count=Source.objects.published().count(),
            latest_meetings=Meeting.objects.published().select_related("body")[:5],
            status_chart=status_chart(status_counts),
            themes=Theme.objects.published(),
            **kwargs,
        )


def status_chart(status_counts, *, bar_height=28, gap=8, label_width=170, bar_width=240):
    """Bars for a server-drawn SVG chart: each status with its count and its bar's geometry."""
    largest = max((row["count"] for row in status_counts), default=0) or 1
    rows = []
    for index, row in enumerate(status_counts):
        y = index * (bar_height + gap)
        rows.append(
            {
                **row,
                "y": y,
                "text_y": y + bar_height * 2 // 3,
                "width": round(bar_width * row["count"] / largest),
                "count_x": label_width + round(bar_width * row["count"] / largest) + 6,
            }
        )
    return {
        "rows": rows,
        "height": len(rows) * (bar_height + gap),
        "width": label_width + bar_width + 40,
        "bar_x": label_width,
        "bar_height": bar_height,
    }


class SourceListView(FilteredListView):
    model = Source
    paginate_by = 25

    filterset_class = SourceFilterSet


class SourceDetailView(PublishedMixin, DetailView):
    model = Source

    def get_context_data(self, **kwargs):
        groups = group_quotes(self.object.text, public_quotes_of(self.object))
        return super().get_context_data(
            highlighted_text=highlighted_text(self.object.text, groups),
            quote_groups=groups,
            **kwargs,
        )


class OrganizationDetailView(FootnotesMixin, PublishedMixin, DetailView):
    model = Organization

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("parent")
            .prefetch_related(
                Prefetch("children", queryset=Organization.objects.published()),
                Prefetch("meetings", queryset=Meeting.objects.published()),
                Prefetch(
                    "appointments",
                    queryset=Appointment.objects.filter(
                        official__in=Official.objects.published()
                    ).select_related("official"),
                ),
                Prefetch(
                    "project_roles",
                    queryset=ProjectRole.objects.filter(
                        project__in=Project.objects.published()
                    ).select_related("project"),
                ),
                citations_prefetch(),
            )
        )


class ThemeDetailView(FootnotesMixin, PublishedMixin, DetailView):
    model = Theme

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("meetings", queryset=Meeting.objects.published()),
                Prefetch("projects", queryset=Project.objects.published()),
                citations_prefetch(),
            )
        )


class SearchView(TemplateView):
    """Meetings, officials, projects and sources matching `q`, grouped by kind."""

    template_name = "cpec_tracker/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:SEARCH_MAX_LENGTH].replace("\x00", " ").strip()
        groups = []
        if query:
            kinds = [
                ("Meetings", "meetings:list", Meeting.objects.select_related("body")),
                ("Officials", "officials:list", Official.objects),
                ("Projects", "projects:list", Project.objects),
                ("Sources", "sources:list", Source.objects),
            ]
            for title, list_name, queryset in kinds:
                results = list(queryset.published().search(query)[: SEARCH_RESULTS_PER_KIND + 1])
                groups.append(
                    {
                        "title": title,
                        "results": results[:SEARCH_RESULTS_PER_KIND],
                        "more": len(results) > SEARCH_RESULTS_PER_KIND,
                        "list_url": reverse(list_name),
                    }
                )
        return super().get_context_data(
            search_query=query,
            groups=groups,
            result_count=sum(len(group["results"]) for group in groups),
            **kwargs,
        )


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to the real icon."""
    return HttpResponsePermanentRedirect(static("cpec_tracker/favicon.svg"))


def healthz(request):
    """A few bytes and no database: the floor the benchmark compares every page with."""
    return HttpResponse(b"ok\n", content_type="text/plain")


def database_unavailable(error):
    """Whether `error` says the database is down, unreachable, busy, full or read-only."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        return str(getattr(cause, "sqlite_errorname", "")).startswith(SQLITE_UNAVAILABLE)
    # PostgreSQL: psycopg's OperationalError is the server gone, refusing connections, shutting
    # down, out of disk or cancelling a query; InterfaceError a connection already closed.
    return True


@requires_csrf_token
def server_error(request):
    """handler500: a 503 with Retry-After when the database cannot answer, else the usual 500.

    Django calls it for an exception raised anywhere, the page cache's data-version read
    included, so it is the one place that sees every database failure. It touches no database.
    """
    error = sys.exc_info()[1]
    if not database_unavailable(error):
        return defaults.server_error(request)
    # A connection that failed this way is not reused: one opened on a read-only SQLite file
    # stays read-only after the file is writable again, and Django keeps SQLite connections
    # it believes usable for CONN_MAX_AGE. The next request opens a fresh one.
    connections.close_all()
    unsaved = request.method not in ("GET", "HEAD", "OPTIONS")
    message = (
        "The database cannot take changes right now: it is busy, full, read-only or down."
        if unsaved
        else "The database cannot be reached right now."
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": f"{message} Try again later.", "errors": {}})
    else:
        context = {"message": message, "unsaved": unsaved, "retry_after": RETRY_AFTER_SECONDS}
        response = HttpResponse(loader.render_to_string("503.html", context))
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
