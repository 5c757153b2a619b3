"""Admin pages for sources: "Add source" from an address, HTML or text, and the reading view."""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from cpec_tracker.editing.versions import ChangeForm
from cpec_tracker.intake import reading_admin
from cpec_tracker.intake.extraction import (
    IntakeRefused,
    draft_from_html,
    draft_from_text,
    draft_from_url,
    size_limit_help,
    size_refusal,
    unique_slug,
)
from cpec_tracker.intake.extraction import duplicate_refusal as intake_duplicate_refusal
from cpec_tracker.intake.services import source_suggestions_store
from cpec_tracker.records.admin import RecordAdmin
from cpec_tracker.records.models import Source


def refusal_html(refusal):
    """An intake refusal as form error text, linking to the source that already holds it."""
    if refusal.existing is None:
        return refusal.message
    link = reverse("admin:cpec_tracker_source_change", args=[refusal.existing.pk])
    return format_html('{} <a href="{}">Open “{}”</a>.', refusal.message, link, refusal.existing)


class SourceForm(ChangeForm):
    """A source's form: refuses an address or a text that another source already has, and a
    text larger than the intake's size limit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            text_field = self.fields["text"]
            text_field.help_text = f"{text_field.help_text} {size_limit_help()}"

    def clean_text(self):
        text = self.cleaned_data["text"]
        refusal = size_refusal(text)
        if refusal:
            raise ValidationError(refusal.message, code="too_large")
        return text

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is a setting, read when the form is made, not when this module is imported.
        for name in ("url", "html", "text"):
            self.fields[name].help_text = f"{self.fields[name].help_text} {size_limit_help()}"

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
class SourceAdmin(reading_admin.ReadingViewsMixin, RecordAdmin):
    """Sources; "Add source" starts from a URL, pasted HTML or text (see `intake_view`), and
    "Read and cite" opens the reading view."""

    form = SourceForm
    list_display = ["title", "publisher", "published_on", "kind", "publication_status", "read"]
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if self.is_proposing(request):
            return  # Nothing was saved: a published source's edit waits for review.
        if obj.stored_mentions() is None:  # a new text or date
            source_suggestions_store(sources=[obj])

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        intake_initial = getattr(request, "intake_initial", None)
        if intake_initial:
            initial = {**initial, **intake_initial}
            if intake_initial.get("title"):
                initial.setdefault("slug", unique_slug(intake_initial["title"]))
        return initial
