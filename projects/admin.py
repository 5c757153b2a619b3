"""Admin pages for projects, their key figures, milestones and the organizations involved."""

from django.contrib import admin

from cpec_tracker.editing.versions import VersionCheckedInline
from cpec_tracker.records.admin import (
    CitableAdmin,
    CitationInline,
    DuplicateCheckedForm,
    RecordAdmin,
)

from .models import Financing, KeyFigure, Milestone, Project, ProjectRole


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
        CitationInline,
    ]


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
