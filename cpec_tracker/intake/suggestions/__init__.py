"""Suggestions for turning an article into records: what a source's text mentions.

`suggest(source)` reads the source's text sentence by sentence and finds

- **mentions** of records the tracker already has (officials, organizations, projects,
  meetings by series and ordinal, themes, and the places meetings were held), matched on
  names, short names and aliases, tolerant of case, punctuation and titles;
- **dates**, absolute and relative, the relative ones resolved against the source's date;
- **figures** with their units;
- **candidates**: names of people, organizations and projects the tracker does not know yet;
- **financing**: a sentence naming a lender and an amount of money, proposed as a financing
  record (amounts are read by `money`, the one parser of money in news text).

Each kind has its module: `mentions` (with `names`, the name index; `offices`; `ordinals`),
`dates`, `figures` (with `money`), `candidates` and `financing`; sentences are split by
`cpec_tracker.records.sentences`.

Everything is rule-based (no model can be downloaded here); the rules are measured against
hand-labelled articles in `tests/fixtures/articles/`. It only reads: nothing is written.
The intake stands above the apps, so it imports them.

Offsets are Python string indices into the text exactly as stored, so
`text[item.start:item.end] == item.text` for every item, and a sentence's text is a quote
that `cpec_tracker.records.quotes.find_quote` accepts as it is. Name mentions never overlap one
another, but a meeting's mention contains its series' when the text names it in between
("5th JWG-ICC meeting"). Every list is in text order.
"""

import dataclasses
import datetime
import decimal
from dataclasses import dataclass
from functools import cached_property

from cpec_tracker.intake.suggestions.candidates import Candidate, find_candidates
from cpec_tracker.intake.suggestions.dates import FoundDate, find_dates
from cpec_tracker.intake.suggestions.figures import Figure, decimal_text, find_figures
from cpec_tracker.intake.suggestions.financing import FinancingProposal, find_financing
from cpec_tracker.intake.suggestions.mentions import find_mentions, load_names
from cpec_tracker.intake.suggestions.names import Mention
from cpec_tracker.intake.suggestions.offices import office_holders_on
from cpec_tracker.records.sentences import Sentence, split_sentences
from projects.models import Financing, ProjectRole, Role

# What is found in a sentence, each kind a list of `Suggestions`.
FOUND_KINDS = ("mentions", "dates", "figures", "candidates", "financing")


def _as_dict(item):
    data = dataclasses.asdict(item)
    for key, value in data.items():
        if isinstance(value, datetime.date):
            data[key] = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            data[key] = decimal_text(value)
    return data


@dataclass(frozen=True)
class Suggestions:
    """Everything found in a text, each list in text order."""

    sentences: list[Sentence]
    mentions: list[Mention]
    dates: list[FoundDate]
    figures: list[Figure]
    candidates: list[Candidate]
    financing: list[FinancingProposal]

    def for_sentence(self, index):
        """What was found in one sentence: {"mentions": [...], "dates": [...], ...}."""
        return {name: items.get(index, []) for name, items in self._by_sentence.items()}

    @cached_property
    def _by_sentence(self):
        # Grouped once: looking through every find for each sentence grows with the square
        # of a long text's length.
        grouped = {}
        for name in FOUND_KINDS:
            grouped[name] = {}
            for item in getattr(self, name):
                grouped[name].setdefault(item.sentence, []).append(item)
        return grouped

    def as_json(self):
        """Plain data (ISO dates, decimal strings) as `manage.py suggest SLUG --json` prints."""
        return {
            name: [_as_dict(item) for item in getattr(self, name)]
            for name in ("sentences", *FOUND_KINDS)
        }


def mentions_of_sources(sources):
    """{source.pk: its mentions}, the same as `suggest(source).mentions` for each, with the
    records loaded once for all of them (and offices once per publication date)."""
    if not sources:
        return {}
    known = load_names("\n".join(source.text or "" for source in sources))
    holders_on = {}
    found = {}
    for source in sources:
        if source.published_on not in holders_on:
            holders_on[source.published_on] = office_holders_on(source.published_on)
        found[source.pk] = find_mentions(
            source.text or "",
            sentences_of(source),
            source.published_on,
            known=known,
            office_holders=holders_on[source.published_on],
        )
    return found


def suggest_text(text, *, published_on=None, sentences=None):
    """Everything found in `text`; relative dates are resolved against `published_on`.
    `sentences` are the text's when already split."""
    text = text or ""
    if sentences is None:
        sentences = split_sentences(text)
    mentions = find_mentions(text, sentences, published_on)
    dates = find_dates(text, sentences, published_on)
    figures = find_figures(text, sentences, dates)
    candidates = find_candidates(text, sentences, mentions)
    financing = find_financing(text, sentences, mentions, candidates, figures, known_lenders)
    return Suggestions(sentences, mentions, dates, figures, candidates, financing)


def known_lenders():
    """The pks of the organizations the tracker records as lenders: of a financing row, or a
    project's financier."""
    lenders = Financing.objects.order_by().values_list("lender_id", flat=True)
    financiers = ProjectRole.objects.filter(role=Role.FINANCIER).order_by()
    return lenders.union(financiers.values_list("organization_id", flat=True))


def suggest(source):
    """Suggestions for a source, matched against every record (drafts too: it is an
    editors' tool)."""
    return suggest_text(
        source.text, published_on=source.published_on, sentences=sentences_of(source)
    )


def sentences_of(source):
    """The source's sentences: as stored with it (`Source.sentence_spans`), split again only
    when they were stored for another text."""
    text = source.text or ""
    spans = source.stored_sentences()
    if spans is None:
        return split_sentences(text)
    return [
        Sentence(index, start, end, text[start:end]) for index, (start, end) in enumerate(spans)
    ]


__all__ = [
    "Candidate",
    "Figure",
    "FinancingProposal",
    "FoundDate",
    "Mention",
    "Sentence",
    "Suggestions",
    "mentions_of_sources",
    "sentences_of",
    "split_sentences",
    "suggest",
    "suggest_text",
]
