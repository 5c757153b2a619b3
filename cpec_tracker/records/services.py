"""Writes that go beyond one form: publishing and unpublishing records, adding citations."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from cpec_tracker.editing.models import ChangeAction
from cpec_tracker.records.models import Citation, PublicationStatus, Source

NO_CITATION = (
    "it has no citation yet. A record is published only with at least one citation "
    "(a source and the quote from it); add one, then publish it."
)
SOURCE_NOT_CITED = (
    "the {count} citations it supplies support other records, but none supports the source "
    "record itself. Add one on its page (a quote from its own text for its title, publisher "
    "or date), then publish it."
)


def publication_problems(record):
    """What `record` lacks to be published, in words: [] when it may be."""
    if record.citations.exists():
        return []
    if isinstance(record, Source):
        supplied = Citation.objects.filter(source=record).count()
        if supplied:
            return [SOURCE_NOT_CITED.format(count=supplied)]
    return [NO_CITATION]


@dataclass
class PublicationResult:
    """What a publish or unpublish did, record by record."""

    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    # (record, reason) for each record that was left as it was.
    refused: list = field(default_factory=list)
    # The pending changes proposed, for records the user may not publish or unpublish alone.
    proposed: list = field(default_factory=list)


def records_publish(*, records, user):
    """Publish every draft in the `records` queryset that has a citation and that `user` did
    not write; propose publishing those they did (a second person approves); refuse the
    others, saying what each lacks."""
    from cpec_tracker.editing.review import Proposal, contributors  # the review builds on this

    result = PublicationResult()
    with transaction.atomic():
        for record in _locked(records):
            problems = [] if record.is_published else publication_problems(record)
            if record.is_published:
                result.unchanged.append(record)
            elif problems:
                result.refused.append((record, " ".join(problems)))
            elif user.pk in contributors(record):
                proposal = Proposal(record=record, author=user, action=ChangeAction.PUBLISH)
                result.proposed.append(proposal.save())
            else:
                _set_status(record, PublicationStatus.PUBLISHED, user, "Published")
                result.changed.append(record)
    return result


def records_unpublish(*, records, user):
    """Propose turning every published record in the `records` queryset back into a draft:
    taking a record off the public site is a change to what the public sees, and is
    approved by a second person like any other."""
    from cpec_tracker.editing.review import Proposal

    result = PublicationResult()
    with transaction.atomic():
        for record in _locked(records):
            if not record.is_published:
                result.unchanged.append(record)
            else:
                proposal = Proposal(record=record, author=user, action=ChangeAction.UNPUBLISH)
                result.proposed.append(proposal.save())
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


def citation_verified(*, record, source, quote, fields=(), note=""):
    """An unsaved citation of `quote` of `source` for `record`, checked as every citation is
    (the quote is in the source, the fields are the record's); raises ValidationError."""
    citation = Citation(
        source=source,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        quote=quote,
        fields=list(fields),
        note=note,
    )
    citation.full_clean()
    return citation


def citation_add(*, record, source, quote, fields=(), note="", user):
    """Attach a verified citation to `record`; return (citation, created).

    It adds a row and changes none: whatever a colleague saved meanwhile, on the record or its
    other citations, stays. The same quote for the same fields is not added twice (a second
    click returns the first citation). Raises ValidationError, writing nothing, when the quote
    is not in the source or a field is not one of the record's.
    """
    citation = citation_verified(
        record=record, source=source, quote=quote, fields=fields, note=note
    )
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
