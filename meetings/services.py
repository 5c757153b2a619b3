"""Writes that touch several meetings tables at once."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max

from cpec_tracker.editing.review import Proposal
from cpec_tracker.records.models import Citation
from cpec_tracker.records.services import citation_add

from .models import Meeting, Outcome


def _next_outcome(meeting, text, stated_by):
    last = meeting.outcomes.aggregate(last=Max("order"))["last"]
    outcome = Outcome(meeting=meeting, order=(last or 0) + 1, text=text, stated_by=stated_by)
    outcome.full_clean()
    return outcome


def outcome_propose(*, meeting, source, quote, user, text=None, stated_by=None):
    """Propose the quote (or `text`, the quote tidied) as a published meeting's next outcome,
    cited by that quote: the pending change (a second person approves it, `editing.review`)."""
    outcome = _next_outcome(meeting, text or quote.strip(), stated_by)
    citation = Citation(
        source=source,
        content_type=ContentType.objects.get_for_model(Outcome),
        quote=quote,
        fields=["text"],
    )
    citation.full_clean(exclude=["object_id"])
    proposal = Proposal(record=meeting, author=user)
    proposal.add_row(outcome, ref="outcome")
    proposal.add_row(citation, links={"object_id": "outcome"})
    return proposal.save()


def outcome_add(*, meeting, source, quote, user, text=None, stated_by=None):
    """Add the quote (or `text`, the quote tidied) as the meeting's next outcome, cited by
    that quote; return the outcome.

    The meeting row is locked while the next position is taken, so two editors adding outcomes
    at once get consecutive positions instead of a clash.
    """
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        outcome = _next_outcome(meeting, text or quote.strip(), stated_by)
        outcome._history_user = user
        outcome._change_reason = "Added from the reading view"
        outcome.save()
        citation_add(record=outcome, source=source, quote=quote, fields=["text"], user=user)
    return outcome
