"""Public pages of the shared vocabulary and the site as a whole.

Home, sources, organizations, themes, site-wide search, robots.txt and the favicon. The
list views of every app build on `FilteredListView`, on the floor (`cpec_tracker.web.views`).
"""

import logging
import sqlite3
import sys
from urllib.parse import urlencode

from django import forms
from django.db import InterfaceError, OperationalError, connections
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, ListView, TemplateView

from cpec_tracker.caching.pages import (
    VersionedCountPaginator,
    versioned_count,
)
from cpec_tracker.records import registry
from cpec_tracker.records.citations import (
    citations_prefetch,
    highlighted_text,
    public_quotes_of,
)
from cpec_tracker.records.citations import quote_groups as group_quotes
from cpec_tracker.records.filters import SourceFilterSet
from cpec_tracker.records.models import Organization, Source, Theme
from cpec_tracker.records.searching import SearchResults, search_backend, searched_kinds
from cpec_tracker.records.selectors import organization_detail, source_detail, theme_detail
from cpec_tracker.records.structured_data import organization_thing
from cpec_tracker.site import figures
from cpec_tracker.site.changes import (
    CHANGES_PER_PAGE,
    changed_record,
    changes_for,
    public_changes,
)
from cpec_tracker.web.views import (
    FilteredListView,
    FootnotesMixin,
    RelatedPagesMixin,
    record_feed,
)
from meetings.models import Appointment, Meeting
from projects.models import FinancingTotals, Project, ProjectRole
from projects.selectors import financing_lent_by

# How long a client is asked to wait when the database cannot answer (Retry-After, seconds).
RETRY_AFTER_SECONDS = 30
logger = logging.getLogger(__name__)
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

# Search shows this many records at most, best first; its facets narrow them, and a kind's
# list page has every match.
SEARCH_RESULTS_SHOWN = 50
# A longer search is cut to this many characters (the lists' `q` filter rejects longer ones).
SEARCH_MAX_LENGTH = 200


class HomeView(TemplateView):
    template_name = "cpec_tracker/home.html"

    def get_context_data(self, **kwargs):
        # Figures over every published record, each worked out once per version of its table.
        status_chart = figures.projects_by_status()
        return super().get_context_data(
            # The projects are counted by status for the chart already: no query more.
            counts=home_counts(known={Project: sum(bar.value for bar in status_chart.bars)}),
            latest_meetings=Meeting.objects.published().select_related("body")[:5],
            status_chart=status_chart,
            themes=Theme.objects.published(),
            **kwargs,
        )


class FiguresView(TemplateView):
    """/figures/: what the published records add up to, as charts with their tables."""

    template_name = "cpec_tracker/figures.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(charts=figures.all_figures(), **kwargs)


def home_counts(known=None):
    """The published records of each kind the home page counts, each a link to its list:
    [{"url": "/meetings/", "text": "<strong>4</strong> meetings"}]; `known` gives the
    counts already made, by model."""
    known = known or {}
    counts = []
    for kind in registry.listed():
        if kind.home_count:
            count = known.get(kind.model)
            if count is None:
                count = versioned_count(kind.model.objects.published())
            # The phrase's markup is the catalogue's; the count is a number.
            counts.append(
                {
                    "url": reverse(kind.list_url),
                    "text": mark_safe(kind.home_count % {"counter": count}),
                }
            )
    return counts


class SourceListView(FilteredListView):
    model = Source
    paginate_by = 25

    filterset_class = SourceFilterSet


class SourceDetailView(DetailView):
    model = Source

    def get_queryset(self):
        return source_detail(citations=False)

    def get_context_data(self, **kwargs):
        groups = group_quotes(self.object.text, public_quotes_of(self.object))
        return super().get_context_data(
            highlighted_text=highlighted_text(self.object.text, groups),
            quote_groups=groups,
            follow_feed=record_feed(self.object),
            **kwargs,
        )


def in_stable_order(queryset):
    """The model's own order, then its key: pages of a list never share or skip a row."""
    return queryset.order_by(*queryset.model._meta.ordering, "pk")


class OrganizationDetailView(RelatedPagesMixin, FootnotesMixin, DetailView):
    model = Organization

    def get_queryset(self):
        return organization_detail(children=False)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structured_data=organization_thing(self.request, self.object),
            financing_totals=FinancingTotals.of_queryset(self.financing_lent()),
            **kwargs,
        )

    def related_lists(self):
        organization = self.object
        return {
            "children": in_stable_order(
                Organization.objects.published().filter(parent=organization)
            ),
            "meetings": in_stable_order(Meeting.objects.published().filter(body=organization)),
            "appointments": in_stable_order(
                Appointment.objects.published()
                .filter(organization=organization)
                .select_related("official")
                # Their sources' dates say as of when each office is known to be held.
                .prefetch_related(citations_prefetch())
            ),
            "project_roles": in_stable_order(
                ProjectRole.objects.published(reached_from="organization")
                .filter(organization=organization)
                .select_related("project")
            ),
            "financing": in_stable_order(self.financing_lent()),
        }

    def financing_lent(self):
        return financing_lent_by(self.object)


class ThemeDetailView(RelatedPagesMixin, FootnotesMixin, DetailView):
    model = Theme

    def get_queryset(self):
        return theme_detail()

    def related_lists(self):
        theme = self.object
        return {
            "meetings": in_stable_order(Meeting.objects.published().filter(themes=theme)),
            "projects": in_stable_order(Project.objects.published().filter(themes=theme)),
        }


class ChangeListView(ListView):
    """The public changelog: published states of published records, newest first."""

    template_name = "cpec_tracker/changes.html"
    context_object_name = "states"
    paginate_by = CHANGES_PER_PAGE
    # Counts the published states once per data version, like the list pages.
    paginator_class = VersionedCountPaginator

    def get(self, request, *args, **kwargs):
        # `?record=<kind>/<slug>`: one record's public history (its pages' "How to cite" link).
        self.record = None
        if "record" in request.GET:
            self.record = changed_record(request.GET["record"])
            if self.record is None:
                raise Http404(gettext("There is no published record at this address."))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return public_changes(record=self.record)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(changed_record=self.record, **kwargs)
        context["changes"] = changes_for(list(context["page_obj"].object_list))
        return context


class SearchFacetsForm(forms.Form):
    """The facets a search is narrowed by; a value that is not one of them is refused, with
    its message on the page, and not applied."""

    kind = forms.ChoiceField(required=False, choices=())
    year = forms.IntegerField(required=False, min_value=1, max_value=9999)
    status = forms.ChoiceField(required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = searched_kinds()
        self.fields["kind"].choices = [("", "")] + [(kind.name, kind.name) for kind in kinds]
        statuses = {
            value: label
            for kind in kinds
            if kind.search.status_field
            for value, label in kind.model._meta.get_field(kind.search.status_field).choices
        }
        self.fields["status"].choices = [("", ""), *statuses.items()]

    def narrowing(self):
        """{facet: value} of the valid facets given."""
        if self.is_valid():
            data = self.cleaned_data
        else:
            data = {name: self.cleaned_data.get(name) for name in self.fields}
        return {name: value for name, value in data.items() if value not in (None, "")}


# The facets, in the page's order: what a hit says for each.
FACETS = {
    "kind": lambda hit: hit.kind.name,
    "year": lambda hit: hit.year,
    "status": lambda hit: hit.status,
}


def facet_label(facet, hit):
    if facet == "kind":
        return str(hit.kind.search.title)
    if facet == "status":
        return hit.status_label
    return str(hit.year)


def narrowed(hits, narrowing, *, leaving_out=None):
    return [
        hit
        for hit in hits
        if all(
            FACETS[facet](hit) == value
            for facet, value in narrowing.items()
            if facet != leaving_out
        )
    ]


def search_facets(query, hits, narrowing):
    """[{name, options: [{label, count, selected, url}]}] for each facet with a value: each
    option counted over the hits narrowed by the other facets chosen, and linked to the
    search narrowed by it too (or, when chosen, no longer by it)."""
    facets = []
    for facet, value_of in FACETS.items():
        counts, labels = {}, {}
        for hit in narrowed(hits, narrowing, leaving_out=facet):
            value = value_of(hit)
            if value in (None, ""):
                continue
            counts[value] = counts.get(value, 0) + 1
            labels.setdefault(value, facet_label(facet, hit))
        if not counts:
            continue
        values = sorted(counts, reverse=True) if facet == "year" else list(counts)
        options = []
        for value in values:
            selected = narrowing.get(facet) == value
            params = {"q": query, **narrowing}
            if selected:
                del params[facet]
            else:
                params[facet] = value
            options.append(
                {
                    "label": labels[value],
                    "count": counts[value],
                    "selected": selected,
                    "url": f"{reverse('search')}?{urlencode(params)}",
                }
            )
        facets.append({"name": facet, "options": options})
    return facets


def search_query(request):
    """The words searched for (`?q=`), cut to their longest and without a NUL."""
    return request.GET.get("q", "")[:SEARCH_MAX_LENGTH].replace("\x00", " ").strip()


class SearchView(TemplateView):
    """Every kind of record matching `q`, best first (`records.searching`), with facets by
    kind, year and status that narrow the results."""

    template_name = "cpec_tracker/search.html"

    def get_context_data(self, **kwargs):
        query = search_query(self.request)
        form = SearchFacetsForm(self.request.GET)
        narrowing = form.narrowing()
        results = search_backend().search(query) if query else SearchResults([])
        hits = narrowed(results.hits, narrowing)
        kind = next((kind for kind in searched_kinds() if kind.name == narrowing.get("kind")), None)
        return super().get_context_data(
            search_query=query,
            corrected_query=results.corrected_query,
            # The words marked in the results: those the search found them by.
            marked_query=results.corrected_query or query,
            hits=hits[:SEARCH_RESULTS_SHOWN],
            result_count=len(hits),
            facets=search_facets(query, results.hits, narrowing) if results.hits else [],
            facet_errors=[error for errors in form.errors.values() for error in errors],
            # The feed of the records entering or changing in this result (feeds.py).
            follow_feed=(
                {
                    "url": f"{reverse('feed-search')}?{urlencode({'q': query, **narrowing})}",
                    "label": gettext("Follow: Atom feed of the changes in these results"),
                }
                if query and form.is_valid()
                else None
            ),
            # Narrowed to a kind with a list page: the link to the whole list of its matches.
            all_matching=(
                {
                    "url": f"{reverse(kind.list_url)}?{urlencode({'q': query})}",
                    "text": str(kind.search.all_matching).format(query=query),
                }
                if kind and kind.list_url and query
                else None
            ),
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


def one_log_line(text):
    """`text` on one line, control characters escaped (as Django escapes what it logs), so a
    request cannot write lines of its own into the log."""
    return " ".join(text.split()).encode("unicode_escape").decode("ascii")


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
    # In the address's language, even when the failure came before LocaleMiddleware ran.
    language = translation.get_language_from_path(request.path_info) or translation.get_language()
    if not database_unavailable(error):
        # A bug: Django logs it at ERROR, with traceback.
        with translation.override(language):
            return defaults.server_error(request)
    # A connection that failed this way is not reused: one opened on a read-only SQLite file
    # stays read-only after the file is writable again, and Django keeps SQLite connections
    # it believes usable for CONN_MAX_AGE. The next request opens a fresh one.
    connections.close_all()
    unsaved = request.method not in ("GET", "HEAD", "OPTIONS")
    with translation.override(language):
        message = (
            gettext(
                "The database cannot take changes right now: it is busy, full, read-only or down."
            )
            if unsaved
            else gettext("The database cannot be reached right now.")
        )
        if request.path.startswith("/api/"):
            detail = gettext("{message} Try again later.").format(message=message)
            response = JsonResponse({"detail": detail, "errors": {}})
        else:
            context = {"message": message, "unsaved": unsaved, "retry_after": RETRY_AFTER_SECONDS}
            response = HttpResponse(loader.render_to_string("503.html", context))
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # An outage is the operator's news, not a bug: one line each, at WARNING, instead of the
    # ERROR and full traceback Django logs for every 5xx (during an outage, one per request).
    # `_has_been_logged` is Django's own marker that makes its `log_response` skip a response.
    logger.warning(
        "Database unavailable, answered 503: %s %s (%s: %s)",
        request.method,
        one_log_line(request.path),
        type(error.__cause__ or error).__name__,
        one_log_line(str(error)),
    )
    response._has_been_logged = True
    return response
