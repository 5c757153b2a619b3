"""Public pages for projects."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from cpec_tracker.web.views import FilteredListView, FootnotesMixin

from . import selectors, structured_data
from .filters import FinancingFilterSet, ProjectFilterSet
from .models import Financing, FinancingTotals, Project


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilterSet
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


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
