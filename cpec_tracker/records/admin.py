"""Admin pages for citations, organizations and themes; the shared admin bases.

Sources have theirs in the intake (`cpec_tracker.intake.admin`), which reads them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst

from cpec_tracker.editing.review_admin import review_url
from cpec_tracker.editing.roles import publish_codename
from cpec_tracker.editing.versions import (
    ChangeForm,
    HistoryAdmin,
    VersionCheckedForm,
    VersionCheckedGenericInlineFormSet,
    VersionCheckedInline,
)
from cpec_tracker.records import registry, reports_admin  # noqa: F401 (readers' reports)
from cpec_tracker.records.duplicates import similar_records
from cpec_tracker.records.models import (
    Citable,
    Citation,
    Organization,
    Source,
    Theme,
    citable_fields,
    last_citation_message,
    published_records_left_uncited,
)
from cpec_tracker.records.names import HTML_LANG, RIGHT_TO_LEFT, Multilingual
from cpec_tracker.records.sentences import QuoteRequestError, quote_of
from cpec_tracker.records.services import (
    records_publish,
    records_unpublish,
)

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


class CitedFieldsField(forms.TypedMultipleChoiceField):
    """The record's fields a citation supports, ticked from a list instead of typed."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value):
        return value or []


def cited_fields_formfield(choices):
    return CitedFieldsField(
        label="Cited fields",
        help_text=Citation._meta.get_field("fields").help_text,
        choices=choices,
    )


def citation_form_for(model):
    """A citation form offering the citable fields of `model` (the record it supports)."""

    class CitationForm(VersionCheckedForm):
        class Meta:
            model = Citation
            fields = ["source", "fields", "quote", "note"]

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["fields"] = cited_fields_formfield(citable_fields(model._meta))

    return CitationForm


def every_citable_field():
    """The citable fields of every model, grouped by the model's name (for a citation whose
    record is chosen on the same form: `Citation.clean()` checks them against it)."""
    return [
        (capfirst(kind.model._meta.verbose_name), citable_fields(kind.model._meta))
        for kind in registry.record_kinds()
        if issubclass(kind.model, Citable)
    ]


class PrefilledInline:
    """An inline whose add form can start with rows given in the address (`prefill`): a draft
    started from a sentence of the reading view, with its participants and its citation."""

    def prefill(self, request):
        """[{field: value}] for the new rows, read from `request.GET`; none by default."""
        return []

    def get_extra(self, request, obj=None, **kwargs):
        extra = super().get_extra(request, obj, **kwargs)
        return max(extra, len(self.prefill(request))) if obj is None else extra


class CitationInline(PrefilledInline, VersionCheckedInline, GenericTabularInline):
    """The evidence for a record, edited on the record's own page."""

    model = Citation
    formset = CitationFormSet
    fields = ["source", "fields", "quote", "note"]
    autocomplete_fields = ["source"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = citation_form_for(self.parent_model)
        return super().get_formset(request, obj, **kwargs)

    def prefill(self, request):
        """The citation of a draft started from a sentence: `cite_source`, `cite_sentence`
        (and `cite_start`, `cite_end` for selected words); the quote is read from the text."""
        source_id = request.GET.get("cite_source", "")
        source = Source.objects.filter(pk=source_id).first() if source_id.isdigit() else None
        if source is None:
            return []
        place = {
            "sentence": request.GET.get("cite_sentence", ""),
            "start": request.GET.get("cite_start", ""),
            "end": request.GET.get("cite_end", ""),
        }
        try:
            _, quote = quote_of(source, place)
        except QuoteRequestError:
            return []
        fields = request.GET.getlist("cite_fields")
        return [{"source": source.pk, "quote": quote, "fields": fields}]


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

    def get_fields(self, request, obj=None):
        """The form's fields, with a `Multilingual` record's name in English, Urdu and Chinese
        on one line, side by side."""
        fields = super().get_fields(request, obj)
        if not issubclass(self.model, Multilingual):
            return fields
        languages = self.model.translated_fields()
        translations = set(languages.values()) - {languages["en"]}
        return [
            tuple(languages.values()) if field == languages["en"] else field
            for field in fields
            if field not in translations
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Each name's input says its language and direction, so the browser picks the
        right font, spell checker and keyboard, and Urdu is typed right to left."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and issubclass(self.model, Multilingual):
            for language, field in self.model.translated_fields().items():
                if db_field.name == field:
                    formfield.widget.attrs["lang"] = HTML_LANG[language]
                    formfield.widget.attrs["dir"] = "rtl" if language in RIGHT_TO_LEFT else "ltr"
        return formfield

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
        # A colleague saved the same thing (a source's address or text, a slug) between this
        # form's checks and its save; the database refused it and the admin's transaction was
        # rolled back whole. Validated again, against what is now committed, the form says
        # which record holds it (with a link) and nothing is saved. An error that is no race
        # raises again.
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj.pk is None and isinstance(inline, PrefilledInline):
            kwargs["initial"] = inline.prefill(request)
        return kwargs

    def response_add(self, request, obj, post_url_continue=None):
        # A draft started from the reading view goes back there once saved, to cite on.
        back = request.GET.get("return_to", "")
        plain_save = not ({"_continue", "_addanother", "_popup"} & set(request.POST))
        if back and plain_save and url_has_allowed_host_and_scheme(back, None):
            self.message_user(request, f"Added {obj._meta.verbose_name} “{obj}”.", messages.SUCCESS)
            return HttpResponseRedirect(back)
        return super().response_add(request, obj, post_url_continue)

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
        for pending in result.proposed:
            self.message_user(
                request,
                format_html(
                    '{} is <a href="{}">pending change #{}</a>: a chief editor other than '
                    "you approves it (you had a hand in this record, or you are taking it off "
                    "the public site).",
                    pending,
                    review_url(pending),
                    pending.pk,
                ),
                messages.WARNING,
            )
        if not (result.changed or result.refused or result.proposed):
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


class CitationChangeForm(ChangeForm):
    class Meta:
        model = Citation
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self.instance.record_model
        self.fields["fields"] = cited_fields_formfield(
            citable_fields(model._meta) if model else every_citable_field()
        )


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    form = CitationChangeForm
    list_display = ["quote", "cited_fields", "source", "content_type", "object_id"]
    list_filter = ["content_type", "source"]
    list_select_related = ["source", "content_type"]
    search_fields = ["quote", "note", "source__title"]
    autocomplete_fields = ["source"]

    def get_deleted_objects(self, objs, request):
        """Listed as protected, and so not deleted (one citation or a selection), the last
        citations of published records, with what to do instead."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for record in published_records_left_uncited(list(objs)):
            protected.append(last_citation_message(record))
        return deleted, counts, perms_needed, protected

    @admin.display(description="Cited fields")
    def cited_fields(self, citation):
        return ", ".join(citation.field_labels)


@admin.register(Organization)
class OrganizationAdmin(RecordAdmin):
    form = DuplicateCheckedForm
    list_display = ["name", "short_name", "kind", "country", "parent", "publication_status"]
    list_filter = ["publication_status", "kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_ur", "name_zh_hans", "short_name", "aliases", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(RecordAdmin):
    list_display = ["name", "kind", "publication_status"]
    list_filter = ["publication_status", "kind"]
    search_fields = ["name", "name_ur", "name_zh_hans", "slug"]
    prepopulated_fields = {"slug": ["name"]}
