"""The FilterSet for projects, shared by the list page and the API."""

import django_filters

from cpec_tracker.records.filters import ORDERING_HELP, RecordFilterSet, published_record_filter
from cpec_tracker.records.models import Theme

from .models import Project, ProjectKind, ProjectStatus, Province, Sector


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
