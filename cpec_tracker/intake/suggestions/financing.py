"""Financing in a text: a sentence that names a lender and an amount of money, and speaks of
lending, granting or investing it, proposes a financing record ("The China Development Bank
will lend $1.5 billion for the ML-1 railway upgrade.").

The lender is an organization the tracker knows (a known lender, or one whose name says it
lends: a bank, a fund, an export credit insurer) or a candidate of that kind. The instrument
and the status are read only from the sentence's explicit words; terms (rate, maturity, dates)
are never proposed: an editor adds them from a source that states them.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from cpec_tracker.intake.suggestions.money import is_currency

# Words that speak of money lent, given or invested, not merely spent or earned.
FINANCING_WORDS = re.compile(
    r"\b(?:lend|lends|lent|lending|lender|loans?|financ\w*|fund(?:s|ed|ing)?|grants?|granted"
    r"|credits?|invest\w*|equity|disburs\w*|pledg\w*|commit\w*|facility|financier)\b",
    re.IGNORECASE,
)
# An organization whose name says it lends or invests.
LENDER_NAME = re.compile(
    r"\b(?:bank|exim|fund|sinosure|credit|insurance|investment corporation)\b", re.IGNORECASE
)
# The instrument, from explicit words only, the most specific first; a plain "loan" or "lend"
# is a loan whose terms the sentence does not state.
INSTRUMENT_WORDS = [
    (r"interest[- ]free", "interest_free_loan"),
    (r"concessional|concessionary|soft loan", "concessional_loan"),
    (r"commercial loan|syndicated loan", "commercial_loan"),
    (r"export credit", "export_credit"),
    (r"buyer['’]?s['’]? credit|supplier['’]?s['’]? credit", "buyers_suppliers_credit"),
    (r"\bgrants?\b|\bgranted\b", "grant"),
    (r"\bequity\b", "equity"),
    (r"\bloans?\b|\blend|\blent\b", "loan"),
]
STATUS_WORDS = [
    (r"\bcancel\w*|\bwithdr[ae]w\w*|\bscrapped\b|\bshelved\b", "cancelled"),
    (r"\bdisburs\w*|\breleased\b|\bpaid out\b", "disbursed"),
    (r"\bsigned\b|\bsigning\b|\binked\b|\bagreed\b|\bapproved\b|\bcommitted\b", "committed"),
]
# Proposed when the words say neither: a sentence reporting an amount promises it at least;
# the editor confirms or changes it.
DEFAULT_STATUS = "pledged"
# "1.5 billion yuan ($210 million)": the source's own amount in US dollars, in brackets.
USD_IN_BRACKETS = re.compile(
    r"\s*\(\s*(?:about|around|roughly|some|approximately|nearly|over|~)?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class FinancingProposal:
    """A financing record proposed from a sentence: lender, amount, currency, instrument."""

    sentence: int
    start: int  # from the lender's name to the amount, whichever comes first
    end: int
    text: str
    lender: str  # the lender's name as the tracker has it, or as written for a candidate
    lender_pk: int | None  # None: an organization the tracker does not know yet
    amount: Decimal
    currency: str
    amount_text: str
    amount_usd: Decimal | None  # only as the sentence states it
    instrument: str
    status: str
    project_pk: int | None  # the project the sentence names, when it names one


def instrument_of(words):
    """The instrument the words name explicitly, else "other"."""
    for pattern, instrument in INSTRUMENT_WORDS:
        if re.search(pattern, words, re.IGNORECASE):
            return instrument
    return "other"


def status_of(words):
    """The status the words state ("signed" → committed), else pledged."""
    for pattern, status in STATUS_WORDS:
        if re.search(pattern, words, re.IGNORECASE):
            return status
    return DEFAULT_STATUS


def lender_name(item):
    """The name of a lender found in a text: a known organization's, or a candidate's."""
    return item.label if hasattr(item, "label") else item.name


def lenders_in(mentions, candidates, known_lenders):
    """The organizations found that may be lenders, in text order: known lenders and known
    organizations whose name says they lend (`Mention`s), and candidates of that kind."""
    found = [
        mention
        for mention in mentions
        if mention.model == "cpec_tracker.organization"
        and mention.pk is not None
        and (mention.pk in known_lenders or LENDER_NAME.search(mention.label))
    ]
    found += [
        candidate
        for candidate in candidates
        if candidate.kind == "organization" and LENDER_NAME.search(candidate.name)
    ]
    return sorted(found, key=lambda lender: lender.start)


def amounts_lent(text, figures):
    """The amounts of money among `figures`, without the US dollar equivalents the text gives
    in brackets after another amount ("1.5 billion yuan ($210 million)")."""
    amounts = [figure for figure in figures if is_currency(figure.unit)]
    equivalents = {id(usd) for amount in amounts if (usd := usd_stated(text, amount, amounts))}
    return [amount for amount in amounts if id(amount) not in equivalents]


def usd_stated(text, amount, amounts):
    """The amount in US dollars the text states in brackets right after `amount`, or None."""
    following = [other for other in amounts if other.start >= amount.end]
    if amount.unit == "USD" or not following or following[0].unit != "USD":
        return None
    usd = following[0]
    closed = text[usd.end : usd.end + 3].lstrip().startswith(")")
    if closed and USD_IN_BRACKETS.fullmatch(text[amount.end : usd.start]):
        return usd
    return None


def proposal_of(text, sentence, lender, amount, figures, projects):
    """The proposal for `lender` and `amount` (one of `figures`), its instrument and status
    read from `sentence`'s words."""
    usd = amount if amount.unit == "USD" else usd_stated(text, amount, figures)
    start, end = min(lender.start, amount.start), max(lender.end, amount.end)
    return FinancingProposal(
        sentence=sentence.index,
        start=start,
        end=end,
        text=text[start:end],
        lender=lender_name(lender),
        lender_pk=getattr(lender, "pk", None),
        amount=amount.value,
        currency=amount.unit,
        amount_text=amount.text,
        amount_usd=usd.value if usd else None,
        instrument=instrument_of(sentence.text),
        status=status_of(sentence.text),
        project_pk=projects[0].pk if projects else None,
    )


def find_financing(text, sentences, mentions, candidates, figures, known_lenders=lambda: ()):
    """A `FinancingProposal` for each sentence with an amount of money, a lender and words of
    financing: the first amount, and the lender nearest it. `known_lenders` returns the pks of
    the organizations the tracker records as lenders; it is called (a query) only when a
    sentence needs it."""
    by_sentence = {}
    for name, items in (("mentions", mentions), ("candidates", candidates), ("figures", figures)):
        for item in items:
            by_sentence.setdefault(item.sentence, {}).setdefault(name, []).append(item)
    lender_pks = None
    proposals = []
    for sentence in sentences:
        found = by_sentence.get(sentence.index, {})
        sentence_figures = found.get("figures", [])
        amounts = amounts_lent(text, sentence_figures)
        if not amounts or not FINANCING_WORDS.search(sentence.text):
            continue
        sentence_mentions = found.get("mentions", [])
        if lender_pks is None and any(
            mention.model == "cpec_tracker.organization" for mention in sentence_mentions
        ):
            lender_pks = set(known_lenders())
        lenders = lenders_in(sentence_mentions, found.get("candidates", []), lender_pks or ())
        if not lenders:
            continue
        amount = amounts[0]
        lender = min(lenders, key=lambda item: _distance(item, amount))
        projects = [m for m in sentence_mentions if m.model == "projects.project" and m.pk]
        proposals.append(proposal_of(text, sentence, lender, amount, sentence_figures, projects))
    return proposals


def _distance(one, other):
    return max(one.start - other.end, other.start - one.end, 0)
