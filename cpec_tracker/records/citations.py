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

from cpec_tracker.records.models import Citable, Citation, citable_models, published_through
from cpec_tracker.records.quotes import find_quote


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


class Footnotes:
    """Numbers a page's citations in reading order.

    `attach(row)` gives the row a `footnotes` list of (number, citation) for its markers; the
    page lists `notes` at the bottom, each linking to its quote on the source's page.
    """

    def __init__(self):
        self.notes = []

    def attach(self, *rows):
        for row in rows:
            row.footnotes = []
            for citation in row.citations.all():
                self.notes.append(citation)
                row.footnotes.append((len(self.notes), citation))
        return self


@dataclass
class QuoteGroup:
    """Quotes that overlap in the text: shown as one highlight carrying every citation's id."""

    number: int
    start: int
    end: int
    citations: list = field(default_factory=list)  # (start, citation), by start

    @property
    def first(self):
        return self.citations[0][1]


def quote_groups(text, citations):
    """Group the citations by overlapping spans of `text` (NFC), in reading order.

    A citation whose quote no longer occurs in the text is left out.
    """
    spans = []
    for citation in citations:
        span = find_quote(text, citation.quote)
        if span is not None:
            spans.append((span[0], span[1], citation))
    spans.sort(key=lambda item: (item[0], -item[1], item[2].pk))
    groups = []
    for start, end, citation in spans:
        if groups and start < groups[-1].end:
            group = groups[-1]
            group.end = max(group.end, end)
        else:
            group = QuoteGroup(number=len(groups) + 1, start=start, end=end)
            groups.append(group)
        group.citations.append((start, citation))
    return groups


def highlighted_text(text, groups):
    """The text as HTML, each group in a <mark id="quote-N"> followed by a link to its records.

    The first citation of a group names the mark; the others get an empty anchor
    (<span id="quote-N">) where their own quote starts, so every footnote lands on its quote.
    Everything else is escaped; newlines are kept for `white-space: pre-line`.
    """
    text = unicodedata.normalize("NFC", text)
    parts = []
    position = 0
    for group in groups:
        parts.append(escape(text[position : group.start]))
        parts.append(format_html('<mark class="quote" id="quote-{}">', group.first.pk))
        cursor = group.start
        for start, citation in group.citations[1:]:
            parts.append(escape(text[cursor:start]))
            parts.append(
                format_html('<span class="quote-anchor" id="quote-{}"></span>', citation.pk)
            )
            cursor = start
        parts.append(escape(text[cursor : group.end]))
        parts.append(mark_safe("</mark>"))
        parts.append(
            format_html(
                '<a class="quote-ref" href="#supports-{0}" aria-label="{1}">[{0}]</a>',
                group.number,
                gettext("What quote {number} supports").format(number=group.number),
            )
        )
        position = group.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


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
