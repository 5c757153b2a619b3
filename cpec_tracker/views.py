"""Public pages of the shared vocabulary and the site as a whole.

Home, sources, organizations, themes, site-wide search, robots.txt and the favicon; the
list views of every app build on `FilteredListView`.
"""

import sqlite3
import sys

from django import forms
from django.core.paginator import InvalidPage
from django.db import InterfaceError, OperationalError, connections
from django.db.models import Count, Model
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, ListView, TemplateView

from meetings.models import Appointment, Meeting, Official
from projects.models import Project, ProjectRole, ProjectStatus

from .caching import VersionedCountPaginator
from .citations import Footnotes, citations_prefetch, highlighted_text, public_quotes_of
from .citations import quote_groups as group_quotes
from .filters import SourceFilterSet
from .models import Organization, Source, Theme

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


class PublishedMixin:
    """Serve only published records: a draft's address is a 404."""

    def get_queryset(self):
        return self.model.objects.published()


class FootnotesMixin:
    """Numbers the citations of the record and of `footnote_rows()` for the page's footnotes."""

    def footnote_rows(self):
        return []

    def get_context_data(self, **kwargs):
        footnotes = Footnotes().attach(self.object, *self.footnote_rows())
        return super().get_context_data(footnotes=footnotes.notes, **kwargs)


class RelatedPagesMixin:
    """A record page's lists of related records, a page at a time (`?<list>_page=N` each).

    A theme or an organization can be linked to thousands of records; listing them all made
    their pages the slowest of the site. Each list is counted once per version of its tables
    (the lists' paginator) and shows RELATED_PAGE_SIZE rows; a page number that is not one
    is a 404, as on the list pages.
    """

    related_page_size = 25

    def related_lists(self):
        """{name: queryset} of the lists to show, each in a stable order."""
        return {}

    def get_context_data(self, **kwargs):
        pages = {}
        for name, queryset in self.related_lists().items():
            parameter = f"{name}_page"
            paginator = VersionedCountPaginator(queryset, self.related_page_size)
            try:
                page = paginator.page(self.request.GET.get(parameter) or 1)
            except InvalidPage as error:
                raise Http404(_("There is no such page of this list.")) from error
            pages[name] = {
                "page": page,
                "rows": page.object_list,
                "previous_url": self.page_url(parameter, page.previous_page_number())
                if page.has_previous()
                else None,
                "next_url": self.page_url(parameter, page.next_page_number())
                if page.has_next()
                else None,
            }
        return super().get_context_data(related_pages=pages, **kwargs)

    def page_url(self, parameter, number):
        query = self.request.GET.copy()
        query[parameter] = str(number)
        return f"{self.request.path}?{query.urlencode()}"


class FilteredListView(PublishedMixin, ListView):
    """A list filtered through the model's FilterSet (the one the API uses too).

    A value the FilterSet cannot read answers 400 with a message naming the parameter and no
    results; `?page=` that is not a page number gives the 404 page.
    """

    filterset_class = None
    # Counts the filtered list once per data version instead of on every request.
    paginator_class = VersionedCountPaginator
    # Filters by records that run to thousands (officials, organizations, programmes): a
    # <select> listing them all made every list page render thousands of options (2 req/s at
    # 100,000 projects). The form takes the record's slug; record pages link to these lists
    # with the filter already set, and the active filter shows the record's name.
    filters_typed_as_slugs = {"official", "series", "organization", "parent"}
    # Words for the form where the FilterSet's own labels are written for the API.
    labels = {
        "year": "Year",
        "official": "Official",
        "theme": "Theme",
        "organization": "Organization",
        "ordering": "Sort by",
    }

    def get(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(
            request.GET, queryset=self.get_queryset(), request=request
        )
        for name, field in self.filterset.form.fields.items():
            # The filter's own label, not the form field's: drf-spectacular builds (and
            # django-filter caches) form fields on the shared filters without their model,
            # so a field made while the API schema was generated has no label.
            label = self.labels.get(name, self.filterset.filters[name].label)
            label_form_field(field, label, name)
            if name in self.filters_typed_as_slugs:
                field.widget = forms.TextInput(
                    attrs={"placeholder": "slug, as in its page’s address"}
                )
        valid = self.filterset.is_valid()
        self.object_list = self.filterset.qs if valid else self.get_queryset().none()
        context = self.get_context_data(
            filterset=self.filterset,
            filter_errors=self.filter_errors(),
            active_filters=self.active_filters() if valid else [],
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def filter_errors(self):
        return [
            {"name": name, "message": " ".join(errors)}
            for name, errors in self.filterset.form.errors.items()
        ]

    def active_filters(self):
        """The filters in use, each with its label, its value in words and a link without it."""
        form = self.filterset.form
        active = []
        for name, field in form.fields.items():
            raw = self.request.GET.get(name, "")
            value = form.cleaned_data.get(name)
            if raw == "" or value in (None, "", []):
                continue
            if isinstance(value, Model):
                shown = str(value)
            elif isinstance(value, bool):
                shown = "yes" if value else "no"
            elif hasattr(field, "choices"):
                shown = dict(field.choices).get(raw, raw)
            else:
                shown = raw
            remaining = self.request.GET.copy()
            remaining.pop(name)
            remaining.pop("page", None)
            query = remaining.urlencode()
            active.append(
                {
                    "name": name,
                    "label": field.label or name,
                    "value": shown,
                    "remove_url": f"{self.request.path}?{query}" if query else self.request.path,
                }
            )
        return active


def label_form_field(field, label, name):
    """Give a filter's form field a visitor's words: its label and "Any" for no choice."""
    field.label = label
    empty = "Default order" if name == "ordering" else "Any"
    if isinstance(field, forms.NullBooleanField):
        field.widget.choices = [("unknown", empty), ("true", "Yes"), ("false", "No")]
    elif isinstance(field, forms.ModelChoiceField):
        field.empty_label = empty
    elif getattr(field, "empty_label", None) is not None:
        # django-filter's choice fields add the empty choice when their choices are set.
        field.empty_label = empty
        field.choices = [choice for choice in field.choices if choice[0] != ""]


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


def in_stable_order(queryset):
    """The model's own order, then its key: pages of a list never share or skip a row."""
    return queryset.order_by(*queryset.model._meta.ordering, "pk")


class OrganizationDetailView(RelatedPagesMixin, FootnotesMixin, PublishedMixin, DetailView):
    model = Organization

    def get_queryset(self):
        return (
            super().get_queryset().select_related("parent").prefetch_related(citations_prefetch())
        )

    def related_lists(self):
        organization = self.object
        return {
            "children": in_stable_order(
                Organization.objects.published().filter(parent=organization)
            ),
            "meetings": in_stable_order(Meeting.objects.published().filter(body=organization)),
            "appointments": in_stable_order(
                Appointment.objects.filter(
                    organization=organization, official__in=Official.objects.published()
                ).select_related("official")
            ),
            "project_roles": in_stable_order(
                ProjectRole.objects.filter(
                    organization=organization, project__in=Project.objects.published()
                ).select_related("project")
            ),
        }


class ThemeDetailView(RelatedPagesMixin, FootnotesMixin, PublishedMixin, DetailView):
    model = Theme

    def get_queryset(self):
        return super().get_queryset().prefetch_related(citations_prefetch())

    def related_lists(self):
        theme = self.object
        return {
            "meetings": in_stable_order(Meeting.objects.published().filter(themes=theme)),
            "projects": in_stable_order(Project.objects.published().filter(themes=theme)),
        }


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
