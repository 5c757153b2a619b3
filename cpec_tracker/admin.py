"""Admin pages for sources, citations, organizations and themes; the shared admin bases."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .admin_history import (
    ChangeForm,
    HistoryAdmin,
    VersionCheckedGenericInlineFormSet,
    VersionCheckedInline,
)
from .duplicates import similar_records
from .models import Citation, Organization, Source, Theme
from .roles import publish_codename
from .services import records_publish, records_unpublish

admin.site.site_header = "CPEC Tracker editors"
admin.site.site_title = "CPEC Tracker admin"
admin.site.index_title = "Records"


class CitationFormSet(VersionCheckedGenericInlineFormSet):
    """A record's citations; a published record cannot be left without one."""

    def clean(self):
        super().clean()
        if not self.deleted_forms or not getattr(self.instance, "is_published", False):
            return
        kept = [
            form
            for form in self.forms
            if form not in self.deleted_forms and (form.instance.pk or form.has_changed())
        ]
        if not kept:
            raise ValidationError(
                "A published record keeps at least one citation. Add another citation "
                "before removing this one, or ask a chief editor to unpublish the record."
            )


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


class DuplicateCheckedForm(ChangeForm):
    """The form of a record known by names (`Aliased`): creating it, or renaming it, to a name
    close to another record's name or alias is refused once with "Did you mean …?" and a link
    to that record; ticking "Save anyway" saves it as a new, different record."""

    # Hidden until a close name is found, so it costs nothing on an ordinary save.
    confirm_new_name = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label="Save anyway",
        help_text="Tick if this is a different record from the one(s) named above.",
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("confirm_new_name"):
            return cleaned_data
        model = self._meta.model
        for field in model.name_fields:
            if field not in self.fields or field in self.errors:
                continue
            if self.instance.pk is not None and field not in self.changed_data:
                continue
            similar = similar_records(model, cleaned_data.get(field), exclude_pk=self.instance.pk)
            if similar:
                self.fields["confirm_new_name"].widget = forms.CheckboxInput()
                self.add_error(field, self.did_you_mean(model, similar))
        return cleaned_data

    @staticmethod
    def did_you_mean(model, similar):
        opts = model._meta
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>{}',
            (
                (
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.record.pk]
                    ),
                    str(item.record),
                    format_html(" (as “{}”)", item.name)
                    if item.name in item.record.alias_list
                    else "",
                )
                for item in similar
            ),
        )
        return ValidationError(
            format_html(
                "Did you mean {}? If this is a different {}, tick “Save anyway” and save again.",
                links,
                opts.verbose_name,
            ),
            code="did_you_mean",
        )


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


@admin.register(Organization)
class OrganizationAdmin(RecordAdmin):
    form = DuplicateCheckedForm
    list_display = ["name", "short_name", "kind", "country", "parent", "publication_status"]
    list_filter = ["publication_status", "kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "aliases", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(RecordAdmin):
    list_display = ["name", "kind", "publication_status"]
    list_filter = ["publication_status", "kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
