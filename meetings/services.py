"""Writes that touch several meetings tables at once."""

from django.db import transaction
from django.db.models import Max

from cpec_tracker.records.services import citation_add

from .models import Meeting, Outcome


def outcome_add(*, meeting, source, quote, user):
    """Add the quote as the meeting's next outcome, cited by that quote; return the outcome.

    The meeting row is locked while the next position is taken, so two editors adding outcomes
    at once get consecutive positions instead of a clash.
    """
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        last = meeting.outcomes.aggregate(last=Max("order"))["last"]
        outcome = Outcome(meeting=meeting, order=(last or 0) + 1, text=quote.strip())
        outcome.full_clean()
        outcome._history_user = user
        outcome._change_reason = "Added from the reading view"
        outcome.save()
        citation_add(record=outcome, source=source, quote=quote, fields=["text"], user=user)
    return outcome
