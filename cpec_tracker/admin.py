"""Admin pages for sources, citations, organizations and themes; the shared admin bases."""

import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from .admin_history import (
    ChangeForm,
    HistoryAdmin,
    VersionCheckedGenericInlineFormSet,
    VersionCheckedInline,
)
from .intake import (
    IntakeRefused,
    draft_from_html,
    draft_from_text,
    draft_from_url,
    unique_slug,
)
from .intake import duplicate_refusal as intake_duplicate_refusal
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


def refusal_html(refusal):
    """An intake refusal as form error text, linking to the source that already holds it."""
    if refusal.existing is None:
        return refusal.message
    link = reverse("admin:cpec_tracker_source_change", args=[refusal.existing.pk])
    return format_html('{} <a href="{}">Open “{}”</a>.', refusal.message, link, refusal.existing)


class SourceForm(ChangeForm):
    """A source's form: refuses an address or a text that another source already has."""

    def clean(self):
        cleaned_data = super().clean()
        # Checked on every save, not only when changed: a source that shared its address or
        # text with an older one before the check existed is told so, not refused by the database.
        for field in ("url", "text"):
            if cleaned_data.get(field):
                refusal = intake_duplicate_refusal(**{field: cleaned_data[field]})
                if refusal and refusal.existing.pk != self.instance.pk:
                    self.add_error(field, refusal_html(refusal))
        return cleaned_data


class SourceIntakeForm(forms.Form):
    """The first step of "Add source": where the source comes from."""

    url = forms.CharField(
        label="Address (URL)",
        required=False,
        max_length=2000,
        help_text="The page is fetched and its article read: title, date, author, text.",
    )
    html = forms.CharField(
        label="…or the page's HTML",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="For a page the site cannot fetch: paste its source (View source, copy all).",
    )
    text = forms.CharField(
        label="…or the text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Taken as it is; you then give its title, date and publisher.",
    )
    # Marks a first-step submission; the review step posts the ordinary add form.
    intake = forms.CharField(widget=forms.HiddenInput, initial="read")

    def clean(self):
        cleaned_data = super().clean()
        given = [name for name in ("url", "html", "text") if cleaned_data.get(name, "").strip()]
        if len(given) != 1:
            raise ValidationError("Give one of the three: an address, the page's HTML or the text.")
        name = given[0]
        value = cleaned_data[name]
        try:
            if name == "url":
                self.draft = draft_from_url(value)
            elif name == "html":
                self.draft = draft_from_html(value)
            else:
                self.draft = draft_from_text(value)
        except IntakeRefused as refusal:
            self.add_error(name, refusal_html(refusal))
        return cleaned_data


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    """Sources; "Add source" starts from a URL, pasted HTML or text (see `intake_view`)."""

    form = SourceForm
    list_display = ["title", "publisher", "published_on", "kind", "publication_status"]
    list_filter = ["publication_status", "kind", "publisher", "language"]
    search_fields = ["title", "author", "publisher", "slug"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    # Addresses typed without a scheme are taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    intake_template = "cpec_tracker/admin/source_intake.html"

    def add_view(self, request, form_url="", extra_context=None):
        # Step 1 (the intake form) unless the editor asked for the plain form (?manual=1)
        # or is posting the reviewed fields (step 2, Django's own add form).
        if "manual" in request.GET or (request.method == "POST" and "intake" not in request.POST):
            return super().add_view(request, form_url, extra_context)
        return self.intake_view(request, form_url, extra_context)

    def intake_view(self, request, form_url="", extra_context=None):
        """Read a source from a URL, HTML or text, then show its fields for review."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SourceIntakeForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            self.message_user(
                request,
                "Check the fields read from the source and correct them, then save. "
                "The source is saved as a draft.",
                messages.INFO,
            )
            # The review is Django's add form, opened (not posted) with the extracted fields.
            review = copy.copy(request)
            review.method = "GET"
            review.intake_initial = form.draft.as_initial()
            return super().add_view(review, form_url, extra_context)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": "Add source",
            "subtitle": "Step 1 of 2: where it comes from",
            "form": form,
            "media": self.media + form.media,
            "manual_url": f"{request.path}?manual=1",
            "is_popup": "_popup" in request.GET,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.intake_template, context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        intake_initial = getattr(request, "intake_initial", None)
        if intake_initial:
            initial = {**initial, **intake_initial}
            if intake_initial.get("title"):
                initial.setdefault("slug", unique_slug(intake_initial["title"]))
        return initial


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
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
