"""The machinery every API v1 endpoint shares: strict parameters, pagination, CSV, ETags, errors.

The viewsets themselves live in each app's `api.py`; this module holds what makes them behave
alike: a bad parameter is a 400 naming it, a missing record or page a 404, every error is JSON,
every list streams whole as CSV (`?format=csv`) or JSON Lines (`?format=jsonl`; see
`rest_exports.py`), and every answer carries an ETag.
"""

import functools
import json
import re
import unicodedata

import django_filters
from django.http import HttpResponsePermanentRedirect, JsonResponse, StreamingHttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework import exceptions, renderers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import exception_handler

from cpec_tracker.api.defaults import bad_parameter
from cpec_tracker.api.exports import ExportPlan, csv_chunks, json_lines_chunks
from cpec_tracker.api.language import (
    LANGUAGE_PARAMETER,
    document_language,
    language_parameter_error,
    mark_language,
    requested_language,
)
from cpec_tracker.caching.pages import VersionedCountPaginator

# No query-string value the API understands is longer than this; longer ones are refused early.
MAX_PARAMETER_LENGTH = 300

# A page number with more digits than this is past the end of any list.
MAX_DIGITS = 12

# What a slug may hold, in URLs and in slug-valued filters (Record.slug is a SlugField).
SLUG_CHARACTERS = "[-a-zA-Z0-9_]+"
SLUG_PATTERN = f"^{SLUG_CHARACTERS}$"
SLUG_RE = re.compile(SLUG_PATTERN)
SLUG_MAX_LENGTH = 120

conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def check_parameters(query_params):
    """Refuse control characters (NUL included) and overlong values in any parameter."""
    for name, values in query_params.lists():
        for text in (name, *values):
            if len(text) > MAX_PARAMETER_LENGTH:
                raise bad_parameter(
                    name[:50],
                    gettext("Longer than {limit} characters.").format(limit=MAX_PARAMETER_LENGTH),
                )
            if any(unicodedata.category(char) == "Cc" for char in text):
                raise bad_parameter(
                    name.replace("\x00", ""), gettext("Contains a control character (such as NUL).")
                )


class UnknownSlug(exceptions.NotFound):
    """A slug-valued filter names no published record: a 404, like an unknown detail slug."""


class StrictFilterBackend(DjangoFilterBackend):
    """The model's FilterSet, with every mistake a 4xx that names the parameter.

    django-filter on its own ignores a blank value (`?status=`) and a value it cannot read as a
    yes/no (`?current=maybe`); an API client is better told. A well-formed slug that matches no
    published record is a 404, any other bad value a 400.
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        for name, filter_field in filterset.filters.items():
            # The form would also read 1/0 and the legacy 2/3 of Django's yes/no widget.
            value = request.query_params.get(name)
            is_boolean = isinstance(filter_field, django_filters.BooleanFilter)
            if is_boolean and value is not None and value not in ("true", "false"):
                raise bad_parameter(
                    name, gettext("Give true or false, or leave the parameter out.")
                )
            is_ordering = isinstance(filter_field, django_filters.OrderingFilter)
            if is_ordering and value and value.count(",") >= most_orderings(filter_field):
                raise bad_parameter(
                    name,
                    gettext("At most %(count)s fields.") % {"count": most_orderings(filter_field)},
                )
        if not filterset.is_valid():
            errors = filterset.form.errors.as_data()
            if all(
                names_unknown_slug(filterset.filters[name], request.query_params.get(name), found)
                for name, found in errors.items()
            ):
                message = gettext("No published record has this slug.")
                raise UnknownSlug({name: [message] for name in errors})
            raise exceptions.ValidationError(
                {name: list(messages) for name, messages in filterset.errors.items()}
            )
        for name, filter_field in filterset.filters.items():
            if name not in request.query_params:
                continue
            # Free text that is only spaces is no search at all; anything else must say something.
            free_text = isinstance(filter_field, django_filters.CharFilter)
            cleaned = filterset.form.cleaned_data.get(name)
            if request.query_params[name] == "" or (not free_text and is_blank(cleaned)):
                raise bad_parameter(name, gettext("Give a value, or leave the parameter out."))
        return filterset.qs


def most_orderings(filter_field):
    """How many fields an `ordering` may list: as many of its longest choice as fit, with their
    commas, in the MAX_PARAMETER_LENGTH characters check_parameters allows one parameter. So
    what the schema allows (`maxItems`) is accepted, and no more."""
    longest = max(len(value) for value, _label in filter_field.extra["choices"])
    return (MAX_PARAMETER_LENGTH + 1) // (longest + 1)


def is_blank(value):
    """Nothing given: an empty value, or a list (`ordering=,,`) with an empty item."""
    if isinstance(value, list | tuple):
        return not value or any(is_blank(item) for item in value)
    return value in (None, "")


def names_unknown_slug(filter_field, value, errors):
    return (
        isinstance(filter_field, django_filters.ModelChoiceFilter)
        and filter_field.extra.get("to_field_name") == "slug"
        and value is not None
        and SLUG_RE.fullmatch(value) is not None
        and all(error.code == "invalid_choice" for error in errors)
    )


class StrictFilterExtension(DjangoFilterExtension):
    """Describes StrictFilterBackend's parameters in the schema as strictly as it checks them."""

    target_class = StrictFilterBackend
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter["schema"]
            if filter_field.extra.get("max_length"):
                schema["maxLength"] = filter_field.extra["max_length"]
            if isinstance(filter_field, django_filters.OrderingFilter):
                schema["maxItems"] = most_orderings(filter_field)
            if isinstance(filter_field, django_filters.ModelChoiceFilter):
                schema.update(pattern=SLUG_PATTERN, maxLength=SLUG_MAX_LENGTH)
            elif (
                isinstance(filter_field, django_filters.ChoiceFilter)
                and schema.get("type") == "string"
                and "enum" not in schema
            ):
                # Choices given as an iterable (the country list) are not listed by default.
                schema["enum"] = [str(value) for value, _ in filter_field.extra["choices"]]
            elif isinstance(filter_field, django_filters.NumberFilter):
                if filter_field.extra.get("step_size") == 1:
                    schema["type"] = "integer"
                for bound, keyword in (("minimum", "min_value"), ("maximum", "max_value")):
                    if filter_field.extra.get(keyword) is not None:
                        schema[bound] = filter_field.extra[keyword]
        return parameters


def stable_order(queryset):
    """The queryset's ordering with the primary key last, so pages never overlap or skip."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    return queryset.order_by(*ordering, "pk")


class StrictPagination(PageNumberPagination):
    """`page` (from 1) and `page_size` (1–100, default 50); anything else is a 400."""

    # Counts the filtered list once per data version instead of on every request.
    django_paginator_class = VersionedCountPaginator

    page_size = 50
    max_page_size = 100
    page_size_query_param = "page_size"

    def positive_number(self, request, name, default, maximum=None):
        text = request.query_params.get(name)
        if text is None:
            return default
        if not (text.isascii() and text.isdigit()) or int(text[:MAX_DIGITS]) < 1:
            raise bad_parameter(name, gettext("Give a whole number from 1 up."))
        # Any number longer than MAX_DIGITS is past the last page or the page size (and
        # cutting it short keeps int() cheap on a 10,000-digit parameter).
        number = int(text) if len(text) <= MAX_DIGITS else 10**MAX_DIGITS
        if maximum is not None and number > maximum:
            raise bad_parameter(
                name, gettext("Give a whole number from 1 to {maximum}.").format(maximum=maximum)
            )
        return number

    def check_parameters(self, request):
        self.positive_number(request, self.page_query_param, 1)
        self.get_page_size(request)

    def get_page_size(self, request):
        return self.positive_number(
            request, self.page_size_query_param, self.page_size, self.max_page_size
        )

    def paginate_queryset(self, queryset, request, view=None):
        return list(self.page_of(queryset, request))

    def page_of(self, queryset, request):
        """The page asked for, its rows not read yet; a 404 past the last page."""
        number = self.positive_number(request, self.page_query_param, 1)
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        if number > 1 and number > paginator.num_pages:
            raise exceptions.NotFound(
                gettext("There is no page {number}; the last page is {last}.").format(
                    number=number, last=paginator.num_pages
                )
            )
        self.page = paginator.page(number)
        self.request = request
        return self.page

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["schema"]["default"] = self.page_size
        return parameters


class ExportRenderer(renderers.BaseRenderer):
    """Declares an export format; the list view streams the rows itself (`export_response`)."""

    charset = "utf-8"
    # Writes the export's chunks from an `ExportPlan` (rest_exports.py).
    chunks = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only reached for a response that is not a streamed list, i.e. never for a success.
        return b""


class CSVRenderer(ExportRenderer):
    """`?format=csv`: every matching row, a header first; related records by slug."""

    media_type = "text/csv"
    format = "csv"
    chunks = staticmethod(csv_chunks)


class JSONLinesRenderer(ExportRenderer):
    """`?format=jsonl`: every matching row as a JSON object, one a line (JSON Lines)."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    chunks = staticmethod(json_lines_chunks)


def json_line(data):
    """One JSON Lines line: compact, UTF-8 as it is (not \\u-escaped), ending in a newline."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), cls=JSONEncoder) + "\n"


def api_exception_handler(exc, context):
    """Every error as `{"detail": "...", "errors": {"parameter": ["..."]}}`."""
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
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": str(data["detail"]), "errors": {}}
    return response


class PublishedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only collection of published records, looked up by slug.

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
    lookup_field = "slug"
    lookup_value_regex = SLUG_CHARACTERS
    filter_backends = [StrictFilterBackend]
    pagination_class = StrictPagination

    def get_queryset(self):
        if self.action == "retrieve":
            return self.detail_read()
        return self.list_related(self.model.objects.published())

    def list_related(self, queryset):
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return self.detail_serializer_class
        return self.serializer_class

    def get_renderers(self):
        if self.action == "list":
            return [renderers.JSONRenderer(), CSVRenderer(), JSONLinesRenderer()]
        return [renderers.JSONRenderer()]

    def initial(self, request, *args, **kwargs):
        # A method the API does not offer is a 405 whatever its parameters say.
        if getattr(self, request.method.lower(), None) is None:
            raise exceptions.MethodNotAllowed(request.method)
        check_parameters(request.query_params)
        language_error = language_parameter_error(request.query_params)
        if language_error:
            raise bad_parameter(LANGUAGE_PARAMETER, language_error)
        super().initial(request, *args, **kwargs)

    def filter_queryset(self, queryset):
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
        plan = ExportPlan(self.get_serializer(), queryset, request)
        rows = []
        if page.paginator.count:
            rows = list(plan.queryset[page.start_index() - 1 : page.end_index()])
        columns = [list(column) for column in zip(*rows, strict=True)]
        items = plan.json_values(columns) if rows else []
        return self.get_paginated_response(items)

    def export_response(self, queryset):
        """Every matching row (not one page), streamed in chunks as it is read."""
        renderer = self.request.accepted_renderer
        plan = ExportPlan(self.get_serializer(), queryset, self.request)
        response = StreamingHttpResponse(
            renderer.chunks(plan), content_type=f"{renderer.media_type}; charset=utf-8"
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


ERROR_RESPONSES = {
    "400": "A query parameter is invalid; `errors` names it.",
    "404": "No such published record, or no such page.",
    "429": "Too many requests from this client; retry after `Retry-After` seconds.",
}

# gunicorn (cpec_tracker/gunicorn.conf.py) answers this itself, in HTML, before Django sees the
# request: its default limit_request_line is 4,094 bytes.
URI_TOO_LONG = "The address with its query is longer than the server accepts (4,094 bytes)."

# What any string parameter may hold: no control characters (NUL included), see check_parameters.
PRINTABLE_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"


def document_api(result, generator, request, public):
    """drf-spectacular post-processing: describe what the shared machinery above does.

    Every operation may answer 400, 404 and 429 with an `Error`, 304 to `If-None-Match`, and
    414 (from gunicorn) to an address too long;
    lists also speak CSV and JSON Lines; every query parameter must be non-empty and printable.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {
            "detail": {"type": "string", "description": "What went wrong, in a sentence."},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": "For a 400: each offending query parameter with its messages.",
            },
        },
        "required": ["detail", "errors"],
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, _, method, view in generator.endpoints:
        view_class = getattr(view, "cls", None)
        example = getattr(view_class, "example_slug", None)
        operation = result["paths"].get(path, {}).get(method.lower(), {})
        for parameter in operation.get("parameters", []):
            if example and parameter["in"] == "path":
                parameter["example"] = example
        if operation and isinstance(view_class, type) and issubclass(view_class, PublishedViewSet):
            document_language(operation)
    for operations in result["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(status, {"description": description, "content": error})
            responses.setdefault("304", {"description": "Not modified since the given ETag."})
            responses.setdefault("414", {"description": URI_TOO_LONG})
            if operation["operationId"].endswith("_list"):
                content = responses["200"]["content"]
                content[CSVRenderer.media_type] = {
                    "schema": {"type": "string"},
                    "example": "url,html_url,slug,…\r\n",
                }
                content[JSONLinesRenderer.media_type] = {
                    "schema": {"type": "string"},
                    "example": '{"url": "…", "html_url": "…", "slug": "…", …}\n',
                }
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "header":
                    # Accept-Language: any value is read (an unknown one means English).
                    continue
                if parameter["in"] == "path":
                    parameter["schema"]["maxLength"] = SLUG_MAX_LENGTH
                restrict_parameter(parameter["schema"])
    return result


def restrict_parameter(schema):
    if schema.get("type") == "array":
        schema["minItems"] = 1
        restrict_parameter(schema["items"])
    elif schema.get("type") == "string" and "enum" not in schema:
        schema.setdefault("minLength", 1)
        schema["maxLength"] = min(
            schema.get("maxLength", MAX_PARAMETER_LENGTH), MAX_PARAMETER_LENGTH
        )
        schema.setdefault("pattern", PRINTABLE_PATTERN)
