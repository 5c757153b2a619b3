"""Admin pages for sources, citations, organizations and themes; the shared admin bases."""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.db import models

from .admin_history import HistoryAdmin, VersionCheckedGenericInlineFormSet, VersionCheckedInline
from .models import (
    Citation,
    Organization,
    Source,
    Theme,
    last_citation_message,
    published_records_left_uncited,
)
from .roles import publish_codename
from .services import records_publish, records_unpublish

admin.site.site_header = "CPEC Tracker editors"
admin.site.site_title = "CPEC Tracker admin"
admin.site.index_title = "Records"


class CitationFormSet(VersionCheckedGenericInlineFormSet):
    """A record's citations; a published record cannot be left without one."""

    def clean(self):
        super().clean()
        removed = [form.instance for form in self.deleted_forms if form.instance.pk]
        added = any(
            form not in self.deleted_forms and form.instance.pk is None and form.has_changed()
            for form in self.forms
        )
        if removed and not added:
            left_uncited = published_records_left_uncited(removed)
            if left_uncited:
                raise ValidationError(last_citation_message(left_uncited[0]))


class CitationInline(VersionCheckedInline, GenericTabularInline):
    """The evidence for a record, edited on the record's own page."""

    model = Citation
    formset = CitationFormSet
    fields = ["source", "field", "quote", "note"]
    autocomplete_fields = ["source"]
    extra = 0


class CitableAdmin(HistoryAdmin):
    """A child row (an appointment, an outcome…) edited with its own citations."""

    inlines = [CitationInline]


class RecordAdmin(HistoryAdmin):
    """A public record: citations inline, publication status filterable, editors stamped.

    Records start as drafts. Only chief editors publish and unpublish them, with the list
    page's actions, and a record without a citation is not published.
    """

    inlines = [CitationInline]
    list_filter = ["publication_status"]
    readonly_fields = [
        "publication_status",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "version",
    ]
    list_per_page = 50
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def has_publish_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.{publish_codename(self.model)}")

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish(self, request, queryset):
        result = records_publish(records=queryset, user=request.user)
        self.report_publication(request, result, "Published")

    @admin.action(
        description="Unpublish selected %(verbose_name_plural)s (back to draft)",
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        result = records_unpublish(records=queryset, user=request.user)
        self.report_publication(request, result, "Unpublished")

    def report_publication(self, request, result, done):
        opts = self.model._meta
        if result.changed:
            names = opts.verbose_name if len(result.changed) == 1 else opts.verbose_name_plural
            self.message_user(request, f"{done} {len(result.changed)} {names}.", messages.SUCCESS)
        for record, reason in result.refused:
            self.message_user(request, f"“{record}” was not published: {reason}", messages.ERROR)
        if not result.changed and not result.refused:
            self.message_user(request, "Nothing to change: they already were.", messages.INFO)


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
class CitationAdmin(HistoryAdmin):
    list_display = ["quote", "field", "source", "content_type", "object_id"]
    list_filter = ["content_type", "source"]
    list_select_related = ["source", "content_type"]
    search_fields = ["quote", "field", "note", "source__title"]
    autocomplete_fields = ["source"]

    def get_deleted_objects(self, objs, request):
        """Listed as protected, and so not deleted (one citation or a selection), the last
        citations of published records, with what to do instead."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for record in published_records_left_uncited(list(objs)):
            protected.append(last_citation_message(record))
        return deleted, counts, perms_needed, protected


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
