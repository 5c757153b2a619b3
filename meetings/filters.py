"""FilterSets for meetings and officials, shared by the list pages and the API."""

import datetime

import django_filters
from django.db.models import Exists, OuterRef

from cpec_tracker.records.filters import COUNTRY_CHOICES, RecordFilterSet, published_record_filter
from cpec_tracker.records.models import Organization, Theme

from .models import Appointment, Meeting, MeetingKind, MeetingStatus, Official


class MeetingFilterSet(RecordFilterSet):
    # Beyond 9999 a year cannot be turned into dates to compare with: refused, not a 500.
    year = django_filters.NumberFilter(
        field_name="date", lookup_expr="year", min_value=1900, max_value=9999, step_size=1
    )
    series = published_record_filter(Organization, field_name="body", label="Series")
    country = django_filters.ChoiceFilter(choices=COUNTRY_CHOICES)
    official = published_record_filter(
        Official, field_name="participations__official", distinct=True
    )
    theme = published_record_filter(Theme, field_name="themes", distinct=True)
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    ordering = django_filters.OrderingFilter(fields=["date", "title"])

    class Meta:
        model = Meeting
        fields = ["q", "year", "series", "country", "official", "theme", "kind", "status"]


class OfficialFilterSet(RecordFilterSet):
    country = django_filters.ChoiceFilter(choices=COUNTRY_CHOICES)
    organization = published_record_filter(
        Organization, field_name="appointments__organization", distinct=True
    )
    current = django_filters.BooleanFilter(method="filter_current", label="Holds an office today")
    ordering = django_filters.OrderingFilter(fields=["name"])

    class Meta:
        model = Official
        fields = ["q", "country", "organization", "current"]

    def filter_current(self, queryset, name, value):
        holds_office = Exists(
            Appointment.objects.current(datetime.date.today()).filter(official=OuterRef("pk"))
        )
        return queryset.filter(holds_office if value else ~holds_office)
