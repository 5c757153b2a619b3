"""The two-person rule in the admin: saving what the public sees proposes a change, and the
review queue where a second person approves or rejects it (`cpec_tracker.editing.review`).

`ReviewedAdmin` is mixed into every tracker admin page (`HistoryAdmin`). When the row a form
saves belongs to a published record (the record itself, one of its rows, a citation), the
validated form and inline rows are turned into a pending change instead of being saved; the
editor is told so and sees the approved values again. Drafts are saved as before.
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from cpec_tracker.editing import review
from cpec_tracker.editing.models import PendingChange, ReviewStatus

PROPOSAL = "_review_proposal"
PROPOSED_CHANGE = "_review_pending_change"


def admin_change_url(row):
    opts = row._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])


def review_url(change):
    return reverse("admin:editing_pendingchange_change", args=[change.pk])


def _model_value_names(form, model):
    """The names in `form.changed_data` that are the model's fields."""
    names = {field.name for field in review.proposed_fields(model)}
    return [name for name in form.changed_data if name in names]


def _m2m_values(form, model):
    return {
        name: [row.pk for row in form.cleaned_data.get(name) or []]
        for name in _model_value_names(form, model)
        if model._meta.get_field(name).many_to_many
    }


class ReviewedAdmin:
    """Saves to published records become pending changes (see the module's docstring)."""

    def reviewed_record(self, obj, *, change):
        """The published record a save of `obj` would change publicly, or None."""
        candidates = [review.owning_record(obj)]
        if change:
            candidates.append(review.stored_owning_record(obj))
        return next((record for record in candidates if review.is_reviewed(record)), None)

    @staticmethod
    def is_proposing(request):
        """Whether this request's save became a proposal (nothing was written)."""
        return hasattr(request, PROPOSAL)

    def save_model(self, request, obj, form, change):
        record = self.reviewed_record(obj, change=change)
        if record is None:
            return super().save_model(request, obj, form, change)
        proposal = review.Proposal(record=record, author=request.user)
        m2m = _m2m_values(form, type(obj))
        if change:
            proposal.change_row(
                obj,
                _model_value_names(form, type(obj)),
                m2m=m2m,
                version=form.cleaned_data.get("expected_version"),
            )
        else:
            proposal.add_row(obj, m2m=m2m)
        # The history page's revert saves the many-to-many values itself after save_model.
        form.save_m2m = lambda: None
        setattr(request, PROPOSAL, proposal)
        return None

    def save_related(self, request, form, formsets, change):
        proposal = getattr(request, PROPOSAL, None)
        if proposal is None:
            return super().save_related(request, form, formsets, change)
        for formset in formsets:
            self.propose_rows(proposal, formset)
        return None

    @staticmethod
    def propose_rows(proposal, formset):
        """Add an inline formset's additions, changes and deletions to `proposal`."""
        for form in formset.initial_forms:
            version = form.cleaned_data.get("expected_version")
            if formset.can_delete and formset._should_delete_form(form):
                proposal.delete_row(form.instance, version=version)
            elif form.has_changed():
                model = type(form.instance)
                proposal.change_row(
                    form.instance,
                    _model_value_names(form, model),
                    m2m=_m2m_values(form, model),
                    version=version,
                )
        for form in formset.extra_forms:
            if not form.has_changed() or (formset.can_delete and formset._should_delete_form(form)):
                continue
            row = form.instance
            if isinstance(formset, BaseGenericInlineFormSet):
                # Set by the formset's save_new, which a proposal never reaches.
                content_type = ContentType.objects.get_for_model(formset.instance)
                setattr(row, formset.ct_field.get_attname(), content_type.pk)
                setattr(row, formset.ct_fk_field.get_attname(), formset.instance.pk)
            proposal.add_row(row, m2m=_m2m_values(form, type(row)))

    def _proposed(self, request):
        """Store the request's proposal once; the pending change, or None if it proposed
        nothing."""
        if hasattr(request, PROPOSED_CHANGE):
            return getattr(request, PROPOSED_CHANGE)
        proposal = getattr(request, PROPOSAL)
        pending = proposal.save()
        setattr(request, PROPOSED_CHANGE, pending)
        return pending

    def construct_change_message(self, request, form, formsets, add=False):
        if hasattr(request, PROPOSAL):
            return []  # Nothing was saved: the formsets never made their saved-objects lists.
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        if hasattr(request, PROPOSAL):
            return None  # Nothing was added yet; the approval is recorded in the history.
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if hasattr(request, PROPOSAL):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not hasattr(request, PROPOSAL):
            return super().response_change(request, obj)
        return self._response_proposed(request, getattr(request, PROPOSAL).record)

    def response_add(self, request, obj, post_url_continue=None):
        if not hasattr(request, PROPOSAL):
            return super().response_add(request, obj, post_url_continue)
        return self._response_proposed(request, getattr(request, PROPOSAL).record)

    def _response_proposed(self, request, record):
        pending = self._proposed(request)
        if pending is None:
            self.message_user(
                request, "Nothing to propose: the form holds the approved values.", messages.INFO
            )
        else:
            self.message_user(
                request,
                format_html(
                    'Your change to “{}” is <a href="{}">pending change #{}</a>: a chief '
                    "editor other than you reviews it, and the public site shows the approved "
                    "version until it is approved.",
                    record,
                    review_url(pending),
                    pending.pk,
                ),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(admin_change_url(record))

    def delete_model(self, request, obj):
        record = self.reviewed_record(obj, change=True)
        if record is None:
            return super().delete_model(request, obj)
        proposal = review.Proposal(record=record, author=request.user)
        proposal.delete_row(obj)
        setattr(request, PROPOSAL, proposal)
        return None

    def delete_queryset(self, request, queryset):
        direct = []
        for obj in queryset:
            record = self.reviewed_record(obj, change=True)
            if record is None:
                direct.append(obj.pk)
                continue
            proposal = review.Proposal(record=record, author=request.user)
            proposal.delete_row(obj)
            pending = proposal.save()
            self.message_user(
                request,
                format_html(
                    'Deleting “{}” is <a href="{}">pending change #{}</a>, for a chief '
                    "editor other than you to review.",
                    obj,
                    review_url(pending),
                    pending.pk,
                ),
                messages.WARNING,
            )
        super().delete_queryset(request, queryset.filter(pk__in=direct))

    def log_deletions(self, request, queryset):
        kept = [obj for obj in queryset if self.reviewed_record(obj, change=True) is None]
        return super().log_deletions(request, kept) if kept else None

    def response_delete(self, request, obj_display, obj_id):
        if not hasattr(request, PROPOSAL):
            return super().response_delete(request, obj_display, obj_id)
        return self._response_proposed(request, getattr(request, PROPOSAL).record)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            record = review.owning_record(obj)
            if record is not None and record.pk is not None:
                context["pending_changes"] = list(review.pending_changes_of(record))
                context["reviewed"] = review.is_reviewed(record)
        return super().render_change_form(request, context, add, change, form_url, obj)


class ReviewStatusFilter(admin.SimpleListFilter):
    """The queue opens on what waits; "All" shows the decided ones too."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*ReviewStatus.choices, (self.ALL, "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or ReviewStatus.PENDING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or ReviewStatus.PENDING
        return queryset if value == self.ALL else queryset.filter(status=value)


class PendingChangeAdmin(admin.ModelAdmin):
    """The review queue: pending changes, each shown field by field, approved or rejected
    (with a comment) by a chief editor other than its author."""

    list_display = ["__str__", "what_changes", "author", "created_at", "status", "reviewer"]
    list_filter = [
        ReviewStatusFilter,
        "action",
        # Only the kinds of record that have changes, not every content type of the site.
        ("content_type", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["author", "reviewer", "content_type"]
    search_fields = ["record_label", "summary"]
    change_form_template = "cpec_tracker/admin/pending_change.html"

    @admin.display(description="What changes")
    def what_changes(self, change):
        return review.change_summary(change)

    def has_add_permission(self, request):
        return False  # Changes are proposed by saving a record, never typed here.

    def has_change_permission(self, request, obj=None):
        return False  # Reviewing is approving or rejecting, not editing the proposal.

    def has_delete_permission(self, request, obj=None):
        return False  # Kept as the record of what was proposed and decided.

    def get_urls(self):
        urls = super().get_urls()
        decide = path(
            "<int:change_id>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="editing_pendingchange_decide",
        )
        return [decide, *urls]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = get_object_or_404(
            PendingChange.objects.select_related("author", "reviewer", "content_type"),
            pk=object_id,
        )
        if not self.has_view_permission(request, change):
            raise PermissionDenied
        record = change.record
        together = []
        if record is not None:
            together = [
                other for other in review.pending_changes_of(record) if other.pk != change.pk
            ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review: {change}",
            "opts": self.model._meta,
            "change": change,
            "record": record,
            "record_admin_url": admin_change_url(record) if record is not None else "",
            "record_public_url": record.get_absolute_url()
            if record is not None and record.is_published
            else "",
            "operations": review.operation_views(change),
            "together": [(other, review.operation_views(other)) for other in together],
            "may_review": change.status == ReviewStatus.PENDING
            and review.may_review(request.user, change),
            "is_author": change.author_id == request.user.pk,
            "decide_url": reverse("admin:editing_pendingchange_decide", args=[change.pk]),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def decide_view(self, request, change_id):
        change = get_object_or_404(PendingChange, pk=change_id)
        if request.method != "POST":
            return HttpResponseRedirect(review_url(change))
        comment = request.POST.get("comment", "")[:2000]
        try:
            if "_approve" in request.POST:
                review.change_approve(change=change, reviewer=request.user, comment=comment)
                self.message_user(request, f"Approved and applied: {change}.", messages.SUCCESS)
            elif "_reject" in request.POST:
                review.change_reject(change=change, reviewer=request.user, comment=comment)
                self.message_user(request, f"Rejected: {change}.", messages.SUCCESS)
            else:
                self.message_user(request, "Choose Approve or Reject.", messages.ERROR)
                return HttpResponseRedirect(review_url(change))
            return HttpResponseRedirect(self.next_to_review(request, change))
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        except review.ReviewConflict as conflict:
            for problem in conflict.problems:
                self.message_user(request, f"Not approved: {problem}", messages.ERROR)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, f"Not approved: {message}", messages.ERROR)
        return HttpResponseRedirect(review_url(change))

    @staticmethod
    def next_to_review(request, decided):
        """After a decision, the change waiting longest that `request.user` may decide (the
        queue is worked through without going back to the list), else the queue."""
        waiting = PendingChange.objects.pending().exclude(pk=decided.pk).order_by("created_at")
        for change in waiting[:50]:
            if review.may_review(request.user, change):
                return review_url(change)
        return reverse("admin:editing_pendingchange_changelist")
