"""Admin plumbing for keeping every edit: conflict detection, history, restoring deletions.

Every tracker form carries the version of the row it was opened with. Saving compares it to
the stored version under a row lock and refuses a stale form, so a second editor can never
silently overwrite the first one's save. django-simple-history keeps every saved state; the
admin shows it with the changed fields, reverts to any of them, and lists deleted rows so
they can be restored.
"""

from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange, ModelDelta

from cpec_tracker.editing.review_admin import ReviewedAdmin
from cpec_tracker.records.history import deleted_at, deleted_rows_restore
from cpec_tracker.records.models import PublicationStatus

VERSION_FIELD = "expected_version"

CONFLICT_MESSAGE = (
    "Someone else changed this {name} after you opened it (you opened version {expected}; "
    "it is now at version {current}). Your changes were not saved, so theirs are kept. "
    "Open it again to see what they changed, then make your change."
)
DELETED_MESSAGE = (
    "Someone else deleted this {name} after you opened it. Your changes were not saved; "
    "it can be restored from the list of deleted {plural}."
)
# A restored record comes back as a draft: publishing it again is a chief editor's decision.
RESTORED_REASON = "Restored from history"


class VersionField(forms.IntegerField):
    """The hidden version a form was opened with; never counts as a change by itself."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class VersionCheckedForm(forms.ModelForm):
    """A model form that refuses to save over a version it was not opened with."""

    expected_version = VersionField(required=False)
    # The admin saves a record's main form whole, so it is always checked; an inline row is
    # saved, and so checked, only when it was changed or marked for deletion.
    checked_when_unchanged = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version_conflict = None
        history = getattr(self.instance, "_history", None)
        if self.instance.pk is None:
            return
        if history is None:
            self.fields[VERSION_FIELD].initial = self.instance.version
            return
        # A history page edits an old version: the stored row is what a save would replace.
        stored = self._stored_row(lock=False)
        self.fields[VERSION_FIELD].initial = stored["version"] if stored else None
        for field in history._history_m2m_fields:
            if field.name in self.fields:
                target = field.m2m_reverse_field_name()
                rows = getattr(history, field.name).all()
                self.initial[field.name] = [getattr(row, f"{target}_id") for row in rows]

    def _stored_row(self, *, lock):
        model = type(self.instance)
        rows = model._default_manager.filter(pk=self.instance.pk)
        if lock:
            rows = rows.select_for_update()
        names = ["version"]
        if any(f.name == "publication_status" for f in model._meta.fields):
            names.append("publication_status")
        return rows.values(*names).first()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None and (self.checked_when_unchanged or self.has_changed()):
            self.version_conflict = self._check_version(cleaned_data.get(VERSION_FIELD))
            if self.version_conflict:
                raise ValidationError(self.version_conflict, code="version_conflict")
        return cleaned_data

    def _check_version(self, expected):
        """Return why this form may not be saved, or None; holds the row lock until saved."""
        name = self.instance._meta.verbose_name
        stored = self._stored_row(lock=True)
        restoring = getattr(self.instance, "_history", None) is not None
        if stored is None:
            if restoring:
                if hasattr(self.instance, "publication_status"):
                    self.instance.publication_status = PublicationStatus.DRAFT
                self.instance._change_reason = RESTORED_REASON
                self.instance._deleted_at = deleted_at(self.instance)
                return None
            return DELETED_MESSAGE.format(name=name, plural=self.instance._meta.verbose_name_plural)
        if expected != stored["version"]:
            return CONFLICT_MESSAGE.format(
                name=name, expected=expected or "unknown", current=stored["version"]
            )
        # Saving goes on from the stored row: reverting to an old version neither lowers the
        # counter nor publishes or unpublishes the record (that takes the publish actions).
        self.instance.version = stored["version"]
        if "publication_status" in stored:
            self.instance.publication_status = stored["publication_status"]
        return None


class ChangeForm(VersionCheckedForm):
    """The main form of a change page: the admin saves it whole, so it is always checked."""

    checked_when_unchanged = True


class VersionCheckedFormSetMixin:
    """Refuses deleting an inline row that someone else changed after the page was opened.

    Rows prefilled through `initial` (a draft started from a sentence) are the editor's rows:
    they are saved as they stand unless the editor empties them, although nothing was typed.
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        extra_index = i - self.initial_form_count()
        prefilled = self.initial_extra or []
        if 0 <= extra_index < len(prefilled):
            names = [name for name, value in prefilled[extra_index].items() if value]

            def has_changed():
                return any(form[name].data not in (None, "", []) for name in names)

            form.has_changed = has_changed
        return form

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if getattr(form, "version_conflict", None):
                raise ValidationError(form.version_conflict, code="version_conflict")


class VersionCheckedInlineFormSet(VersionCheckedFormSetMixin, BaseInlineFormSet):
    pass


class VersionCheckedGenericInlineFormSet(VersionCheckedFormSetMixin, BaseGenericInlineFormSet):
    pass


class VersionFieldMixin:
    """Renders the hidden version field whatever `fields` an admin or inline names."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if VERSION_FIELD in fields else [*fields, VERSION_FIELD]


class VersionCheckedInline(VersionFieldMixin):
    """Mixin for inlines of child rows: version-checked forms and formsets."""

    form = VersionCheckedForm
    formset = VersionCheckedInlineFormSet


class HistoryAdmin(ReviewedAdmin, VersionFieldMixin, SimpleHistoryAdmin):
    """An admin page with history (changed fields, revert), deleted rows, conflict checks,
    and saves to published records proposed for review (`ReviewedAdmin`)."""

    form = ChangeForm
    change_list_template = "cpec_tracker/admin/change_list.html"
    # django-simple-history's own list has an inline style, which the CSP blocks.
    object_history_list_template = "cpec_tracker/admin/object_history_list.html"

    def get_urls(self):
        opts = self.model._meta
        deleted = path(
            "deleted/",
            self.admin_site.admin_view(self.deleted_view),
            name=f"{opts.app_label}_{opts.model_name}_deleted",
        )
        return [deleted, *super().get_urls()]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        when = getattr(obj, "_deleted_at", None)
        if when is not None:
            self.restore_deleted_with(request, obj, when)

    def restore_deleted_with(self, request, obj, when):
        """Restore what the deletion of `obj` took with it: its child rows and citations."""
        restored, skipped = deleted_rows_restore(record=obj, when=when, user=request.user)
        if restored:
            counts = Counter(row._meta for row in restored)
            listed = ", ".join(
                f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}"
                for opts, count in sorted(counts.items(), key=lambda item: item[0].model_name)
            )
            self.message_user(request, f"Also restored what was deleted with it: {listed}.")
        for row in skipped:
            self.message_user(
                request,
                f"Not restored: {row._meta.verbose_name} “{row}”, because something it refers "
                "to has been deleted since; restore that first.",
                messages.WARNING,
            )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The version check locks the row until the revert is saved, as the change view does.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each version's changed fields, as django-simple-history shows them, but with the
        many-to-many rows of the whole page read in one query per relation (its own diff
        reads them twice per version)."""
        records = list(historical_records)
        if not records:
            return
        m2m_fields = records[0]._history_m2m_fields
        excluded = {field.name for field in m2m_fields}
        related = self._m2m_rows_by_version(records, m2m_fields)
        for newer, older in zip(records, records[1:], strict=False):
            delta = newer.diff_against(
                older, excluded_fields=excluded, foreign_keys_are_objs=foreign_keys_are_objs
            )
            changes = list(delta.changes)
            for field in m2m_fields:
                old = related.get((field.name, older.history_id), [])
                new = related.get((field.name, newer.history_id), [])
                if old != new:
                    changes.append(ModelChange(field.name, old, new))
            delta = ModelDelta(changes, [c.field for c in changes], older, newer)
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)

    @staticmethod
    def _m2m_rows_by_version(records, m2m_fields):
        """{(field name, history id): [{target name: target}, …]} for the given versions."""
        rows = {}
        history_ids = [record.history_id for record in records]
        for field in m2m_fields:
            target = field.m2m_reverse_field_name()
            m2m_history_model = getattr(records[0], field.name).model
            found = (
                m2m_history_model.objects.filter(history_id__in=history_ids)
                .select_related(target)
                .order_by(f"{target}_id")
            )
            for row in found:
                key = (field.name, row.history_id)
                rows.setdefault(key, []).append({target: getattr(row, target)})
        return rows

    def deleted_view(self, request):
        """The deleted rows of this model, each linking to its last state to restore it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        existing = self.model._default_manager.values("pk")
        deletions = (
            self.model.history.filter(history_type="-")
            .exclude(id__in=existing)
            .select_related("history_user")
            .order_by("-history_date")
        )
        rows, seen = [], set()
        for deletion in deletions[:500]:
            if deletion.id in seen:
                continue
            seen.add(deletion.id)
            url_name = f"admin:{opts.app_label}_{opts.model_name}_simple_history"
            rows.append(
                {
                    "record": deletion.instance,
                    "deleted_at": deletion.history_date,
                    "deleted_by": deletion.history_user,
                    "restore_url": reverse(url_name, args=[deletion.id, deletion.history_id]),
                    "history_url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_history", args=[deletion.id]
                    ),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {opts.verbose_name_plural}",
            "opts": opts,
            "rows": rows,
        }
        return TemplateResponse(request, "cpec_tracker/admin/deleted_list.html", context)
