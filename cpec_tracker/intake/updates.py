"""Updates from the reading view: what a follow-up report adds to records the tracker holds.

A sentence (or the words selected in it) that marks a known record becomes a new outcome, a
participant, a milestone, a key figure, a status or a field value, read from the marks in the
sentence and cited by it. On a published record the update is proposed (`editing.review`):
a chief editor other than its author approves it before the public sees it. A draft is not
public, so it is changed at once.
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils.text import capfirst

from cpec_tracker.editing import review
from cpec_tracker.intake.reading import dateline_end, office_before, outside_dateline
from cpec_tracker.intake.suggestions import suggest
from cpec_tracker.records.models import Citation
from cpec_tracker.records.sentences import QuoteRequestError, sentence_offset
from cpec_tracker.records.services import citation_add

SAID = r"(?:said|says|told|stated|added|noted|announced)"
# "Amna Baloch said", "Jiang Zaidong, the ambassador, said": what follows a speaker's name.
SAID_AFTER = re.compile(r",?\s*(?:[^,.;]{1,80},\s*)?" + SAID + r"\b")
# "said Foreign Secretary Amna Baloch": what comes before it.
SAID_BEFORE = re.compile(r"\b" + SAID + r"\s+(?:[A-Z][\w.-]*\s+){0,4}$")
QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019"
# Words that join a fragment to what came before it, not the start of a sentence.
LEADING_JOINS = re.compile(r"^(?:that|and|but|while|as)\s+", re.IGNORECASE)
# The title written before a name after a comma: "the ambassador of China to Pakistan, ".
TITLE_AND_COMMA = re.compile(r"\bthe\s+([a-z][\w ]{2,80}?),\s*$")


def sentence_of(text):
    """A quote tidied into a sentence of its own: one space between words, no outer quotation
    marks or leading joining word ("that …"), a capital first letter and a final full stop.
    The citation keeps the quote exactly as the source has it."""
    text = " ".join(text.split()).strip(" ,;:\u2014\u2013-")
    previous = None
    while text != previous:
        previous = text
        text = LEADING_JOINS.sub("", text).strip(QUOTE_MARKS + " ,;:")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


@dataclass
class Marks:
    """What the suggestions marked in the quoted span (after the dateline, when the span
    names a place or date of its own)."""

    start: int
    end: int
    selected: bool
    mentions: list
    dates: list
    figures: list
    places: list
    candidates: list


def marks_of(source, index, data):
    """The marks inside the posted sentence or selection (`quote_of` has checked both)."""
    suggestions = suggest(source)
    sentence = suggestions.sentences[index]
    start, end = sentence_offset(data, "start"), sentence_offset(data, "end")
    selected = start is not None
    if not selected:
        start, end = sentence.start, sentence.end
    found = {
        name: [item for item in items if start <= item.start and item.end <= end]
        for name, items in suggestions.for_sentence(index).items()
    }
    dateline = dateline_end(source.text, sentence)
    cities = [
        m for m in found["mentions"] if m.model == "place" and m.label not in {"Pakistan", "China"}
    ]
    return Marks(
        start=start,
        end=end,
        selected=selected,
        mentions=found["mentions"],
        dates=outside_dateline(found["dates"], dateline),
        figures=found["figures"],
        places=outside_dateline(cities, dateline),
        candidates=found["candidates"],
    )


def one_marked(items, what):
    """The one marked item; a clear refusal when there is none or several."""
    if not items:
        raise QuoteRequestError(f"No {what} is marked in the quote.")
    if len(items) > 1:
        listed = ", ".join(f"“{item.text}”" for item in items)
        raise QuoteRequestError(
            f"The quote marks {len(items)} of them ({listed}): select the words of the {what} "
            "to use, then try again."
        )
    return items[0]


def speaker_of(text, marks):
    """(the official mention, the words they are reported to have said) for "X said …",
    "…, X said" or "…, said X"; (None, the quote) when no known official is quoted."""
    quote = text[marks.start : marks.end]
    for mention in marks.mentions:
        if mention.model != "meetings.official" or mention.pk is None:
            continue
        after = SAID_AFTER.match(text, mention.end, marks.end)
        before = SAID_BEFORE.search(text, marks.start, mention.start)
        if not after and not before:
            continue
        if after:
            rest = text[after.end() : marks.end]
            if rest.strip(" .") == "":
                # "…, Ms Baloch said.": what was said is before the name's clause.
                comma = text.rfind(",", marks.start, mention.start)
                return mention, text[marks.start : comma] if comma != -1 else quote
            # "Ms Baloch said (that) …": what was said follows.
            return mention, rest
        comma = text.rfind(",", marks.start, before.start())
        return mention, text[marks.start : comma] if comma != -1 else quote
    return None, quote


def title_before(text, start, mention):
    """The title the text gives just before a name: "Foreign Secretary Amna Baloch" or "the
    ambassador of China to Pakistan, Jiang Zaidong"."""
    office = office_before(text, start, mention.start)
    if office:
        return office
    found = TITLE_AND_COMMA.search(text, start, mention.start)
    return capfirst(found.group(1)) if found else ""


# Writing: proposed on a published record, at once on a draft ------------------------------


@dataclass
class Update:
    """What an update did: the pending change (a published record) or the row saved."""

    pending: object = None
    row: object = None


def part_add(*, record, row, source, quote, fields, user):
    """Add `row`, a new part of `record` (its values set, not saved), cited by `quote` for
    `fields`: proposed when `record` is published, saved at once on a draft."""
    row.full_clean()
    if review.is_reviewed(record):
        citation = Citation(
            source=source,
            content_type=ContentType.objects.get_for_model(row),
            quote=quote,
            fields=list(fields),
        )
        citation.full_clean(exclude=["object_id"])
        proposal = review.Proposal(record=record, author=user)
        proposal.add_row(row, ref="part")
        proposal.add_row(citation, links={"object_id": "part"})
        return Update(pending=proposal.save())
    with transaction.atomic():
        row._history_user = user
        row._change_reason = "Added from the reading view"
        row.save()
        citation_add(record=row, source=source, quote=quote, fields=fields, user=user)
    return Update(row=row)


def fields_set(*, record, values, source, quote, user, cited=None):
    """Set `values` ({field name: value}) on `record`, cited by `quote` for `cited` (those
    fields, when not given): proposed when `record` is published, saved at once on a draft."""
    cited = list(cited or values)
    opened = record.version
    for name, value in values.items():
        setattr(record, name, value)
    record.full_clean()
    if review.is_reviewed(record):
        citation = Citation(
            source=source,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            quote=quote,
            fields=cited,
        )
        citation.full_clean()
        proposal = review.Proposal(record=record, author=user)
        proposal.change_row(record, list(values), version=opened)
        proposal.add_row(citation)
        return Update(pending=proposal.save())
    with transaction.atomic():
        record.updated_by = user
        record._history_user = user
        record._change_reason = "Set from the reading view"
        record.save()
        citation_add(record=record, source=source, quote=quote, fields=cited, user=user)
    return Update(row=record)


def next_order(related_rows):
    """The position after the last of `related_rows` (a parent's outcomes, participants)."""
    return (related_rows.aggregate(last=Max("order"))["last"] or 0) + 1
