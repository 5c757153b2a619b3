"""The FilterSet for projects, shared by the list page and the API."""

import django_filters
from django.db.models import Q

from cpec_tracker.records.filters import ORDERING_HELP, RecordFilterSet, published_record_filter
from cpec_tracker.records.models import Organization, Theme

from .models import (
    Financing,
    FinancingStatus,
    Instrument,
    Project,
    ProjectKind,
    ProjectStatus,
    Province,
    Sector,
    currency_choices,
)


class ProjectFilterSet(RecordFilterSet):
    sector = django_filters.ChoiceFilter(
        choices=Sector.choices, help_text="Projects in this sector."
    )
    status = django_filters.ChoiceFilter(
        choices=ProjectStatus.choices,
        help_text="Projects that stand here now, as the latest source says.",
    )
    province = django_filters.ChoiceFilter(
        choices=Province.choices, help_text="Projects in this province of Pakistan."
    )
    kind = django_filters.ChoiceFilter(
        choices=ProjectKind.choices, help_text="Programmes, projects or facilities."
    )
    theme = published_record_filter(
        Theme,
        field_name="themes",
        distinct=True,
        help_text="Projects that belong to this theme, by its slug: `clean-energy`.",
    )
    parent = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Project.objects.published().filter(kind=ProjectKind.PROGRAMME),
        label="Programme",
        help_text="The direct parts of this programme, by its slug: `cpec-2-0`.",
    )
    ordering = django_filters.OrderingFilter(
        fields=["title", "status", "updated_at"], help_text=ORDERING_HELP
    )

    class Meta:
        model = Project
        fields = ["q", "sector", "status", "province", "kind", "theme", "parent"]


class FinancingFilterSet(django_filters.FilterSet):
    """Financing of published projects by published lenders (`Financing.objects.published()`)."""

    lender = published_record_filter(
        Organization,
        help_text="Commitments by this lender, by its slug: `china-development-bank`.",
    )
    instrument = django_filters.ChoiceFilter(
        choices=Instrument.choices, help_text="Commitments of this kind: loans, credits, grants."
    )
    currency = django_filters.ChoiceFilter(
        choices=currency_choices(),
        help_text="Commitments in this currency, by its ISO 4217 code: `USD`, `CNY`, `PKR`.",
    )
    # Beyond 9999 a year cannot be turned into dates to compare with: refused, not a 500.
    year = django_filters.NumberFilter(
        method="in_year",
        min_value=1900,
        max_value=9999,
        step_size=1,
        help_text="Commitments made in this year (or pledged, where no commitment date is "
        "known; or disbursed, where neither is): `2025`.",
    )
    status = django_filters.ChoiceFilter(
        choices=FinancingStatus.choices, help_text="Commitments that stand here now."
    )
    project = published_record_filter(
        Project, help_text="The financing of this project, by its slug."
    )
    sector = django_filters.ChoiceFilter(
        field_name="project__sector",
        choices=Sector.choices,
        help_text="The financing of projects in this sector.",
    )
    ordering = django_filters.OrderingFilter(
        fields=["commitment_date", "amount", "updated_at"], help_text=ORDERING_HELP
    )

    class Meta:
        model = Financing
        fields = ["lender", "instrument", "currency", "year", "status", "project", "sector"]

    def in_year(self, queryset, name, value):
        """The first known of a row's dates (`Financing.year_dates`) in the year `value`."""
        year = int(value)
        condition, earlier_unknown = Q(), Q()
        for date_name in Financing.year_dates:
            condition |= earlier_unknown & Q(**{f"{date_name}__year": year})
            earlier_unknown &= Q(**{f"{date_name}__isnull": True})
        return queryset.filter(condition)
