"""API v1 collection of projects and programmes."""

from django.db.models import Prefetch
from django.utils.translation import gettext

from cpec_tracker.api.rest import PublishedViewSet
from cpec_tracker.records.models import Theme

from . import selectors, serializers
from .filters import FinancingFilterSet, ProjectFilterSet
from .geojson import ProjectFeatures
from .models import Financing, Project


class ProjectViewSet(PublishedViewSet):
    """CPEC programmes, projects and facilities; a detail has key figures, timeline and who is
    involved."""

    model = Project
    filterset_class = ProjectFilterSet
    serializer_class = serializers.ProjectSerializer
    detail_serializer_class = serializers.ProjectDetailSerializer
    detail_read = staticmethod(selectors.project_detail)
    example_slug = "chashma-nuclear-power-plant-unit-5"
    features = ProjectFeatures

    def list_related(self, queryset):
        return (
            selectors.with_status_since(queryset)
            .select_related("parent")
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.published()))
        )


class FinancingViewSet(PublishedViewSet):
    """Financing of CPEC projects, one commitment a row: lender, instrument, amount and
    currency, the amount in US dollars where stated or converted at a cited rate, dates and
    terms (null where not known). A row is addressed by its id."""

    model = Financing
    filterset_class = FinancingFilterSet
    serializer_class = serializers.FinancingSerializer
    detail_serializer_class = serializers.FinancingDetailSerializer
    detail_read = staticmethod(selectors.financing_detail)
    lookup_field = "pk"
    lookup_value_regex = "[0-9]{1,18}"

    def list_related(self, queryset):
        return queryset.select_related("project", *selectors.FINANCING_PARTIES)

    def not_found_message(self):
        return gettext("No published financing has the id “{id}”.").format(id=self.kwargs["pk"])
