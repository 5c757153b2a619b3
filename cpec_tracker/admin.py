"""Admin pages for sources, citations, organizations and themes; the shared admin bases."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models

from .models import Citation, Organization, Source, Theme

admin.site.site_header = "CPEC Tracker editors"
admin.site.site_title = "CPEC Tracker admin"
admin.site.index_title = "Records"


class CitationInline(GenericTabularInline):
    """The evidence for a record, edited on the record's own page."""

    model = Citation
    fields = ["source", "field", "quote", "note"]
    autocomplete_fields = ["source"]
    extra = 0


class CitableAdmin(admin.ModelAdmin):
    """A child row (an appointment, an outcome…) edited with its own citations."""

    inlines = [CitationInline]


class RecordAdmin(admin.ModelAdmin):
    """A public record: citations inline, publication status filterable, editors stamped."""

    inlines = [CitationInline]
    list_filter = ["publication_status"]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ["title", "publisher", "published_on", "kind", "publication_status"]
    list_filter = ["publication_status", "kind", "publisher", "language"]
    search_fields = ["title", "publisher", "slug"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    # Addresses typed without a scheme are taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["quote", "field", "source", "content_type", "object_id"]
    list_filter = ["content_type", "source"]
    list_select_related = ["source", "content_type"]
    search_fields = ["quote", "field", "note", "source__title"]
    autocomplete_fields = ["source"]


@admin.register(Organization)
class OrganizationAdmin(RecordAdmin):
    list_display = ["name", "short_name", "kind", "country", "parent", "publication_status"]
    list_filter = ["publication_status", "kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(RecordAdmin):
    list_display = ["name", "kind", "publication_status"]
    list_filter = ["publication_status", "kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
