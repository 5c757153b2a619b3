"""FilterSets for sources, organizations and themes, shared by the pages and the API.

Each filter's name is the query-string parameter: `?kind=ministry&country=PK&q=foreign`. Its
`help_text` says what it does, for the API's schema (the model field's help text would say
what the field holds, not what the filter selects).
"""

import functools

import django_filters
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django_countries import countries

from cpec_tracker.records.models import (
    Organization,
    OrganizationKind,
    Source,
    SourceKind,
    Theme,
    ThemeKind,
)

# `q` filters every list the same way: the model's QuerySet.search.
SEARCH_LABEL = "Search"
SEARCH_HELP = (
    "Free-text search: records with every word given (matched as the start of a word) in "
    "their names, aliases or text, in English, Urdu or Chinese."
)
ORDERING_HELP = (
    "The order of the list: one or more of these fields, comma-separated, each with `-` in "
    "front to sort it descending. Records that tie are in the order they were added."
)


@functools.cache
def country_choices_in(language):
    return [(code, str(name)) for code, name in countries]


class CountryChoices(BaseChoiceIterator):
    """Every country as (code, name), named and ordered in the current language.

    django-countries translates and sorts some 250 names whenever it is iterated, and a
    country filter's form iterated it on every request (a fifth of a meetings list's time);
    this does it once per language and process. Lazy, so each request gets its language.
    """

    def __iter__(self):
        return iter(country_choices_in(get_language()))


COUNTRY_CHOICES = CountryChoices()


def published_record_filter(model, **options):
    """A filter naming a published record by its slug (`?theme=green-corridor`): a draft is
    neither offered nor accepted."""
    return django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=model.objects.published(), **options
    )


class RecordFilterSet(django_filters.FilterSet):
    """Every list's filters start from here: free-text search as `q`."""

    q = django_filters.CharFilter(
        method="search", label=SEARCH_LABEL, help_text=SEARCH_HELP, max_length=200
    )

    def search(self, queryset, name, value):
        return queryset.search(value)


class SourceFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=SourceKind.choices, help_text="Sources of this kind of document."
    )
    publisher = django_filters.CharFilter(
        lookup_expr="iexact",
        max_length=200,
        help_text="Sources from this publisher, named in full (any case): `Dawn`, `APP`.",
    )
    # Outside 1900–9999 a year cannot be a CPEC source's or be turned into a date: refused.
    year = django_filters.NumberFilter(
        field_name="published_on",
        lookup_expr="year",
        min_value=1900,
        max_value=9999,
        step_size=1,
        help_text="Sources published in this year: `2025`.",
    )
    ordering = django_filters.OrderingFilter(
        fields=["published_on", "title"], help_text=ORDERING_HELP
    )

    class Meta:
        model = Source
        fields = ["q", "kind", "publisher", "year"]


class OrganizationFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=OrganizationKind.choices, help_text="Organizations of this kind."
    )
    country = django_filters.ChoiceFilter(
        choices=COUNTRY_CHOICES,
        help_text="Organizations of this country (ISO 3166 code, e.g. `PK`).",
    )
    ordering = django_filters.OrderingFilter(fields=["name"], help_text=ORDERING_HELP)

    class Meta:
        model = Organization
        fields = ["q", "kind", "country"]


class ThemeFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=ThemeKind.choices, help_text="Themes of this kind.")
    ordering = django_filters.OrderingFilter(fields=["name", "kind"], help_text=ORDERING_HELP)

    class Meta:
        model = Theme
        fields = ["q", "kind"]
