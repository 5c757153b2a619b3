"""A list page's filter choices: only the values its published records hold, each with the
number of records it would give with the other filters as they are ("Pakistan (12)").

The choices a form offers are the FilterSet's, which the API reads too; only the page's form
is narrowed here, after it has validated, so the page and the API accept every value they did
(a value that no record holds gives an empty list, and stays offered while it is chosen).
Each filter's counts are one grouped query, kept per version of the tables it reads
(`stored_per_table_version`), so a repeat view, or another page or ordering of the same
list, counts nothing; the filters with a short list of values that are not chosen share one
(`counted_together`). The API's list answers give the same counts as `facets`
(`listed_facets`), from the same grouped queries.
"""

import heapq
from collections import Counter

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.db.models.sql.datastructures import Join
from django.utils.translation import get_language
from django_filters.constants import EMPTY_VALUES

from cpec_tracker.caching.pages import stored_per_table_version
from cpec_tracker.records.templatetags.cpec import local_name_text


def facet_group(filter_):
    """The expression a filter's choices are counted by, or None for a filter without a
    short list of values to choose from (free text, yes/no, sort orders)."""
    if filter_.method is not None or isinstance(filter_, django_filters.OrderingFilter):
        return None
    if isinstance(filter_, django_filters.NumberFilter):
        return ExtractYear(filter_.field_name) if filter_.lookup_expr == "year" else None
    if filter_.lookup_expr != "exact":
        return None
    # A ModelChoiceFilter is a ChoiceFilter too.
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        return F(f"{filter_.field_name}__{filter_.extra.get('to_field_name') or 'pk'}")
    if isinstance(filter_, django_filters.ChoiceFilter):
        return F(filter_.field_name)
    return None


def apply_filters(filterset, queryset, names):
    """`queryset` narrowed by the filterset's (validated) filters of `names`."""
    for name in names:
        queryset = filterset.filters[name].filter(queryset, filterset.form.cleaned_data[name])
    return queryset


def facet_counts(queryset, group):
    """{value (as the query string spells it): number of records} of `queryset` by `group`,
    worked out once per version of the tables it reads."""
    # Distinct only when a record can come more than once with one value: a filter through a
    # many-valued relation (a meeting's participants) joins a record once per matching row.
    # Counting distinct keys sorts every row (PostgreSQL, 95,000 projects: 180 ms by status
    # against 47 ms; by theme 470 against 180).
    distinct = joins_many_rows(queryset.query) or group_repeats_records(queryset.model, group)
    return grouped_counts(queryset, {"value": group}, distinct=distinct)["value"]


def joins_many_rows(query):
    """Whether `query` joins a relation that can give a record more than one row (a reverse
    foreign key or a many-to-many), not only foreign keys to one row each."""
    return any(
        isinstance(join, Join) and (join.join_field.one_to_many or join.join_field.many_to_many)
        for join in query.alias_map.values()
    )


def group_repeats_records(model, group):
    """Whether grouping `model`'s records by `group` can join a record to one value more than
    once. Not for a field of the record or of a record its foreign keys name, nor for a
    unique field of a many-to-many's records (the link table holds each pair once)."""
    while not isinstance(group, F):  # a function of one value (a date's year) as the value
        sources = group.get_source_expressions()
        if len(sources) != 1:
            return True  # not followed here: counted distinct to be safe
        group = sources[0]
    *path, last = group.name.split("__")
    for name in path:
        field = model._meta.get_field(name)
        if field.many_to_many and name == path[-1]:
            target = field.related_model._meta
            return not (last == "pk" or target.get_field(last).unique)
        if not (field.many_to_one or field.one_to_one) or field.auto_created:
            return True  # a reverse relation
        model = field.related_model
    return False


def with_count(label, count):
    return f"{label} ({count})"


def count_facets(filterset, faceted_names):
    """{name: {value: count}} for each filter of `faceted_names` that has choices to count:
    how many of the filterset's records each value gives with the other filters as they are.
    The filterset must be valid."""
    faceted = {name: facet_group(filterset.filters[name]) for name in faceted_names}
    faceted = {name: group for name, group in faceted.items() if group is not None}
    # The filters that are not counted are applied once (a search costs a query of its own
    # each time it is applied), the counted ones on top for each other's counts.
    others = [
        name
        for name, filter_ in filterset.filters.items()
        if name not in faceted and not isinstance(filter_, django_filters.OrderingFilter)
    ]
    base = apply_filters(filterset, filterset.queryset, others)
    together = counted_together(filterset, faceted)
    counts = {}
    if len(together) > 1:
        # A filter not chosen filters nothing: these are all counted under every filter.
        every_filter = apply_filters(filterset, base, faceted)
        counts = combined_facet_counts(every_filter, {name: faceted[name] for name in together})
    return {
        name: counts[name]
        if name in counts
        else facet_counts(
            apply_filters(filterset, base, [other for other in faceted if other != name]), group
        )
        for name, group in faceted.items()
    }


def counted_together(filterset, faceted):
    """The names of `faceted` ({name: group}) whose counts one query grouped by all of them
    gives: filters not chosen, each choosing one of a short list of values of the record (or
    of a record its foreign keys name), so a record has one value of each."""
    model = filterset.queryset.model
    return [
        name
        for name, group in faceted.items()
        if filterset.form.cleaned_data.get(name) in EMPTY_VALUES
        and isinstance(filterset.filters[name], django_filters.ChoiceFilter)
        and not isinstance(filterset.filters[name], django_filters.ModelChoiceFilter)
        and not group_repeats_records(model, group)
    ]


def combined_facet_counts(queryset, groups):
    """{name: {value: count}} of `queryset` by each of `groups` ({name: expression}), from one
    query grouped by all of them at once (hundreds of rows of value combinations). Every
    record must have one value of each group, so it counts in one combination only.

    (PostgreSQL, 140,000 financing rows joined to their projects and lenders: one grouped
    query per filter took 150-160 ms, 610 ms for the four; one for the four takes 170 ms.)"""
    return grouped_counts(queryset, groups, distinct=joins_many_rows(queryset.query))


def grouped_counts(queryset, groups, *, distinct):
    """{name: {value: count}} of `queryset` by each of `groups` ({name: expression}), from one
    query grouped by all of them, each value's count the sum of its combinations'; worked out
    once per version of the tables it reads."""
    aliases = {name: f"facet_{index}" for index, name in enumerate(groups)}
    rows = (
        queryset.order_by()
        .values(**{aliases[name]: group for name, group in groups.items()})
        .annotate(count=Count("pk", distinct=distinct))
        .values_list(*aliases.values(), "count")
    )

    def summed():
        # By position, not by name: the stored value is keyed on the SQL, which does not
        # hold the groups' names.
        if len(groups) == 1:
            # A value a row: nothing to sum (a financing list's projects: 95,000 of them).
            return [{str(value): count for value, count in rows if value is not None}]
        counts = [Counter() for _ in groups]
        for *values, count in rows:
            for counted, value in zip(counts, values, strict=True):
                if value is not None:
                    counted[str(value)] += count
        return [dict(counted) for counted in counts]

    try:
        # The sums are kept, not the combinations: summing 955 of them (95,000 projects) on
        # every request cost more than the rest of the count cache's work. (A kind of its
        # own: a shared Redis may still hold the sums by name that the release before kept.)
        sums = stored_per_table_version(rows, summed, kind="facet-sums-in-order")
    except EmptyResultSet:
        sums = [{} for _ in groups]
    return dict(zip(groups, sums, strict=True))


def narrow_to_facets(filterset, faceted_names, empty_label):
    """Offer in the form's fields of `faceted_names` only the values that occur among the
    filterset's records given its other filters, each with its count. The filterset must be
    valid."""
    form = filterset.form
    for name, counts in count_facets(filterset, faceted_names).items():
        field = form.fields[name]
        selected = form.data.get(name) or ""
        if isinstance(field, forms.ModelChoiceField):
            offer_records(field, counts, selected)
        elif isinstance(field, forms.ChoiceField):
            field.choices = [
                (value, with_count(label, counts.get(str(value), 0)))
                for value, label in field.choices
                if value != "" and (str(value) in counts or value == selected)
            ]
        else:
            offer_years(field, counts, selected, form.cleaned_data[name], empty_label)


def listed_facets(filterset, *, limit):
    """The API's `facets`: for each filter with choices, the values that occur among the
    filterset's records given its other filters, each with its label in the active language
    and its count, the most frequent first (at most `limit`; `truncated` says when there are
    more). The filterset must be valid."""
    form = filterset.form
    facets = {}
    for name, counts in count_facets(filterset, filterset.filters).items():
        field = form.fields[name]
        # The first `limit` without sorting them all (a financing list's 95,000 projects).
        values = heapq.nsmallest(limit, counts, key=lambda value: (-counts[value], value))
        if isinstance(field, forms.ModelChoiceField):
            labels = record_labels(field, values)
            # A record that is not public (a draft lender) is no choice to offer.
            values = [value for value in values if value in labels]
        elif isinstance(field, forms.ChoiceField):
            labels = {str(value): str(label) for value, label in field.choices}
        else:
            labels = {value: value for value in values}
        facets[name] = {
            "choices": [
                {"value": value, "label": labels.get(value, value), "count": counts[value]}
                for value in values
            ],
            "truncated": len(counts) > limit,
        }
    return facets


def record_labels(field, values):
    """{value: the record's name in the active language} of the records of a record filter's
    field with those values, kept per version of their table and per language."""
    to_field = field.to_field_name or "pk"
    records = field.queryset.filter(**{f"{to_field}__in": values})
    if not values:
        return {}

    def read():
        return {str(getattr(record, to_field)): local_name_text(record) for record in records}

    return stored_per_table_version(records, read, kind=f"facet-labels-{get_language()}")


def offer_records(field, counts, selected):
    """A record filter (`?theme=<slug>`) offers the published records that occur, in their
    order; the field still accepts any published record's slug."""
    to_field = field.to_field_name or "pk"
    values = [*counts, selected] if selected else [*counts]
    records = field.queryset.filter(**{f"{to_field}__in": values}) if values else []
    choices = [("", field.empty_label)]
    for record in records:
        value = str(getattr(record, to_field))
        label = field.label_from_instance(record)
        choices.append((value, with_count(label, counts.get(value, 0))))
    field.widget.choices = choices


def offer_years(field, counts, selected, chosen, empty_label):
    """A year filter, typed as a number for the API, is a choice of the years that occur, the
    latest first; the field still reads any year."""
    years = sorted(counts, key=int, reverse=True)
    choices = [(year, with_count(year, counts[year])) for year in years]
    if selected and selected not in counts:
        choices.append((selected, with_count(selected, counts.get(str(int(chosen)), 0))))
    field.widget = forms.Select(choices=[("", empty_label), *choices])
