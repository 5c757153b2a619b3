"""Public pages for projects."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from cpec_tracker.web.views import FilteredListView, FootnotesMixin

from . import selectors, structured_data
from .filters import FinancingFilterSet, ProjectFilterSet
from .models import Financing, FinancingTotals, Location, Project, ProjectStatus


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilterSet
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class ProjectMapView(ProjectListView):
    """/map/: the projects with a place, on a map by status, filtered as the project list is.

    The page is the list of the projects (a page of them) with their places, readable and
    usable by keyboard without JavaScript; map.js draws the same places on the vendored
    outlines from the page's own data (a json_script element), so the map is one cached
    answer and its first load does not grow with the database.
    """

    template_name = "projects/project_map.html"
    paginate_by = 100

    def get_queryset(self):
        places = Location.objects.published(reached_from="project")
        return (
            super()
            .get_queryset()
            .filter(Exists(places.filter(project=OuterRef("pk"))))
            .prefetch_related(Prefetch("locations", queryset=places))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "map_features": map_features(context["object_list"]),
            "map_tile_url": settings.CPEC_MAP_TILE_URL,
            "map_tile_attribution": settings.CPEC_MAP_TILE_ATTRIBUTION,
            "statuses": ProjectStatus,
        }


def map_features(projects):
    """The places of `projects` as GeoJSON features for map.js: each names the list item it
    shows (its project's title and page are there, not repeated) and its project's status."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": location.geojson_geometry,
                "properties": {
                    "project": f"project-{project.slug}",
                    "place": f"place-{location.pk}",
                    "status": project.status,
                },
            }
            for project in projects
            for location in project.locations.all()
        ],
    }


class ProjectDetailView(FootnotesMixin, DetailView):
    model = Project

    def get_queryset(self):
        return selectors.project_detail()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structured_data=structured_data.project_thing(self.request, self.object),
            financing_totals=FinancingTotals.of_rows(self.object.financing.all()),
            **kwargs,
        )


class FinancingListView(FilteredListView):
    model = Financing
    filterset_class = FinancingFilterSet
    paginate_by = 50
    filters_typed_as_slugs = FilteredListView.filters_typed_as_slugs | {"lender", "project"}
    labels = {
        **FilteredListView.labels,
        "lender": _("Lender"),
        "instrument": _("Instrument"),
        "currency": _("Currency"),
        "project": _("Project"),
    }
    ordering_labels = {
        **FilteredListView.ordering_labels,
        "commitment_date": _("Committed on"),
        "amount": _("Amount"),
    }

    def get_queryset(self):
        return selectors.financing_list()

    def get_context_data(self, **kwargs):
        # The totals of every row the filters select, not only this page's.
        return super().get_context_data(
            totals=FinancingTotals.of_queryset(self.object_list), **kwargs
        )


class FinancingDetailView(FootnotesMixin, DetailView):
    """One commitment, by its id (the `slug` of its address is the id)."""

    model = Financing

    def get_object(self, queryset=None):
        # The address takes any slug; only digits can be a row's id (no 500 on "abc").
        if not self.kwargs["slug"].isdigit() or len(self.kwargs["slug"]) > 18:
            raise Http404(_("No such financing."))
        self.kwargs["pk"] = self.kwargs.pop("slug")
        return super().get_object(queryset)

    def get_queryset(self):
        return selectors.financing_detail()
