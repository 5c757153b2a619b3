"""The public changelog: what changed in published records, field by field, newest first.

Read from the records' history (django-simple-history keeps every saved state). Only states
that were published, of records that are published now, are ever read: a change is always
compared with the record's previous *published* state, so whatever a record held while it was
a draft (before its first publication, or between an unpublishing and the next publication)
never shows, and a record that is a draft now shows nothing at all.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.validators import slug_re
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from cpec_tracker.editing.models import PendingChange
from cpec_tracker.records import labels, registry
from cpec_tracker.records.citations import public_citations
from cpec_tracker.records.dates import format_date
from cpec_tracker.records.models import (
    Citation,
    PublicationStatus,
    Record,
    RecordPart,
    citable_fields,
)

CHANGES_PER_PAGE = 25
# A long text (a source's full text, a summary) is shown cut to this many characters.
VALUE_MAX_CHARACTERS = 300
# Saves that leave a row in place: "+" created, "~" changed ("-" is a deletion).
KEPT_STATES = ("+", "~")
# The history reason of a state written by an approval (`editing.review`): "Change #12 …".
APPROVED_CHANGE = re.compile(r"^Change #(\d+) approved")


def changelog_models():
    """The public record models, in a fixed order (an entry names its model by position),
    then the rows shown on their pages as parts of them (`changelog_parts`)."""
    records = sorted(
        (kind.model for kind in registry.record_kinds() if issubclass(kind.model, Record)),
        key=lambda model: model._meta.label_lower,
    )
    return records + changelog_parts()


def changelog_parts():
    """The rows a record's page shows as its own (a meeting's outcomes, a project's milestones
    and financing), in a fixed order: they are followed with the record they belong to."""
    return sorted(
        (kind.model for kind in registry.record_kinds() if issubclass(kind.model, RecordPart)),
        key=lambda model: model._meta.label_lower,
    )


def owner_link(part):
    """The name of the link from a part to the record whose page shows it ("project")."""
    return part.public_through[0]


def changed_record(value):
    """The published record a changelog is filtered to, from "<kind>/<slug>" ("meetings/
    jwg-icc-5th-meeting"), or a part with a page of its own by its id ("financing/12"); None
    for a value that names none."""
    kind_name, _, slug = value.partition("/")
    models = {
        registry.kind_of(model).name: model
        for model in changelog_models()
        if issubclass(model, Record) or registry.kind_of(model).pages
    }
    model = models.get(kind_name)
    # Checked before the query: PostgreSQL refuses a NUL in a string outright (a 500).
    if model is None or not slug_re.fullmatch(slug):
        return None
    if issubclass(model, Record):
        return model.objects.published().filter(slug=slug).first()
    if not slug.isdigit() or len(slug) > 18:
        return None
    return model.objects.published().filter(pk=slug).first()


def published_states(model):
    """The published states of `model`'s records that are published now; for a part, its
    states while the record it belongs to was published, if it is public now (what a part
    held while its record was a draft never shows, as the record's own draft states do not)."""
    if issubclass(model, RecordPart):
        link = owner_link(model)
        owner = model._meta.get_field(link).related_model
        owner_status = (
            owner.history.filter(
                id=OuterRef(f"{link}_id"), history_date__lte=OuterRef("history_date")
            )
            .order_by("-history_date", "-history_id")
            .values("publication_status")[:1]
        )
        return (
            model.history.filter(
                history_type__in=KEPT_STATES, id__in=model.objects.published().values("pk")
            )
            .annotate(owner_status=Subquery(owner_status))
            .filter(owner_status=PublicationStatus.PUBLISHED)
        )
    return model.history.filter(
        publication_status=PublicationStatus.PUBLISHED,
        history_type__in=KEPT_STATES,
        id__in=model.objects.published().values("pk"),
    )


def public_changes(record=None, among=None, since=None):
    """Every published state of every published record, newest first; or of `record` alone
    with the rows its page shows (its outcomes, milestones, financing…); or of the records
    `among` names ({model: their pks or a queryset of them}); only those saved after `since`
    when given (what an email alert has not looked at yet). One row per state,
    {"history_id", "history_date", "model_index"}, the model by its place in
    changelog_models()."""
    parts = []
    for index, model in enumerate(changelog_models()):
        if record is not None:
            if model is record._meta.concrete_model:
                states = published_states(model).filter(id=record.pk)
            elif issubclass(model, RecordPart) and isinstance(record, owner_of(model)):
                states = published_states(model).filter(**{f"{owner_link(model)}_id": record.pk})
            else:
                continue
        elif among is not None:
            if model not in among:
                continue
            states = published_states(model).filter(id__in=among[model])
        elif issubclass(model, Record):
            states = published_states(model)
        else:
            # The whole changelog reads the records' own states: a part's are read with its
            # record (its page, its feed), where they are few.
            continue
        if since is not None:
            states = states.filter(history_date__gt=since)
        parts.append(
            states.order_by()  # history's own ordering; the union is ordered as a whole
            .annotate(model_index=Value(index))
            .values("history_id", "history_date", "model_index")
        )
    if not parts:
        return published_states(changelog_models()[0]).none().values("history_id")
    first, *rest = parts
    if not rest:
        return first.order_by("-history_date", "-history_id")
    return first.union(*rest, all=True).order_by("-history_date", "-history_id", "model_index")


def owner_of(part):
    return part._meta.get_field(owner_link(part)).related_model


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    old_url: str = ""
    new_url: str = ""


@dataclass
class Change:
    """One published state of a record, with what changed since its previous published one."""

    # The record whose page shows the change: the row changed, or the record it is part of.
    record: Record
    kind: str
    date: datetime.datetime
    # The previous published state's date; None when this is the first publication (of a
    # part: when it was added to its record's page).
    since: datetime.datetime | None
    history_id: int
    # The row changed: the record itself, or one of its parts (an outcome, a milestone).
    row: models.Model = None
    # What that part is ("Milestone"); "" when the record itself changed.
    part: str = ""
    fields: list = field(default_factory=list)
    citations: list = field(default_factory=list)
    # The pending change whose approval wrote this state, with its reviewer; None for states
    # saved before reviews, or by the seed.
    approval: PendingChange | None = None

    def __post_init__(self):
        if self.row is None:
            self.row = self.record

    @property
    def first_publication(self):
        return self.since is None and not self.part

    @property
    def added(self):
        """A part added to its record's page (its fields shown from nothing)."""
        return self.since is None and bool(self.part)

    @property
    def guid(self):
        return f"change:{self.row._meta.label_lower}:{self.history_id}"


def changes_for(rows):
    """The Change of each row of public_changes(), in the rows' order, in a fixed number of
    queries whatever the rows: per model present, its states, their previous published states
    and the records; then the records linked to, and the citations added, in one each."""
    models = changelog_models()
    wanted = {}
    for row in rows:
        wanted.setdefault(models[row["model_index"]], []).append(row["history_id"])

    states, previous, records = {}, {}, {}
    for model, history_ids in wanted.items():
        earlier = published_states(model).filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
            id=OuterRef("id"),
        )
        found = model.history.filter(history_id__in=history_ids).annotate(
            previous_id=Subquery(
                earlier.order_by("-history_date", "-history_id").values("history_id")[:1]
            )
        )
        for state in found:
            states[model, state.history_id] = state
        previous_ids = [state.previous_id for state in found if state.previous_id]
        for state in model.history.filter(history_id__in=previous_ids):
            previous[model, state.history_id] = state
        ids = {state.id for state in found}
        shown = model.objects.published().filter(pk__in=ids)
        if issubclass(model, RecordPart):
            shown = shown.select_related(owner_link(model))
        for changed in shown:
            records[model, changed.pk] = changed

    targets = _public_targets(states.values(), previous.values())
    changes = []
    for row in rows:
        model = models[row["model_index"]]
        state = states.get((model, row["history_id"]))
        changed = state and records.get((model, state.id))
        if changed is None:
            continue
        before = previous.get((model, state.previous_id))
        is_part = isinstance(changed, RecordPart)
        record = getattr(changed, owner_link(model)) if is_part else changed
        if before is None and not is_part:
            fields = []  # first published: the record's page shows it whole
        else:
            fields = _field_changes(model, before, state, targets)
        changes.append(
            Change(
                record=record,
                kind=capfirst(labels.record_kind(record)),
                date=state.history_date,
                since=before.history_date if before else None,
                history_id=state.history_id,
                row=changed,
                part=capfirst(labels.record_kind(changed)) if is_part else "",
                fields=fields,
            )
        )
    _attach_new_citations(changes)
    _attach_approvals(changes, states)
    return changes


def _attach_approvals(changes, states):
    """Give each change written by an approval its pending change (who reviewed it), in one
    query."""
    change_ids = {}
    for change in changes:
        state = states[type(change.row), change.history_id]
        found = APPROVED_CHANGE.match(state.history_change_reason or "")
        if found:
            change_ids[change.history_id] = int(found.group(1))
    approvals = PendingChange.objects.select_related("reviewer").in_bulk(change_ids.values())
    for change in changes:
        change.approval = approvals.get(change_ids.get(change.history_id))


def _compared_fields(model):
    """The fields a visitor reads on the record's page: those a citation may support (a
    part's link to its record is where it is shown, not one of its fields)."""
    names = {name for name, _label in citable_fields(model._meta)}
    if issubclass(model, RecordPart):
        names.discard(owner_link(model))
    return [f for f in model._meta.concrete_fields if f.name in names]


def _public_targets(*state_groups):
    """{(model, pk): record} for every published record a state links to (drafts left out)."""
    wanted = {}
    for group in state_groups:
        for state in group:
            for model_field in _compared_fields(state.instance_type):
                target = getattr(state, model_field.attname)
                related = model_field.related_model
                if model_field.is_relation and target is not None and issubclass(related, Record):
                    wanted.setdefault(related, set()).add(target)
    found = {}
    for related, pks in wanted.items():
        for record in related.objects.published().filter(pk__in=pks):
            found[related, record.pk] = record
    return found


def _shown(model_field, state, targets):
    """(text, url) of a field's value in a state, as a visitor reads it."""
    if model_field.is_relation:
        target = targets.get((model_field.related_model, getattr(state, model_field.attname)))
        return (str(target), target.get_absolute_url()) if target else ("", "")
    value = model_field.value_from_object(state)
    if value in (None, ""):
        return "", ""
    if model_field.choices:
        key = getattr(value, "code", value)
        return str(dict(model_field.flatchoices).get(key, key)), ""
    precision = f"{model_field.name}_precision"
    if isinstance(value, datetime.date) and hasattr(state, precision):
        return format_date(value, getattr(state, precision)), ""
    if isinstance(value, bool):
        return (str(_("yes")) if value else str(_("no"))), ""
    return Truncator(str(value)).chars(VALUE_MAX_CHARACTERS), ""


def _field_changes(model, before, after, targets):
    """The fields that differ between two states; from nothing when `before` is None."""
    changes = []
    for model_field in _compared_fields(model):
        old, old_url = _shown(model_field, before, targets) if before else ("", "")
        new, new_url = _shown(model_field, after, targets)
        # A date's precision is shown with the date, so a change to either shows there.
        if (old, old_url) != (new, new_url):
            label = capfirst(
                labels.field_label(model, model_field.name) or model_field.verbose_name
            )
            changes.append(FieldChange(label, old, new, old_url, new_url))
    return changes


def _attach_new_citations(changes):
    """Give each change the public citations added to its record since the previous published
    state, up to the change (the quotes behind the new values), in one query."""
    if not changes:
        return
    by_record = {}
    for change in changes:
        by_record.setdefault((type(change.row), change.row.pk), []).append(change)
    content_types = ContentType.objects.get_for_models(*{model for model, _pk in by_record})
    supported = Q(pk__in=[])
    for model, pk in by_record:
        supported |= Q(content_type=content_types[model], object_id=pk)
    added_at = Citation.history.filter(id=OuterRef("pk"), history_type="+").order_by("history_date")
    citations = (
        public_citations()
        .filter(supported)
        .annotate(added_at=Subquery(added_at.values("history_date")[:1]))
        .order_by("added_at", "pk")
    )
    model_of = {content_type.pk: model for model, content_type in content_types.items()}
    for citation in citations:
        if citation.added_at is None:
            continue
        for change in by_record[model_of[citation.content_type_id], citation.object_id]:
            if citation.added_at <= change.date and (
                change.since is None or citation.added_at > change.since
            ):
                change.citations.append(citation)
