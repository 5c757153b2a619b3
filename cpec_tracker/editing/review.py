"""The two-person rule: what would change what the public sees is proposed, then approved by
a chief editor other than its author, and only then written to the records.

A proposal is built from what the admin validated (a record's form, its inline rows and
citations, a child row's own form, a deletion, a publication) and stored as a
`PendingChange` (`records.models.review`). The public tables keep the approved state, so
pages, the API, feeds and `/data/` read nothing of it. Approving applies every operation in
one transaction, each row checked against the version the editor opened, so an approval
never overwrites a change approved after the proposal was made: it is refused with the
difference instead.

Drafts (never published) are not public: they are edited directly, as before.
"""

import json
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from cpec_tracker.editing.models import ChangeAction, PendingChange, ReviewStatus
from cpec_tracker.records.models import (
    Citable,
    Citation,
    PublicationStatus,
    Record,
    last_citation_message,
)
from cpec_tracker.records.services import citation_verified, publication_problems

REVIEW_PERMISSION = "editing.review_pendingchange"
# Sent once an approved change is written, with `rows`: the rows it added or changed. What
# the admin does after its own saves (the intake storing a source's mentions) hooks here.
change_applied = Signal()
# Form fields that are no record's values: the version a form was opened with, and the
# duplicate check's confirmation.
NOT_VALUES = {"expected_version", "confirm_new_name", "DELETE", "id"}
# Filled in by the database or the services, never proposed.
BOOKKEEPING = {"id", "version", "created_at", "updated_at", "created_by", "updated_by"}


class ReviewConflict(Exception):
    """An approval that would overwrite a newer approved change, or act on a deleted row."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def owning_record(row):
    """The public record whose page shows `row`: the record itself, a child row's record
    (the first link of `public_through`), a citation's row's record; None when gone."""
    if row is None:
        return None
    if isinstance(row, Record):
        return row
    if isinstance(row, Citation):
        model = row.record_model
        cited = model._default_manager.filter(pk=row.object_id).first() if model else None
        return owning_record(cited)
    if isinstance(row, Citable) and row.public_through:
        return owning_record(getattr(row, row.public_through[0]))
    return None


def stored_owning_record(row):
    """`owning_record` of `row` as stored (the form's values may move it elsewhere)."""
    if row.pk is None:
        return None
    return owning_record(type(row)._default_manager.filter(pk=row.pk).first())


def is_reviewed(record):
    """Whether changing `record` (a public record, as stored) waits for a second person."""
    return record is not None and record.is_published


def json_value(value):
    """A field's value as JSON holds it (dates and decimals as text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def field_value(row, field):
    return json_value(field.value_from_object(row))


def proposed_fields(model):
    """The fields an addition of `model` carries: its editable concrete fields and
    many-to-many relations, without the bookkeeping."""
    return [
        field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.editable and not field.primary_key and field.name not in BOOKKEEPING
    ]


@dataclass
class Proposal:
    """A pending change being built from one admin request."""

    record: Record
    author: object
    action: str = ChangeAction.EDIT

    def __post_init__(self):
        self.operations = []
        # As stored: the admin hands over the record with the form's values already set.
        self.record = type(self.record)._default_manager.get(pk=self.record.pk)

    def add_row(self, row, *, m2m=None, ref=None, links=None):
        """Propose `row`, a new row with its values set but not saved; `m2m` gives its
        many-to-many values ({name: [ids]}).

        A row that refers to another row proposed in the same change (a new outcome's
        citation) names it: the other row's `ref`, and here `links` = {field name: ref},
        filled in with its id when the change is applied.
        """
        values = {
            field.name: field_value(row, field)
            for field in proposed_fields(type(row))
            if not field.many_to_many
        }
        values.update({name: sorted(ids) for name, ids in (m2m or {}).items()})
        self.operations.append(
            {
                "op": "add",
                "model": type(row)._meta.label_lower,
                "pk": None,
                "version": None,
                "label": _label(row),
                "fields": values,
                "old": {},
                "ref": ref,
                "links": links or {},
            }
        )

    def change_row(self, row, names, *, m2m=None, version):
        """Propose new values of the fields `names` of `row` (an existing row whose values
        the form has set, not saved); `version` is the one the editor opened."""
        model = type(row)
        stored = model._default_manager.get(pk=row.pk)
        values, old = {}, {}
        for name in names:
            field = model._meta.get_field(name)
            if field.many_to_many:
                values[name] = sorted((m2m or {}).get(name, []))
                old[name] = sorted(getattr(stored, name).values_list("pk", flat=True))
            else:
                values[name] = field_value(row, field)
                old[name] = field_value(stored, field)
        changed = {name for name in values if values[name] != old[name]}
        if not changed:
            return
        self.operations.append(
            {
                "op": "change",
                "model": model._meta.label_lower,
                "pk": row.pk,
                "version": version if version is not None else stored.version,
                "label": _label(stored),
                "fields": {name: values[name] for name in values if name in changed},
                "old": {name: old[name] for name in old if name in changed},
            }
        )

    def delete_row(self, row, *, version=None):
        model = type(row)
        stored = model._default_manager.get(pk=row.pk)
        self.operations.append(
            {
                "op": "delete",
                "model": model._meta.label_lower,
                "pk": row.pk,
                "version": version if version is not None else stored.version,
                "label": _label(stored),
                "fields": {},
                "old": {},
            }
        )

    def save(self, summary=""):
        """Store the proposal; None when it proposes nothing."""
        if self.action == ChangeAction.EDIT and not self.operations:
            return None
        return PendingChange.objects.create(
            content_type=ContentType.objects.get_for_model(self.record),
            object_id=self.record.pk,
            record_label=str(self.record)[:300],
            action=self.action,
            operations=self.operations,
            summary=summary[:300],
            author=self.author,
        )


def citation_propose(*, record, source, quote, fields, user):
    """Propose citing `quote` of `source` for `record` (a row of a published record), as the
    reading view cites: the pending change, after the citation's own checks."""
    citation = citation_verified(record=record, source=source, quote=quote, fields=fields)
    proposal = Proposal(record=owning_record(record), author=user)
    proposal.add_row(citation)
    return proposal.save()


def proposed_message(pending):
    return (
        f"Proposed for {pending.record_label} as pending change #{pending.pk}: a chief editor "
        "other than you approves it before the public sees it."
    )


def _label(row):
    return str(row)[:200]


def contributors(record):
    """The ids of the accounts that wrote `record`: its own saves, its citations' and its
    parts' (`cited_parts`), as their history keeps them."""
    model = type(record)
    histories = [
        record.history.all(),
        Citation.history.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ),
        *(
            relation.related_model.history.filter(**{relation.field.attname: record.pk})
            for relation in (model._meta.get_field(name) for name in model.cited_parts)
        ),
    ]
    ids = {record.created_by_id, record.updated_by_id}
    for history in histories:
        ids.update(history.values_list("history_user_id", flat=True).distinct())
    return ids - {None}


def may_review(user, change):
    """Whether `user` may approve or reject `change`: a chief editor, and not its author
    unless the newsroom allows self-approval."""
    if not user.has_perm(REVIEW_PERMISSION):
        return False
    return change.author_id != user.pk or settings.CPEC_REVIEW_SELF_APPROVAL


def change_approve(*, change, reviewer, comment=""):
    """Apply `change` to the records in one transaction and mark it approved.

    Raises PermissionDenied for a reviewer who may not, ReviewConflict (writing nothing) when
    a row changed or went since the proposal, ValidationError when a value no longer passes
    the records' checks.
    """
    if not may_review(reviewer, change):
        raise PermissionDenied("A chief editor other than the author approves a change.")
    with transaction.atomic():
        change = PendingChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ReviewStatus.PENDING:
            raise ReviewConflict([f"This change was already {change.get_status_display()}."])
        self_approved = change.author_id == reviewer.pk
        reason = _approval_reason(change, reviewer, self_approved)
        saved = _apply(change, reason)
        change.status = ReviewStatus.APPROVED
        change.reviewer = reviewer
        change.reviewed_at = timezone.now()
        change.review_comment = comment
        change.self_approved = self_approved
        change.save()
        change_applied.send(sender=PendingChange, change=change, rows=saved)
    return change


def change_reject(*, change, reviewer, comment):
    """Close `change` without applying it; the comment says why (required)."""
    if not may_review(reviewer, change):
        raise PermissionDenied("A chief editor other than the author rejects a change.")
    if not comment.strip():
        raise ValidationError("Say why the change is rejected: its author reads it.")
    with transaction.atomic():
        change = PendingChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ReviewStatus.PENDING:
            raise ReviewConflict([f"This change was already {change.get_status_display()}."])
        change.status = ReviewStatus.REJECTED
        change.reviewer = reviewer
        change.reviewed_at = timezone.now()
        change.review_comment = comment.strip()
        change.save()
    return change


def _approval_reason(change, reviewer, self_approved):
    who = reviewer.get_full_name() or reviewer.get_username()
    if self_approved:
        return f"Change #{change.pk} approved by its author {who} (self-approval allowed)"
    return f"Change #{change.pk} approved by {who}"


def _apply(change, reason):
    author = change.author
    conflicts = [problem for op in change.operations if (problem := conflict_of(op))]
    if conflicts:
        raise ReviewConflict(conflicts)
    added = {}  # the ids of rows added so far, by their `ref`
    saved = []
    for op in change.operations:
        model = apps.get_model(op["model"])
        if op["op"] == "add":
            row = model()
        else:
            row = model._default_manager.select_for_update().get(pk=op["pk"])
        row._history_user = author
        row._change_reason = reason
        if op["op"] == "delete":
            row.delete()
            continue
        m2m = {}
        for name, value in op["fields"].items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                m2m[name] = value
            else:
                setattr(row, field.attname, field.to_python(value))
        for name, ref in op.get("links", {}).items():
            setattr(row, model._meta.get_field(name).attname, added[ref])
        if isinstance(row, Record) and op["op"] == "add":
            row.created_by = author
        if isinstance(row, Record):
            row.updated_by = author
        row.full_clean()
        row.save()
        for name, ids in m2m.items():
            getattr(row, name).set(ids)
        if op.get("ref"):
            added[op["ref"]] = row.pk
        saved.append(row)
    record = change.record
    if change.action in (ChangeAction.PUBLISH, ChangeAction.UNPUBLISH):
        _apply_publication(change, record, author, reason)
        return saved
    if record is None:
        return saved  # The change deleted the record itself.
    if _takes_citations(change) and record.is_published and not record.citations.exists():
        # Two deletions approved one after the other may each have spared a citation.
        raise ValidationError(last_citation_message(record))
    if record not in saved:
        # Saved too, so its history (and so /changes/) holds the approval, with the rows
        # and citations it added.
        record._history_user = author
        record._change_reason = reason
        record.save()
    return saved


def _takes_citations(change):
    """Whether `change` deletes a citation or moves one elsewhere."""
    citation = Citation._meta.label_lower
    return any(
        op["model"] == citation and (op["op"] == "delete" or "object_id" in op["fields"])
        for op in change.operations
    )


def _apply_publication(change, record, author, reason):
    model = type(record)
    record = model._default_manager.select_for_update().get(pk=record.pk)
    if change.action == ChangeAction.PUBLISH:
        problems = publication_problems(record)
        if problems:
            raise ValidationError(problems)
        status = PublicationStatus.PUBLISHED
    else:
        status = PublicationStatus.DRAFT
    record.publication_status = status
    record.updated_by = author
    record._history_user = author
    record._change_reason = reason
    record.save()


def conflict_of(op):
    """Why `op` may not be applied now, or None: its row went, or (for a change) a field it
    sets holds another value than when it was proposed, so approving would overwrite a
    change approved since; a deletion is refused once its row changed at all.

    Fields are compared rather than versions, so an approved change to one field (or an
    outcome added) leaves a pending change to another field approvable."""
    if op["op"] == "add":
        return None
    model = apps.get_model(op["model"])
    stored = model._default_manager.filter(pk=op["pk"]).first()
    name = model._meta.verbose_name
    if stored is None:
        return f"The {name} “{op['label']}” was deleted after this change was proposed."
    if op["op"] == "delete":
        if op["version"] is not None and stored.version != op["version"]:
            return (
                f"The {name} “{op['label']}” was changed after its deletion was proposed "
                f"(version {op['version']} then, {stored.version} now): reject this change and "
                "propose it again if it should still go."
            )
        return None
    changed = [
        f"{model._meta.get_field(field).verbose_name}: now {display(model, field, now)}"
        for field, now in _current_values(stored, op["fields"]).items()
        if now != op["old"].get(field)
    ]
    if changed:
        return (
            f"The {name} “{op['label']}” was changed after this change was proposed "
            f"({'; '.join(changed)}). Approving would overwrite it: reject this change and "
            "propose it again from the current values."
        )
    return None


def _current_values(row, names):
    values = {}
    for name in names:
        field = row._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(row, name).values_list("pk", flat=True))
        else:
            values[name] = field_value(row, field)
    return values


def display(model, name, value):
    """A proposed or stored value as an editor reads it: a related row by its name, a
    choice by its label."""
    field = model._meta.get_field(name)
    if value in (None, "", []):
        return "—"
    if field.many_to_many or field.is_relation:
        ids = value if isinstance(value, list) else [value]
        related = field.related_model._default_manager.in_bulk(ids)
        return ", ".join(str(related.get(pk, f"#{pk} (deleted)")) for pk in ids)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@dataclass
class FieldRow:
    label: str
    now: str
    proposed: str
    changed_since: bool = False


@dataclass
class OperationView:
    """One operation of a change as the review page shows it."""

    op: str
    model_name: str
    label: str
    fields: list
    conflict: str | None
    is_citation: bool


def operation_views(change):
    """The operations of `change`, each with its fields side by side: the approved value
    now, and the proposed one."""
    views = []
    for op in change.operations:
        model = apps.get_model(op["model"])
        stored = None
        if op["pk"] is not None:
            stored = model._default_manager.filter(pk=op["pk"]).first()
        current = _current_values(stored, op["fields"]) if stored is not None else {}
        rows = []
        for name, value in op["fields"].items():
            field = model._meta.get_field(name)
            now = current.get(name) if op["op"] != "add" else None
            proposed = display(model, name, value)
            if name in op.get("links", {}):
                proposed = "the row added above"
            rows.append(
                FieldRow(
                    label=str(field.verbose_name).capitalize(),
                    now=display(model, name, now) if op["op"] != "add" else "—",
                    proposed=proposed,
                    changed_since=op["op"] == "change" and now != op["old"].get(name),
                )
            )
        views.append(
            OperationView(
                op=op["op"],
                model_name=str(model._meta.verbose_name),
                label=op["label"],
                fields=rows,
                conflict=conflict_of(op) if change.status == ReviewStatus.PENDING else None,
                is_citation=model is Citation,
            )
        )
    return views


def change_summary(change):
    """What `change` does, in a few words for the queue: "title, status; new outcome"."""
    if change.action != ChangeAction.EDIT:
        return change.get_action_display()
    parts = []
    for op in change.operations:
        model = apps.get_model(op["model"])
        name = model._meta.verbose_name
        if op["op"] == "add":
            parts.append(f"new {name}")
        elif op["op"] == "delete":
            parts.append(f"deletes {name} “{op['label']}”")
        else:
            labels = ", ".join(
                str(model._meta.get_field(field).verbose_name) for field in op["fields"]
            )
            is_record = model is change.content_type.model_class()
            parts.append(labels if is_record else f"{name}: {labels}")
    return "; ".join(parts)[:200] or "—"


def pending_changes_of(record):
    """The pending changes of `record`, oldest first (shown together on the review page)."""
    return PendingChange.objects.pending().of_record(record).order_by("created_at", "pk")
