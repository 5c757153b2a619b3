"""FilterSets for meetings and officials, shared by the list pages and the API."""

import datetime

import django_filters
from django.db.models import Exists, OuterRef

from cpec_tracker.records.filters import (
    COUNTRY_CHOICES,
    ORDERING_HELP,
    RecordFilterSet,
    published_record_filter,
)
from cpec_tracker.records.models import Organization, Theme

from .models import Appointment, Meeting, MeetingKind, MeetingStatus, Official


class MeetingFilterSet(RecordFilterSet):
    # Beyond 9999 a year cannot be turned into dates to compare with: refused, not a 500.
    year = django_filters.NumberFilter(
        field_name="date",
        lookup_expr="year",
        min_value=1900,
        max_value=9999,
        step_size=1,
        help_text="Meetings held (or to be held) in this year: `2025`.",
    )
    series = published_record_filter(
        Organization,
        field_name="body",
        label="Series",
        help_text="The sessions of this working group or committee, by its slug: `jwg-icc`.",
    )
    country = django_filters.ChoiceFilter(
        choices=COUNTRY_CHOICES,
        help_text="Meetings held in this country (ISO 3166 code, e.g. `CN`).",
    )
    official = published_record_filter(
        Official,
        field_name="participations__official",
        distinct=True,
        help_text="Meetings this official took part in, by the official's slug: `amna-baloch`.",
    )
    theme = published_record_filter(
        Theme,
        field_name="themes",
        distinct=True,
        help_text="Meetings that took up this theme, by its slug: `clean-energy`.",
    )
    kind = django_filters.ChoiceFilter(
        choices=MeetingKind.choices, help_text="Meetings of this kind."
    )
    status = django_filters.ChoiceFilter(
        choices=MeetingStatus.choices, help_text="Meetings held, scheduled or cancelled."
    )
    ordering = django_filters.OrderingFilter(fields=["date", "title"], help_text=ORDERING_HELP)

    class Meta:
        model = Meeting
        fields = ["q", "year", "series", "country", "official", "theme", "kind", "status"]


class OfficialFilterSet(RecordFilterSet):
    country = django_filters.ChoiceFilter(
        choices=COUNTRY_CHOICES,
        help_text="Officials who serve this country (ISO 3166 code, e.g. `PK`).",
    )
    organization = published_record_filter(
        Organization,
        field_name="appointments__organization",
        distinct=True,
        help_text="Officials who hold or held an office in this organization, by its slug.",
    )
    current = django_filters.BooleanFilter(
        method="filter_current",
        label="Holds an office today",
        help_text=(
            "`true`: officials who hold an office today (started, if its start is known, and "
            "not ended); `false`: the others."
        ),
    )
    ordering = django_filters.OrderingFilter(fields=["name"], help_text=ORDERING_HELP)

    class Meta:
        model = Official
        fields = ["q", "country", "organization", "current"]

    def filter_current(self, queryset, name, value):
        holds_office = Exists(
            Appointment.objects.current(datetime.date.today()).filter(official=OuterRef("pk"))
        )
        return queryset.filter(holds_office if value else ~holds_office)
