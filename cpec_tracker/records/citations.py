"""Showing citations: numbered footnotes on record pages, highlighted quotes on source pages.

Only citations a visitor may see are shown: their source is published and the row they
support is public (`Citable.is_public`).
"""

import unicodedata
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from cpec_tracker.records.labels import cited_field_labels
from cpec_tracker.records.models import Citable, Citation, citable_models, published_through
from cpec_tracker.records.quotes import find_quote, fold


def public_citations():
    """Citations whose source is published, with the source loaded."""
    return Citation.objects.filter(published_through("source")).select_related("source")


def citations_prefetch(lookup="citations"):
    """A Prefetch for `lookup` (a path ending in a `citations` relation) loading public ones."""
    return Prefetch(lookup, queryset=public_citations())


def cited_rows(record):
    """The record and the rows of its `cited_parts`, in page order: what its footnotes number."""
    return [record, *(row for part in record.cited_parts for row in getattr(record, part).all())]


def load_citations(records):
    """Give each record, and the rows of its `cited_parts` (loaded by its selector's
    prefetches), their public citations: one query for all of them.

    A `citations_prefetch()` per kind of row is a query each, and building a query costs more
    than running it: a project's detail spent a fifth of its time on four of them. Called where
    a detail's records are read (`get_object` of the pages and the API, /data/'s JSON Lines a
    chunk at a time); rows whose citations are loaded already are not read again.
    """
    rows = [row for record in records for row in cited_rows(record)]
    prefetch_related_objects(rows, citations_prefetch())


def record_prefetch():
    """A GenericPrefetch loading each citation's record with what decides whether it is public."""
    querysets = [
        model._default_manager.select_related(*model.public_through) for model in citable_models()
    ]
    return GenericPrefetch("record", querysets)


# Two quotes of one source are one footnote when one holds the other and is at least this
# share of its length: the same passage cited again with a word more or less.
NEAR_IDENTICAL_SHARE = 0.75


def folded_quote(quote):
    """A quote as compared for footnotes: folded (quotes.fold), without case or the
    punctuation and spaces at its ends."""
    return fold(quote).casefold().strip(" .,;:!?\"'—–-")


def near_identical(quote, other):
    shorter, longer = sorted((quote, other), key=len)
    return (
        bool(shorter) and shorter in longer and len(shorter) >= NEAR_IDENTICAL_SHARE * len(longer)
    )


class Footnote:
    """One passage of a source cited on a page: one number however many of the page's rows
    cite it, and however many times with nearly the same words."""

    def __init__(self, footnotes, citation):
        self.footnotes = footnotes
        self.citations = [citation]
        self.folded_quote = folded_quote(citation.quote)

    @property
    def number(self):
        """Its number on the page, given the first time the page shows it (reading order)."""
        return self.footnotes.number_of(self)

    @property
    def citation(self):
        """The citation shown for the passage: the one quoting the most of it."""
        return max(self.citations, key=lambda citation: len(citation.quote))

    @property
    def source(self):
        return self.citation.source

    @property
    def fields(self):
        """The fields the passage supports on the page, each once, in the citations' order."""
        return list(dict.fromkeys(name for c in self.citations for name in c.fields or []))

    @property
    def field_labels(self):
        return list(dict.fromkeys(label for c in self.citations for label in cited_field_labels(c)))

    @property
    def notes(self):
        """The editors' notes on the citations, each once."""
        return list(dict.fromkeys(c.note for c in self.citations if c.note))

    def get_absolute_url(self):
        return self.citation.get_absolute_url()


class Footnotes:
    """A page's footnotes: one per distinct passage cited, numbered in reading order.

    `Footnotes(rows)` gives each row a `footnotes` list of (footnote, citation) for its
    markers. A footnote takes its number the first time the page shows a marker for it, so
    the numbers run in the order the template places them, whatever the order of the rows
    here; `notes` lists them by number at the bottom of the page, after any the page had no
    marker for. Citations of one source quoting the same or nearly the same words (one fact
    cited three times, two participants named by one sentence) share one footnote.
    """

    def __init__(self, rows=()):
        self.by_source = {}  # source id: [Footnote], in the order first cited
        self.cited = []  # every Footnote, in the order first cited
        self.numbers = {}  # Footnote: its number, in number order
        self.attach(*rows)

    def attach(self, *rows):
        for row in rows:
            row.footnotes = [
                (self.footnote_for(citation), citation) for citation in row.citations.all()
            ]
        return self

    def footnote_for(self, citation):
        quote = folded_quote(citation.quote)
        same_source = self.by_source.setdefault(citation.source_id, [])
        for footnote in same_source:
            if near_identical(quote, footnote.folded_quote):
                footnote.citations.append(citation)
                return footnote
        footnote = Footnote(self, citation)
        same_source.append(footnote)
        self.cited.append(footnote)
        return footnote

    def number_of(self, footnote):
        return self.numbers.setdefault(footnote, len(self.numbers) + 1)

    @property
    def notes(self):
        """Every footnote in number order (numbering those the page showed no marker for)."""
        for footnote in self.cited:
            self.number_of(footnote)
        return list(self.numbers)


@dataclass
class QuoteGroup:
    """One quote of the text and the citations that quote exactly those words: one highlight.

    Different quotes are different highlights, even when they overlap (a sentence cited for a
    meeting, a name in it for a participation): each carries its own number.
    """

    number: int
    start: int
    end: int
    citations: list = field(default_factory=list)  # by id

    @property
    def first(self):
        return self.citations[0]


def quote_groups(text, citations):
    """Group the citations by the span of `text` (NFC) they quote, in reading order (a longer
    quote before one starting at the same place, as it holds it).

    A citation whose quote no longer occurs in the text is left out.
    """
    by_span = {}
    for citation in citations:
        span = find_quote(text, citation.quote)
        if span is not None:
            by_span.setdefault(span, []).append(citation)
    groups = []
    for (start, end), cited in sorted(by_span.items(), key=lambda item: (item[0][0], -item[0][1])):
        cited.sort(key=lambda citation: citation.pk)
        groups.append(QuoteGroup(number=len(groups) + 1, start=start, end=end, citations=cited))
    return groups


def highlighted_text(text, groups):
    """The text as HTML, each quote in its own <mark id="quote-N"> followed by a link to its
    records.

    A quote inside another is a mark inside the other's. One that crosses another's end is cut
    there and goes on in a second mark (class "quote-continued", without the id), so the HTML
    stays well nested. The first citation of a quote names its mark; the others citing the same
    words get an empty anchor (<span id="quote-N">) at its start, so every footnote lands on its
    quote. Everything else is escaped; newlines are kept for `white-space: pre-line`.
    """
    text = unicodedata.normalize("NFC", text)
    starting = {}
    for group in groups:
        starting.setdefault(group.start, []).append(group)
    boundaries = sorted({0, len(text), *starting, *(group.end for group in groups)})
    parts, open_marks, position = [], [], 0
    for boundary in boundaries:
        parts.append(escape(text[position:boundary]))
        position = boundary
        ending = [depth for depth, group in enumerate(open_marks) if group.end == boundary]
        if ending:
            # Close from the innermost out to the outermost quote ending here; those inside
            # it that go on are opened again after it.
            reopened = []
            for group in reversed(open_marks[ending[0] :]):
                parts.append(mark_safe("</mark>"))
                if group.end == boundary:
                    parts.append(quote_reference(group))
                else:
                    reopened.insert(0, group)
            del open_marks[ending[0] :]
            for group in reopened:
                parts.append(mark_safe('<mark class="quote quote-continued">'))
                open_marks.append(group)
        for group in sorted(starting.get(boundary, ()), key=lambda group: -group.end):
            parts.append(format_html('<mark class="quote" id="quote-{}">', group.first.pk))
            for citation in group.citations[1:]:
                parts.append(
                    format_html('<span class="quote-anchor" id="quote-{}"></span>', citation.pk)
                )
            open_marks.append(group)
    return mark_safe("".join(parts))


def quote_reference(group):
    return format_html(
        '<a class="quote-ref" href="#supports-{0}" aria-label="{1}">[{0}]</a>',
        group.number,
        gettext("What quote {number} supports").format(number=group.number),
    )


def public_quotes_of(source):
    """The source's citations that support public rows, each with its record loaded.

    Only citations of citable rows are read: the database refuses any other, but one that got
    in (an old row, raw SQL) must not break the page for every visitor.
    """
    citations = (
        source.quotes.filter(content_type__in=citable_content_type_ids())
        .select_related("source")
        .prefetch_related(record_prefetch())
    )
    return [c for c in citations if isinstance(c.record, Citable) and c.record.is_public]


def citable_content_type_ids():
    content_types = ContentType.objects.get_for_models(*citable_models())
    return [content_type.pk for content_type in content_types.values()]
