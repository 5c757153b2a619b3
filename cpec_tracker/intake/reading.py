"""The admin's reading view of a source: its sentences with what the suggestions found in them,
the records a sentence can be cited for, and drafts of new records started from a sentence.

Everything here reads; citing goes through `services.citation_add`.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, slugify

from cpec_tracker.intake.suggestions import suggest
from cpec_tracker.intake.suggestions.names import NOT_OFFICE_WORDS
from cpec_tracker.intake.suggestions.ordinals import ORDINAL, ordinal_text, ordinal_value
from cpec_tracker.records import registry
from cpec_tracker.records.citations import record_prefetch
from cpec_tracker.records.duplicates import similar_records
from cpec_tracker.records.models import (
    Organization,
    OrganizationKind,
    citable_fields,
    citable_models,
)
from cpec_tracker.records.quotes import find_quote
from meetings.models import Meeting, Official
from projects.models import FinancingStatus, Instrument, Project, decimal_display

# What each kind of highlight is called in the legend; the page styles each differently
# (underline, box, outline…) and names it in hidden text too, so colour is never the only cue.
HIGHLIGHT_KINDS = {
    "mention": "Known record",
    "place": "Place",
    "date": "Date",
    "figure": "Figure",
    "candidate": "Not in the tracker yet",
}
# Bodies a meeting can be a session of.
SERIES_KINDS = {OrganizationKind.WORKING_GROUP, OrganizationKind.COMMITTEE}
CO_CHAIR = re.compile(r"co-?chair", re.IGNORECASE)
# The capitalised words right before a name: "… by Foreign Secretary " → "Foreign Secretary".
TITLE_BEFORE_NAME = re.compile(r"((?:[A-Z][\w-]*\s+)+)$")
# "the fifth JWG-ICC meeting": the ordinal of a meeting named in a quote (a series' name of
# up to three words in between).
ORDINAL_MEETING = re.compile(ORDINAL.pattern + r"\s+(?:[\w-]+\s+){0,3}?meeting\b", re.IGNORECASE)


def record_key(record_or_model, pk=None):
    """ "meetings.meeting:12": how the page and the endpoint name a record."""
    if pk is None:
        return f"{record_or_model._meta.label_lower}:{record_or_model.pk}"
    return f"{record_or_model}:{pk}"


def citable_models_by_label():
    """{"meetings.meeting": Meeting, …}: the floor's `citable_models()` by the label a record
    key holds."""
    return {model._meta.label_lower: model for model in citable_models()}


def record_for_key(key):
    """The record a key names, or None for a malformed key or a missing row."""
    label, _, pk = str(key).partition(":")
    model = citable_models_by_label().get(label)
    if model is None or not pk.isdigit():
        return None
    return model._default_manager.filter(pk=pk).first()


def fields_by_model():
    """{model label: {"name": "meeting", "fields": [[name, label], …]}} for the page's script."""
    return {
        label: {
            "name": str(model._meta.verbose_name),
            "fields": [list(pair) for pair in citable_fields(model._meta)],
        }
        for label, model in citable_models_by_label().items()
    }


def record_option(record):
    model = record._meta
    return {
        "key": record_key(record),
        "label": str(record),
        "model": model.label_lower,
        "kind": str(model.verbose_name),
    }


@dataclass
class ReadingSentence:
    index: int
    start: int
    end: int
    text: str
    html: str
    offers: list = field(default_factory=list)  # record keys mentioned in this sentence
    cited: int = 0  # citations from this source whose quote lies in this sentence
    has_candidates: bool = False
    # Financing the sentence proposes, in words: "China Development Bank: 1,500,000,000 USD
    # (loan, pledged)"; the editor adds it with "Add financing" on the project.
    financing: list = field(default_factory=list)


@dataclass
class Reading:
    source: object
    suggestions: object
    sentences: list
    records: dict  # key → record_option(...), for every record offered on the page
    from_source: list  # keys of the records cited from this source, in the order first cited
    # Keys of the child rows (outcomes, participations, milestones…) of the records the text
    # mentions or cites: offered to cite for, but not cited from this source.
    parts: list
    # The source's own key: a source is published only with a citation of its own (its
    # title, publisher or date, quoted from its text), offered on every sentence.
    itself: str = ""


def reading_of(source):
    """The source's sentences, highlighted, with the records each can be cited for."""
    suggestions = suggest(source)
    records = {}
    mentioned = _mentioned_records(suggestions)
    for record in mentioned.values():
        records[record_key(record)] = record_option(record)
    cited_records, quotes = _cited_from(source)
    from_source = []
    for record in cited_records:
        from_source.append(record_key(record))
        records.setdefault(record_key(record), record_option(record))
    parts = []
    for record in _children_of([*cited_records, *mentioned.values()]):
        key = record_key(record)
        records.setdefault(key, record_option(record))
        if key not in from_source and key not in parts:
            parts.append(key)
    spans = [find_quote(source.text, quote) for quote in quotes]
    sentences = []
    for sentence in suggestions.sentences:
        found = suggestions.for_sentence(sentence.index)
        offers = []
        for mention in found["mentions"]:
            key = f"{mention.model}:{mention.pk}"
            if mention.pk is not None and key in records and key not in offers:
                offers.append(key)
        sentences.append(
            ReadingSentence(
                index=sentence.index,
                start=sentence.start,
                end=sentence.end,
                text=sentence.text,
                html=highlighted_sentence(source.text, sentence, found),
                offers=offers,
                cited=sum(
                    1
                    for span in spans
                    if span and span[0] < sentence.end and span[1] > sentence.start
                ),
                has_candidates=bool(found["candidates"]),
                financing=[financing_summary(proposal) for proposal in found["financing"]],
            )
        )
    itself = record_key(source)
    records.setdefault(itself, record_option(source))
    return Reading(source, suggestions, sentences, records, from_source, parts, itself)


def financing_summary(proposal):
    """A financing proposal in words: "China Development Bank: 1,500,000,000 USD (loan,
    pledged)"; a lender the tracker does not know yet is marked so."""
    lender = proposal.lender if proposal.lender_pk else f"{proposal.lender} (not in the tracker)"
    usd = (
        f", {decimal_display(proposal.amount_usd)} USD as stated"
        if proposal.amount_usd is not None and proposal.currency != "USD"
        else ""
    )
    terms = f"{Instrument(proposal.instrument).label}, {FinancingStatus(proposal.status).label}"
    return (
        f"{lender}: {decimal_display(proposal.amount)} {proposal.currency}{usd} ({terms.lower()})"
    )


def _mentioned_records(suggestions):
    """{key: record} for every known record the text mentions, read with one query a model."""
    models = citable_models_by_label()
    wanted = {}
    for mention in suggestions.mentions:
        if mention.pk is not None and mention.model in models:
            wanted.setdefault(mention.model, set()).add(mention.pk)
    found = {}
    for label, pks in wanted.items():
        model = models[label]
        for record in model._default_manager.select_related(*model.public_through).filter(
            pk__in=pks
        ):
            found[record_key(record)] = record
    return found


def _cited_from(source):
    """The records cited from `source` (in the order first cited) and every quote from it."""
    citations = list(source.quotes.order_by("id").prefetch_related(record_prefetch()))
    records, seen = [], set()
    for citation in citations:
        record = citation.record
        if record is not None and record_key(record) not in seen:
            seen.add(record_key(record))
            records.append(record)
    return records, [citation.quote for citation in citations]


def _children_of(parents):
    """Child rows (participations, outcomes, milestones…) of the given records, one query a
    relation: a child row is offered under the record it belongs to first (its first
    `public_through` link), so an official does not bring every meeting they attended."""
    by_model = {}
    for parent in parents:
        by_model.setdefault(type(parent), []).append(parent.pk)
    children = []
    for model in citable_models():
        if not model.public_through:
            continue
        link = model._meta.get_field(model.public_through[0])
        pks = by_model.get(link.related_model)
        if pks:
            rows = model._default_manager.select_related(*model.public_through)
            children.extend(rows.filter(**{f"{link.name}__in": pks})[:200])
    return children


def admin_url(model_label, pk):
    """The admin change page of the record `model_label`:`pk` ("meetings.meeting", 12)."""
    app_label, model_name = model_label.split(".")
    try:
        return reverse(f"admin:{app_label}_{model_name}_change", args=[pk])
    except NoReverseMatch:  # a kind the admin does not edit
        return ""


def highlighted_sentence(text, sentence, found):
    """The sentence as HTML, each suggestion in a <mark> styled and named by its kind; a known
    record's mark links to its admin page."""
    items = []
    for mention in found["mentions"]:
        kind = "place" if mention.model == "place" else "mention"
        link = admin_url(mention.model, mention.pk) if kind == "mention" and mention.pk else ""
        items.append((mention.start, mention.end, kind, mention.label, link))
    for date in found["dates"]:
        title = f"{date.value.isoformat()} ({date.precision})"
        items.append((date.start, date.end, "date", title, ""))
    for figure in found["figures"]:
        items.append((figure.start, figure.end, "figure", f"{figure.value} {figure.unit}", ""))
    for candidate in found["candidates"]:
        title = f"{candidate.kind}: {candidate.name}"
        items.append((candidate.start, candidate.end, "candidate", title, ""))
    # Overlapping finds: the one starting first (the longer, at the same start) is shown.
    items.sort(key=lambda item: (item[0], item[0] - item[1]))
    parts, position = [], sentence.start
    for start, end, kind, title, link in items:
        if start < position or end > sentence.end:
            continue
        parts.append(escape(text[position:start]))
        words = text[start:end]
        if link:
            words = format_html('<a class="record-link" href="{}">{}</a>', link, words)
        parts.append(
            format_html(
                '<mark class="hl hl-{}" title="{}">{}<span class="visually-hidden"> ({})</span>'
                "</mark>",
                kind,
                title,
                words,
                HIGHLIGHT_KINDS[kind].lower(),
            )
        )
        position = end
    parts.append(escape(text[position : sentence.end]))
    return mark_safe("".join(parts))


# Drafts started from a sentence -----------------------------------------------------------


def _span(sentence, start, end):
    """The quote: the selected span inside the sentence, or the whole sentence."""
    if start is not None and end is not None and sentence.start <= start < end <= sentence.end:
        return start, end
    return sentence.start, sentence.end


def office_before(text, sentence_start, start):
    """The title written just before a name in the sentence: "Foreign Secretary"."""
    found = TITLE_BEFORE_NAME.search(text[sentence_start:start])
    if not found:
        return ""
    words = found.group(1).split()
    while words and words[0].lower() in NOT_OFFICE_WORDS:
        words.pop(0)
    return " ".join(words)


# A dateline opening a story, "ISLAMABAD:" or "BEIJING, Dec 30 —": where the story was filed
# and when, not (unless the sentence says nothing else) where or when its events happened.
DATELINE = re.compile(
    r"\s*(?:date\s+\S+\s+)?[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+)*(?:,[^:\u2014\n]{0,30})?"
    r"\s*(?::|\u2014|\u2013|--)\s"
)
# A name is at most this long: a longer selection is a sentence, never a record's name.
LONGEST_NAME = 120


def dateline_end(text, sentence):
    """Where the sentence's dateline ends (its start when it has none)."""
    found = DATELINE.match(text, sentence.start, sentence.end)
    return found.end() if found else sentence.start


def outside_dateline(items, dateline):
    """The items after the dateline, or (when there are none) the dateline's own."""
    after = [item for item in items if item.start >= dateline]
    return after or items


@dataclass
class Draft:
    """A new record drawn from a sentence: the add form's query and the records it may
    duplicate ("Did you mean …?"), as [(label, admin address)]."""

    query: str
    name: str
    known: list


def draft_prefill(kind, source, suggestions, index, start=None, end=None, *, create=False):
    """The `Draft` of a new `kind` record from a sentence: the add form's query (the fields
    read from it, the inline rows, the citation) and the known records it may duplicate.
    `create`: the editor chose to create it all the same."""
    sentence = suggestions.sentences[index]
    selected = (start, end) != (None, None) and _span(sentence, start, end) != _span(
        sentence, None, None
    )
    start, end = _span(sentence, start, end)
    dateline = dateline_end(source.text, sentence)
    found = {
        name: [item for item in items if item.start >= start and item.end <= end]
        for name, items in suggestions.for_sentence(index).items()
    }
    found["dates"] = outside_dateline(found["dates"], dateline)
    quote = source.text[start:end].strip()
    params, cited, name, known = _DRAFTS[kind](source, sentence, found, quote if selected else "")
    if create and name:
        params.append(("confirm_new_name", "on"))
    # The quote goes by its place in the text, not its words: a long sentence in Urdu would
    # not fit in an address, and the add form takes it from the source exactly as it stands.
    params = [
        *params,
        ("cite_source", source.pk),
        ("cite_sentence", index),
        *([("cite_start", start), ("cite_end", end)] if selected else []),
        *(("cite_fields", name) for name in cited),
    ]
    query = urlencode([(name, value) for name, value in params if value not in (None, "")])
    return Draft(query=query, name=name, known=known)


def _selected_name(selection):
    """The selected words as a name, when they can be one (not a sentence)."""
    name = " ".join(selection.split()).strip(" ,.;:\"'\u201c\u201d\u2018\u2019")
    return name if name and len(name) <= LONGEST_NAME else ""


def _known_mentions(found, model_label):
    """[(label, admin address)] of the known records of `model_label` marked in the span."""
    known = {}
    for mention in found["mentions"]:
        if mention.model == model_label and mention.pk is not None:
            known.setdefault(mention.pk, (mention.label, admin_url(mention.model, mention.pk)))
    return list(known.values())


def _similar(model, name):
    """[(label, admin address)] of the records whose name or an alias is close to `name`."""
    label = model._meta.label_lower
    return [
        (
            str(item.record)
            if item.name == str(item.record)
            else f"{item.record} (as “{item.name}”)",
            admin_url(label, item.record.pk),
        )
        for item in similar_records(model, name)
    ]


def _meeting_draft(source, sentence, found, selection):
    mentions = found["mentions"]
    body_pks = [m.pk for m in mentions if m.model == "cpec_tracker.organization"]
    body = (
        Organization.objects.filter(pk__in=body_pks, kind__in=SERIES_KINDS).first()
        if body_pks
        else None
    )
    number = None
    for mention in mentions:
        ordinal = ORDINAL.match(mention.text)
        if mention.model == "meetings.meeting" and ordinal:
            number = ordinal_value(ordinal)
    quote = source.text[sentence.start : sentence.end] if not selection else selection
    if number is None:
        ordinal = ORDINAL_MEETING.search(quote)
        number = ordinal_value(ordinal) if ordinal else None
    dateline = dateline_end(source.text, sentence)
    places = [m.label for m in outside_dateline(_cities(mentions), dateline)]
    date = found["dates"][0] if found["dates"] else None
    series = (body.short_name or body.name) if body else ""
    words = [ordinal_text(number) if number else "", series, "meeting"]
    title = capfirst(" ".join(word for word in words if word))
    params = [
        ("title", title),
        ("slug", slugify(f"{series} {ordinal_text(number)} meeting" if number else title)),
        ("kind", "working_group_session" if body else "bilateral_meeting"),
        ("body", body.pk if body else None),
        ("sequence_number", number),
        ("date", date.value.isoformat() if date else None),
        ("date_precision", date.precision if date else None),
        ("city", places[0] if places else ""),
    ]
    co_chaired = bool(CO_CHAIR.search(quote))
    for mention in mentions:
        if mention.model == "meetings.official":
            office = office_before(source.text, sentence.start, mention.start)
            role = "co_chair" if co_chaired else "participant"
            params.append(("participant", f"{mention.pk}|{role}|{office}"))
    cited = [
        name
        for name, value in [
            ("body", body),
            ("sequence_number", number),
            ("date", date),
            ("city", places),
        ]
        if value
    ]
    known = _known_mentions(found, "meetings.meeting")
    if not known and body and number:
        known = [
            (str(meeting), admin_url("meetings.meeting", meeting.pk))
            for meeting in Meeting.objects.filter(body=body, sequence_number=number)[:5]
        ]
    return params, cited, title, known


def _cities(mentions):
    # Country names are places too; a city is a place that is not one of the two.
    return [m for m in mentions if m.model == "place" and m.label not in {"Pakistan", "China"}]


def _official_draft(source, sentence, found, selection):
    people = [c for c in found["candidates"] if c.kind == "person"]
    person = people[0] if people else None
    name = person.name if person else _selected_name(selection)
    params = [("name", name[:200]), ("slug", slugify(name)[:120])]
    if person and person.office:
        params.append(("office", person.office))
    known = _similar(Official, name) if name else _known_mentions(found, "meetings.official")
    return params, ["name"] if name else [], name, known


def _project_draft(source, sentence, found, selection):
    projects = [c for c in found["candidates"] if c.kind == "project"]
    title = projects[0].name if projects else _selected_name(selection)
    params = [("title", title[:300]), ("slug", slugify(title)[:120])]
    known = _similar(Project, title) if title else _known_mentions(found, "projects.project")
    return params, ["title"] if title else [], title, known


# The kinds the reading view drafts from a sentence, by model name.
_DRAFTS = {"meeting": _meeting_draft, "official": _official_draft, "project": _project_draft}


def draft_kinds():
    """{model name: model label} of the kinds the reading view drafts, as the site lists them:
    {"meeting": "meetings.meeting", …}."""
    return {
        kind.model_name: kind.model._meta.label_lower
        for kind in registry.listed()
        if kind.model_name in _DRAFTS
    }
