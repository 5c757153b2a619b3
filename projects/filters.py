"""The FilterSet for projects, shared by the list page and the API."""

import django_filters

from cpec_tracker.records.filters import RecordFilterSet, published_record_filter
from cpec_tracker.records.models import Theme

from .models import Project, ProjectKind, ProjectStatus, Province, Sector


class ProjectFilterSet(RecordFilterSet):
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    province = django_filters.ChoiceFilter(choices=Province.choices)
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices)
    theme = published_record_filter(Theme, field_name="themes", distinct=True)
    parent = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Project.objects.published().filter(kind=ProjectKind.PROGRAMME),
        label="Programme",
    )
    ordering = django_filters.OrderingFilter(fields=["title", "status", "updated_at"])

    class Meta:
        model = Project
        fields = ["q", "sector", "status", "province", "kind", "theme", "parent"]
