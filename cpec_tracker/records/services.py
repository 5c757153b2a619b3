"""Writes that go beyond one form: publishing and unpublishing records, adding citations."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from cpec_tracker.records.models import Citation, PublicationStatus

NO_CITATION = (
    "it has no citation yet. A record is published only with at least one citation "
    "(a source and the quote from it); add one, then publish it."
)


@dataclass
class PublicationResult:
    """What a publish or unpublish did, record by record."""

    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    # (record, reason) for each record that was left as it was.
    refused: list = field(default_factory=list)


def records_publish(*, records, user):
    """Publish every draft in the `records` queryset that has a citation; refuse the others."""
    result = PublicationResult()
    with transaction.atomic():
        records = _locked(records)
        cited = set(records.cited().values_list("pk", flat=True))
        for record in records:
            if record.is_published:
                result.unchanged.append(record)
            elif record.pk not in cited:
                result.refused.append((record, NO_CITATION))
            else:
                _set_status(record, PublicationStatus.PUBLISHED, user, "Published")
                result.changed.append(record)
    return result


def records_unpublish(*, records, user):
    """Turn every published record in the `records` queryset back into a draft."""
    result = PublicationResult()
    with transaction.atomic():
        for record in _locked(records):
            if not record.is_published:
                result.unchanged.append(record)
            else:
                _set_status(record, PublicationStatus.DRAFT, user, "Unpublished")
                result.changed.append(record)
    return result


def _locked(records):
    # Re-select by key: the admin's queryset may carry joins or DISTINCT that FOR UPDATE refuses.
    pks = list(records.values_list("pk", flat=True))
    return records.model._default_manager.filter(pk__in=pks).select_for_update()


def _set_status(record, status, user, reason):
    record.publication_status = status
    record.updated_by = user
    # Read by django-simple-history for the history row this save writes.
    record._history_user = user
    record._change_reason = reason
    record.save()


def citation_add(*, record, source, quote, fields=(), note="", user):
    """Attach a verified citation to `record`; return (citation, created).

    It adds a row and changes none: whatever a colleague saved meanwhile, on the record or its
    other citations, stays. The same quote for the same fields is not added twice (a second
    click returns the first citation). Raises ValidationError, writing nothing, when the quote
    is not in the source or a field is not one of the record's.
    """
    citation = Citation(
        source=source,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        quote=quote,
        fields=list(fields),
        note=note,
    )
    citation.full_clean()
    with transaction.atomic():
        existing = Citation.objects.filter(
            source=source,
            content_type=citation.content_type,
            object_id=record.pk,
            quote=citation.quote,
            fields=citation.fields,
        ).first()
        if existing is not None:
            return existing, False
        # Read by django-simple-history for the history row this save writes.
        citation._history_user = user
        citation._change_reason = "Cited from the reading view"
        citation.save()
    return citation, True
