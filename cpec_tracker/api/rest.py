"""The machinery every API v1 endpoint shares: strict parameters, pagination, CSV, ETags, errors.

The viewsets themselves live in each app's `api.py`; this module holds what makes them behave
alike: a bad parameter is a 400 naming it (`parameters.py`), a missing record or page a 404,
every error is JSON, every list streams whole as CSV (`?format=csv`) or JSON Lines
(`?format=jsonl`; see `exports.py`), a list of records with places as GeoJSON too
(`?format=geojson`), and every answer carries an ETag. `schema.py` describes
all this in the OpenAPI schema.
"""

import functools
import itertools

from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse, StreamingHttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext
from rest_framework import exceptions, renderers, viewsets
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from cpec_tracker.api.defaults import bad_parameter
from cpec_tracker.api.documents import StoredDetailMixin
from cpec_tracker.api.export_formats import csv_chunks, geojson_chunks, json_lines_chunks
from cpec_tracker.api.exports import ExportPlan
from cpec_tracker.api.language import (
    LANGUAGE_PARAMETER,
    language_parameter_error,
    mark_language,
    requested_language,
)
from cpec_tracker.api.parameters import (
    FACETS_PARAMETER,
    SLUG_CHARACTERS,
    ParameterNotAllowed,
    StrictFilterBackend,
    StrictPagination,
    UnknownSlug,
    check_allowed_parameters,
    check_parameters,
    stable_order,
    takes_several_values,
)
from cpec_tracker.records.citations import load_citations
from cpec_tracker.web.facets import listed_facets

conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


class ExportRenderer(renderers.BaseRenderer):
    """Declares an export format; the list view streams the rows itself (`export_response`)."""

    charset = "utf-8"
    # Writes the export's chunks from an `ExportPlan` (export_formats.py).
    chunks = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only reached for a response that is not a streamed list, i.e. never for a success.
        return b""

    def stream(self, plan, request):
        """The export's bytes, in chunks."""
        return self.chunks(plan)


class CSVRenderer(ExportRenderer):
    """`?format=csv`: every matching row, a header first; related records by slug.

    The CSV starts with a UTF-8 byte-order mark, without which Excel reads UTF-8 as the
    system's code page and garbles Urdu and Chinese: the site's download links are this
    export, and a browser saves them for a spreadsheet to open. A program that reads the CSV
    itself asks for it without the mark with `Accept: text/csv; header=present; bom=0`
    (RFC 4180's `header` parameter, and a `bom` parameter of this API's own).
    """

    media_type = "text/csv"
    format = "csv"
    chunks = staticmethod(csv_chunks)

    def stream(self, plan, request):
        if wants_byte_order_mark(request):
            return itertools.chain([UTF8_BYTE_ORDER_MARK], self.chunks(plan))
        return self.chunks(plan)


UTF8_BYTE_ORDER_MARK = "\ufeff".encode()


def wants_byte_order_mark(request):
    """False when the request's Accept header asks for CSV with `bom=0`, else True."""
    return not any(
        (media_type.main_type, media_type.sub_type) == ("text", "csv")
        and media_type.params.get("bom") == "0"
        for media_type in request._request.accepted_types
    )


class JSONLinesRenderer(ExportRenderer):
    """`?format=jsonl`: every matching row as a JSON object, one a line (JSON Lines)."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    chunks = staticmethod(json_lines_chunks)


class GeoJSONRenderer(ExportRenderer):
    """`?format=geojson`, on a list whose viewset makes `features`: a GeoJSON FeatureCollection
    (RFC 7946) of every matching record's places, streamed."""

    media_type = "application/geo+json"
    format = "geojson"
    chunks = staticmethod(geojson_chunks)


# The list parameter naming child rows to add to each item (`?expand=participants`).
EXPAND_PARAMETER = "expand"
# A list's `facets` name at most this many choices of each filter, the most frequent first.
FACET_LIMIT = 30


class Expansion:
    """Child rows a list can add to each of its items on request (`?expand=<name>`), read with
    one query for the whole page, whatever the number of items (an export: one per chunk of
    rows).

    `rows(parents)` gives the published child rows of a queryset of parent records, each with
    `parent_slug`; `serializer_class` shows one (a list item leaves citations to the detail).
    """

    def __init__(self, *, rows, serializer_class, description):
        self.rows = rows
        self.serializer_class = serializer_class
        self.description = description

    def for_parents(self, parents, context):
        """A function from a list of parents' slugs to each one's child rows, as shown."""

        def child_rows(slugs):
            rows = list(self.rows(parents.filter(slug__in=slugs)))
            shown = self.serializer_class(rows, many=True, context=context).data
            by_parent = {}
            for row, data in zip(rows, shown, strict=True):
                by_parent.setdefault(row.parent_slug, []).append(data)
            return [by_parent.get(slug, []) for slug in slugs]

        return child_rows


def api_exception_handler(exc, context):
    """Every error as `{"detail": "...", "errors": {"parameter": ["..."]}}`, with
    `allowed_parameters` when a parameter is not one the endpoint takes."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError | UnknownSlug) and isinstance(data, dict):
        names = ", ".join(data)
        problem = (
            gettext("Invalid query parameter: {names}.")
            if isinstance(exc, exceptions.ValidationError)
            else gettext("No published record matches the slug in: {names}.")
        )
        response.data = {
            "detail": problem.format(names=names),
            "errors": {name: [str(text) for text in messages] for name, messages in data.items()},
        }
        if isinstance(exc, ParameterNotAllowed):
            response.data["allowed_parameters"] = exc.allowed_parameters
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": str(data["detail"]), "errors": {}}
    return response


class PublishedViewSet(StoredDetailMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only collection of published records, looked up by slug; a record's detail is
    kept as the bytes sent between writes to the tables it was read from (`StoredDetailMixin`).

    Subclasses set `model`, `filterset_class`, `serializer_class` (the list's summary),
    `detail_serializer_class`, `detail_read` (the record's selector, which its page and
    /data/'s JSON Lines read too), `example_slug`, and optionally `list_related`: what to load
    alongside a list's rows so the number of queries does not grow with them.
    """

    model = None
    detail_serializer_class = None
    # The selector a detail is read from: a function returning the published records with
    # everything the detail shows (`meetings.selectors.meeting_detail`…).
    detail_read = None
    # A slug from the seed, shown in the docs and tried first by Schemathesis.
    example_slug = None
    # The child rows a list adds to its items on request: {name: Expansion}.
    expansions = {}
    # What a list's GeoJSON is made of: a class taking the filtered queryset and the request
    # and giving its features in chunks (`projects.geojson.ProjectFeatures`); a list with
    # one answers `?format=geojson`.
    features = None
    lookup_field = "slug"
    lookup_value_regex = SLUG_CHARACTERS
    filter_backends = [StrictFilterBackend]
    pagination_class = StrictPagination

    def get_queryset(self):
        if self.action == "retrieve":
            return self.detail_read()
        return self.list_related(self.model.objects.published())

    def get_object(self):
        try:
            record = super().get_object()
        except Http404:
            raise exceptions.NotFound(self.not_found_message()) from None
        load_citations([record])
        return record

    def not_found_message(self):
        """Which kind of record and which slug were not found (Django would say "No Meeting
        matches the given query.")."""
        words = {"kind": self.model._meta.verbose_name, "slug": self.kwargs[self.lookup_field]}
        if self.filters_given():
            return gettext(
                "No published {kind} with the slug “{slug}” matches the filters given."
            ).format(**words)
        return gettext("No published {kind} has the slug “{slug}”.").format(**words)

    def filters_given(self):
        return not self.filterset_class.base_filters.keys().isdisjoint(self.request.query_params)

    def allowed_parameters(self):
        """The query parameters this endpoint reads, taken from what reads them: the
        FilterSet's filters (a detail reads them too: a record they leave out is a 404), a
        list's page parameters, `format` and `lang`, and `expand` on a list that has child rows
        to add."""
        names = list(self.filterset_class.base_filters)
        if self.action == "list":
            names += self.paginator.parameter_names
        names += [api_settings.URL_FORMAT_OVERRIDE, LANGUAGE_PARAMETER]
        if self.action == "list" and self.expansions:
            names.append(EXPAND_PARAMETER)
        if self.action == "list":
            names.append(FACETS_PARAMETER)
        return names

    def parameters_taking_several_values(self):
        return {
            name
            for name, filter_field in self.filterset_class.base_filters.items()
            if takes_several_values(filter_field)
        }

    def list_related(self, queryset):
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return self.detail_serializer_class
        return self.serializer_class

    def get_renderers(self):
        if self.action == "list":
            exports = [CSVRenderer(), JSONLinesRenderer()]
            if self.features is not None:
                exports.append(GeoJSONRenderer())
            return [renderers.JSONRenderer(), *exports]
        return [renderers.JSONRenderer()]

    def initial(self, request, *args, **kwargs):
        # A method the API does not offer is a 405 whatever its parameters say.
        if getattr(self, request.method.lower(), None) is None:
            raise exceptions.MethodNotAllowed(request.method)
        check_parameters(request.query_params)
        check_allowed_parameters(
            request.query_params,
            self.allowed_parameters(),
            self.parameters_taking_several_values(),
        )
        language_error = language_parameter_error(request.query_params)
        if language_error:
            raise bad_parameter(LANGUAGE_PARAMETER, language_error)
        super().initial(request, *args, **kwargs)
        expand = request.query_params.get(EXPAND_PARAMETER)
        if expand is not None and expand not in self.expansions:
            raise bad_parameter(
                EXPAND_PARAMETER,
                gettext("Choose one of: {choices}.").format(choices=", ".join(self.expansions)),
            )
        if request.query_params.get(FACETS_PARAMETER) not in (None, "true", "false"):
            raise bad_parameter(
                FACETS_PARAMETER, gettext("Give true or false, or leave the parameter out.")
            )

    def filter_queryset(self, queryset):
        if self.action == "retrieve" and not self.filters_given():
            # Given none of its parameters, the FilterSet leaves the rows as they are (and the
            # detail's `get` drops any order): not worth building its form for every detail.
            return queryset
        return stable_order(super().filter_queryset(queryset))

    def list(self, request, *args, **kwargs):
        if isinstance(request.accepted_renderer, ExportRenderer):
            # An export has every row, but a bad page parameter is still a mistake worth a 400.
            self.paginator.check_parameters(request)
            return self.export_response(self.filter_queryset(self.get_queryset()))
        # A page's items are read the way an export reads its rows (one `values_list` query,
        # made into the list serializer's items column by column): the same items as the
        # serializer gives, for a third of the time it takes over model instances.
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginator.page_of(queryset, request)
        plan = self.export_plan(queryset)
        rows = []
        if page.paginator.count:
            rows = list(plan.queryset[page.start_index() - 1 : page.end_index()])
        columns = [list(column) for column in zip(*rows, strict=True)]
        items = plan.json_values(columns) if rows else []
        response = self.get_paginated_response(items)
        if request.query_params.get(FACETS_PARAMETER) != "false":
            # The filter backend kept the filterset it validated and filtered with.
            response.data["facets"] = listed_facets(self.filterset, limit=FACET_LIMIT)
        return response

    def export_plan(self, queryset):
        """How the list's items are read, with the child rows `expand` asks for."""
        plan = ExportPlan(self.get_serializer(), queryset, self.request)
        expand = self.request.query_params.get(EXPAND_PARAMETER)
        if expand:
            expansion = self.expansions[expand]
            context = self.get_serializer_context()
            plan.add_children(
                expand, expansion.for_parents(self.model.objects.published(), context)
            )
        return plan

    def export_response(self, queryset):
        """Every matching row (not one page), streamed in chunks as it is read."""
        renderer = self.request.accepted_renderer
        if isinstance(renderer, GeoJSONRenderer):
            plan = self.features(queryset, self.request)
            # RFC 7946 registers application/geo+json without a charset: it is always UTF-8.
            content_type = renderer.media_type
        else:
            plan = self.export_plan(queryset)
            content_type = f"{renderer.media_type}; charset=utf-8"
        response = StreamingHttpResponse(
            renderer.stream(plan, self.request), content_type=content_type
        )
        filename = f"{self.basename_plural}.{renderer.format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @property
    def basename_plural(self):
        return str(self.model._meta.verbose_name_plural).replace(" ", "-")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Errors are JSON even when the client asked for CSV.
        if response.status_code >= 400 and hasattr(response, "accepted_renderer"):
            response.accepted_renderer = renderers.JSONRenderer()
            response.accepted_media_type = "application/json"
        return response

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return in_requested_language(conditional_get(super().as_view(actions, **initkwargs)))


def in_requested_language(view):
    """`view` answering in the language the request asks for (`cpec_tracker.api.language`).

    The response is rendered inside, in that language: Django would render it after the view
    returns. Rendering runs the post-render callbacks, so `conditional_get`'s 304 comes out.
    """

    @functools.wraps(view)
    def localized_view(request, *args, **kwargs):
        language = requested_language(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response = response.render()
        return mark_language(response, language)

    return localized_view


def not_found(request):
    """The API's last URL: a JSON 404 for any path it does not know (or a slash redirect)."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return JsonResponse(
        {
            "detail": gettext("There is nothing at {path}; see /api/v1/.").format(
                path=request.path
            ),
            "errors": {},
        },
        status=404,
    )
