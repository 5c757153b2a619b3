"""Admin pages for projects, their key figures, milestones and the organizations involved."""

import re
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cpec_tracker.editing.versions import VersionCheckedForm, VersionCheckedInline
from cpec_tracker.records.admin import (
    CitableAdmin,
    CitationInline,
    DuplicateCheckedForm,
    RecordAdmin,
)
from cpec_tracker.records.places import gazetteer_suggestions

from .models import (
    Financing,
    KeyFigure,
    Location,
    LocationPrecision,
    Milestone,
    Project,
    ProjectRole,
)


class KeyFigureInline(VersionCheckedInline, admin.TabularInline):
    model = KeyFigure
    fields = ["kind", "value", "unit", "as_of", "as_of_precision", "note"]
    extra = 0


class MilestoneInline(VersionCheckedInline, admin.TabularInline):
    model = Milestone
    fields = ["date", "date_precision", "kind", "description", "status_after"]
    extra = 0


class ProjectRoleInline(VersionCheckedInline, admin.TabularInline):
    model = ProjectRole
    fields = ["organization", "role", "note"]
    autocomplete_fields = ["organization"]
    extra = 0


# The fields of a commitment, in the order an editor reads them off a source.
FINANCING_FIELDS = [
    "lender",
    "borrower",
    "guarantor",
    "instrument",
    "status",
    "amount",
    "currency",
    "amount_usd",
    "usd_basis",
    "usd_rate",
    "pledge_date",
    "pledge_date_precision",
    "commitment_date",
    "commitment_date_precision",
    "disbursement_date",
    "disbursement_date_precision",
    "interest_rate",
    "maturity_years",
    "grace_period_years",
    "fees",
    "collateral",
    "note",
]


class FinancingInline(VersionCheckedInline, admin.StackedInline):
    model = Financing
    fields = FINANCING_FIELDS
    autocomplete_fields = ["lender", "borrower", "guarantor"]
    extra = 0


# The fields of a place, in the order an editor fills them: what the source names, then
# where it is (a suggestion from the gazetteer, or a point or a geometry typed by hand).
LOCATION_FIELDS = [
    "place_name",
    "precision",
    "country",
    "suggestion",
    "longitude",
    "latitude",
    "geometry",
    "note",
]

# Where a project's location text splits into the places it names ("Gwadar, Balochistan").
PLACE_SEPARATORS = re.compile(r"[,;/()]| and | to |–|—")


def places_named(project):
    """The place names a project's text gives: its location's parts, its province, and the
    names its locations already have."""
    names = [part.strip() for part in PLACE_SEPARATORS.split(project.location or "")]
    if project.province:
        names.append(str(project.get_province_display()))
    names += [location.place_name for location in project.locations.all()]
    return list(dict.fromkeys(name for name in names if name))


def gazetteer_candidates(project):
    """The gazetteer's candidates for the places a project's text names, by GeoNames id."""
    if project is None or project.pk is None:
        return {}
    return {
        str(found.geonames_id): found
        for name in places_named(project)
        for found in gazetteer_suggestions(name)
    }


# The required fields a chosen suggestion may fill.
SUGGESTED_FIELDS = ("place_name", "precision", "country")


class LocationForm(VersionCheckedForm):
    """A place, typed by hand or taken from one of the gazetteer's suggestions for the places
    the project's text names: the editor chooses it, nothing is filled in unasked."""

    suggestion = forms.ChoiceField(
        label=_("Suggest from gazetteer"),
        required=False,
        help_text=_(
            "GeoNames' cities for the places this project's location and province name (save "
            "the project's location first). Choosing one sets the point, the precision “City "
            "or district” and the place name where empty; a place it does not know is entered "
            "by hand with its precision."
        ),
    )
    # {GeoNames id: Suggestion}, set per project by `LocationInline.get_formset`.
    suggestions = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestion"].choices = [
            ("", "—"),
            *((key, self.suggestion_label(found)) for key, found in self.suggestions.items()),
        ]
        # Chosen or typed, the fields a suggestion fills are checked after it has filled them.
        for name in SUGGESTED_FIELDS:
            self.fields[name].required = False

    @staticmethod
    def suggestion_label(found):
        return gettext("{place} — {precision}").format(
            place=found.label, precision=LocationPrecision(found.precision).label
        )

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("suggestion")
        if chosen:
            found = self.suggestions[chosen]
            cleaned["longitude"] = Decimal(f"{found.longitude:.6f}")
            cleaned["latitude"] = Decimal(f"{found.latitude:.6f}")
            cleaned["geometry"] = None
            cleaned["country"] = found.country
            cleaned["place_name"] = cleaned.get("place_name") or found.name
            cleaned["precision"] = cleaned.get("precision") or found.precision
            self.instance.geonames_id = found.geonames_id
        elif self.changed_data and {"longitude", "latitude", "geometry"} & set(self.changed_data):
            # Typed by hand: no longer the gazetteer's place.
            self.instance.geonames_id = None
        for name in SUGGESTED_FIELDS:
            if not cleaned.get(name):
                self.add_error(name, forms.Field.default_error_messages["required"])
        return cleaned


class LocationInline(VersionCheckedInline, admin.StackedInline):
    model = Location
    form = LocationForm
    fields = LOCATION_FIELDS
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        suggestions = gazetteer_candidates(obj)
        kwargs["form"] = type(
            "LocationSuggestedForm", (LocationForm,), {"suggestions": suggestions}
        )
        return super().get_formset(request, obj, **kwargs)


@admin.register(Project)
class ProjectAdmin(RecordAdmin):
    form = DuplicateCheckedForm
    list_display = ["title", "kind", "sector", "status", "province", "parent", "publication_status"]
    list_filter = ["publication_status", "status", "kind", "sector", "province"]
    list_select_related = ["parent"]
    search_fields = [
        "title",
        "title_ur",
        "title_zh_hans",
        "aliases",
        "slug",
        "subsector",
        "location",
        "summary",
    ]
    autocomplete_fields = ["parent", "themes", "meetings"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [
        KeyFigureInline,
        MilestoneInline,
        ProjectRoleInline,
        FinancingInline,
        LocationInline,
        CitationInline,
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Outside its country is a warning, not an error: a project may reach across a border.
        for formset in formsets:
            if formset.model is not Location:
                continue
            for location_form in formset.forms:
                if not location_form.has_changed() or location_form in formset.deleted_forms:
                    continue
                warning = location_form.instance.country_warning
                if warning:
                    messages.warning(request, warning)


@admin.register(KeyFigure)
class KeyFigureAdmin(CitableAdmin):
    list_display = ["project", "kind", "value", "unit", "as_of"]
    list_filter = ["kind"]
    list_select_related = ["project"]
    search_fields = ["project__title", "unit", "note"]
    autocomplete_fields = ["project"]


@admin.register(Milestone)
class MilestoneAdmin(CitableAdmin):
    list_display = ["project", "kind", "date", "date_precision", "status_after"]
    list_filter = ["kind", "status_after"]
    list_select_related = ["project"]
    search_fields = ["project__title", "description"]
    autocomplete_fields = ["project"]


@admin.register(ProjectRole)
class ProjectRoleAdmin(CitableAdmin):
    list_display = ["project", "organization", "role"]
    list_filter = ["role"]
    list_select_related = ["project", "organization"]
    search_fields = ["project__title", "organization__name"]
    autocomplete_fields = ["project", "organization"]


@admin.register(Financing)
class FinancingAdmin(CitableAdmin):
    list_display = ["project", "lender", "instrument", "amount", "currency", "status"]
    list_filter = ["instrument", "status", "currency"]
    list_select_related = ["project", "lender"]
    search_fields = ["project__title", "lender__name", "currency", "note"]
    autocomplete_fields = ["project", "lender", "borrower", "guarantor"]
    fields = ["project", *FINANCING_FIELDS]


@admin.register(Location)
class LocationAdmin(CitableAdmin):
    list_display = ["project", "place_name", "precision", "country", "longitude", "latitude"]
    list_filter = ["precision", "country"]
    list_select_related = ["project"]
    search_fields = ["project__title", "place_name", "note"]
    autocomplete_fields = ["project"]
    fields = [
        "project",
        "place_name",
        "precision",
        "country",
        "longitude",
        "latitude",
        "geometry",
        "geonames_id",
        "note",
    ]
