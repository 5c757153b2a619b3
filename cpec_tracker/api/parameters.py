"""The API's query parameters, checked strictly: every mistake is a 4xx that names the
parameter. Any parameter (`check_parameters`), which parameters an endpoint takes, and how
often (`check_allowed_parameters`), the filters (`StrictFilterBackend`, described as strictly
in the schema by `StrictFilterExtension`), and the pages (`StrictPagination`)."""

import re
import unicodedata

import django_filters
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

from cpec_tracker.api.defaults import bad_parameter
from cpec_tracker.caching.pages import VersionedCountPaginator

# No query-string value the API understands is longer than this; longer ones are refused early.
MAX_PARAMETER_LENGTH = 300

# A page number with more digits than this is past the end of any list.
MAX_DIGITS = 12

# `?facets=false` leaves a list's counts beside its filter choices out.
FACETS_PARAMETER = "facets"

# What a slug may hold, in URLs and in slug-valued filters (Record.slug is a SlugField).
SLUG_CHARACTERS = "[-a-zA-Z0-9_]+"
SLUG_PATTERN = f"^{SLUG_CHARACTERS}$"
SLUG_RE = re.compile(SLUG_PATTERN)
SLUG_MAX_LENGTH = 120


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


class ParameterNotAllowed(exceptions.ValidationError):
    """A parameter the endpoint does not take, or a single-valued one given twice: a 400 whose
    answer lists the parameters the endpoint takes (`allowed_parameters`)."""

    def __init__(self, errors, allowed_parameters):
        super().__init__(errors)
        self.allowed_parameters = list(allowed_parameters)


def check_allowed_parameters(query_params, allowed, takes_several=()):
    """Refuse a parameter not in `allowed`, and one given more than once unless it is in
    `takes_several`: a client's typo (`date_after` for `year`) or a repeated filter
    (`status=a&status=b`) would otherwise be ignored, or read as its last value, silently."""
    errors = {}
    for name, values in query_params.lists():
        if name not in allowed:
            errors[name] = [
                gettext("This endpoint has no such parameter; it takes: {names}.").format(
                    names=", ".join(allowed)
                )
            ]
        elif len(values) > 1 and name not in takes_several:
            errors[name] = [gettext("Given {count} times; give it once.").format(count=len(values))]
    if errors:
        raise ParameterNotAllowed(errors, allowed)


def takes_several_values(filter_field):
    """Whether a filter reads every value of a repeated parameter (a multiple choice)."""
    widget = filter_field.extra.get("widget", filter_field.field_class.widget)
    return getattr(widget, "allow_multiple_selected", False)


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
                raise UnknownSlug(
                    {
                        name: [unknown_slug_message(filterset.filters[name], request, name)]
                        for name in errors
                    }
                )
            raise exceptions.ValidationError(
                {
                    name: [*messages, *choices_hint(filterset.filters[name], errors[name])]
                    for name, messages in filterset.errors.items()
                }
            )
        for name, filter_field in filterset.filters.items():
            if name not in request.query_params:
                continue
            # Free text that is only spaces is no search at all; anything else must say something.
            free_text = isinstance(filter_field, django_filters.CharFilter)
            cleaned = filterset.form.cleaned_data.get(name)
            if request.query_params[name] == "" or (not free_text and is_blank(cleaned)):
                raise bad_parameter(name, gettext("Give a value, or leave the parameter out."))
        # A list counts its `facets` with the filters as validated here.
        view.filterset = filterset
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


def unknown_slug_message(filter_field, request, name):
    kind = filter_field.queryset.model._meta.verbose_name
    return gettext("No published {kind} has the slug “{slug}”.").format(
        kind=kind, slug=request.query_params[name]
    )


def choices_hint(filter_field, errors):
    """For a value that is not one of a choice filter's choices (a `kind`, a `status`, an
    `ordering`): the choices, so the client need not look them up. Empty for other errors,
    and for a record named by slug (its choices are every published record)."""
    choices = filter_field.extra.get("choices")
    is_enum = choices is not None and not isinstance(filter_field, django_filters.ModelChoiceFilter)
    if not is_enum or not any(error.code == "invalid_choice" for error in errors):
        return []
    listed = ", ".join(str(value) for value, _label in choices)
    return [gettext("Choose one of: {choices}.").format(choices=listed)]


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

    @property
    def parameter_names(self):
        """The query parameters a paged list reads."""
        return [self.page_query_param, self.page_size_query_param]

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

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        choice = {
            "type": "object",
            "properties": {
                "value": {
                    "type": "string",
                    "description": "The filter's value, as the query string spells it.",
                },
                "label": {
                    "type": "string",
                    "description": "The value's label or name, in the language asked for.",
                },
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "How many records the list would have with this value.",
                },
            },
            "required": ["value", "label", "count"],
        }
        paginated["properties"]["facets"] = {
            "type": "object",
            "description": (
                "For each filter with choices: the values its records hold under the other "
                "filters given, each with how many records it would give, the most frequent "
                "first. Left out with `facets=false`."
            ),
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "choices": {"type": "array", "items": choice},
                    "truncated": {
                        "type": "boolean",
                        "description": "Whether more values occur than are listed.",
                    },
                },
                "required": ["choices", "truncated"],
            },
        }
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["schema"]["default"] = self.page_size
        parameters.append(
            {
                "name": FACETS_PARAMETER,
                "in": "query",
                "required": False,
                "description": (
                    "`false` leaves `facets`, the counts beside each filter's choices, out of "
                    "the answer."
                ),
                "schema": {"type": "boolean", "default": True},
            }
        )
        return parameters
