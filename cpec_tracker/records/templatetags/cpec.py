"""Template helpers for the public pages: absolute URLs, languages, JSON-LD, search
highlighting, records' names in the reader's language, and user text isolated from the
direction of the text around it (the admin's templates use that too)."""

import datetime
import json
import re

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_supported_language_variant

from cpec_tracker.records import labels, registry
from cpec_tracker.records.dates import DatePrecision, format_date
from cpec_tracker.records.models import if_public, search_words
from cpec_tracker.records.names import Multilingual
from cpec_tracker.web.addresses import page_path, path_in_language

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def absolute_url(context, path=None):
    """The absolute address of `path` (the current page's by default: its canonical link)."""
    request = context["request"]
    return request.build_absolute_uri(path if path is not None else page_path(request.path))


# Open Graph names a locale as language_TERRITORY: where each language's readers are.
OPEN_GRAPH_LOCALES = {"en": "en_GB", "ur": "ur_PK", "zh-hans": "zh_CN"}


def current_language():
    """The active language as settings.LANGUAGES names it."""
    return get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def page_languages(context):
    """This page in every language: code, name in itself, address, whether it is this one.

    The address keeps the query string (the switcher keeps a list's filters); `canonical_url`
    is the absolute address without it, as the page's canonical link, for hreflang.
    """
    request = context["request"]
    current = current_language()
    query = request.META.get("QUERY_STRING", "")
    languages = []
    for code, name in settings.LANGUAGES:
        path = path_in_language(request.path, code)
        languages.append(
            {
                "code": code,
                "name": name,
                "url": f"{path}?{query}" if query else path,
                "canonical_url": request.build_absolute_uri(path),
                "is_current": code == current,
                "is_default": code == settings.LANGUAGE_CODE,
            }
        )
    return languages


@register.simple_tag
def open_graph_locale(code=None):
    return OPEN_GRAPH_LOCALES.get(code or current_language(), "en_GB")


# `{% if meeting.body|public %}`: a related record is linked only when a visitor may see it.
register.filter("public", if_public)


@register.filter
def day_date(date):
    """A date known to the day, written in the active language ("10 January 2025")."""
    return format_date(date, DatePrecision.DAY)


@register.filter
def day_time(moment):
    """A moment as the date in the active language and the time in UTC, 24-hour clock:
    "10 January 2025, 14:05", "2025年1月10日, 14:05"."""
    moment = timezone.localtime(moment, datetime.UTC)
    return f"{format_date(moment.date(), DatePrecision.DAY)}, {moment:%H:%M}"


@register.simple_tag
def today():
    """Today's date in the active language, as a date is written in it ("2026年12月6日")."""
    return format_date(timezone.localdate(), DatePrecision.DAY)


@register.filter
def json_ld(data):
    """A schema.org description as a <script type="application/ld+json"> data block."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


# The characters that open or close a run of text in one direction (embeddings U+202A,
# U+202B, overrides U+202D, U+202E, their end U+202C, isolates U+2066-U+2069). In a name,
# U+202E turns what follows it backwards, the words after the name included. User text is
# shown isolated, without these: one left open or closed too many would undo the isolation.
DIRECTION_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def without_direction_controls(text):
    return str(text).translate(DIRECTION_CONTROLS)


@register.filter(is_safe=True)
def isolate(text):
    """User text where markup cannot go (<title>), isolated by Unicode's first-strong isolate:
    it keeps its own direction and cannot change that of the text around it."""
    return f"{FIRST_STRONG_ISOLATE}{without_direction_controls(text)}{POP_DIRECTIONAL_ISOLATE}"


@register.filter
def bdi(text):
    """User text in a page's body, escaped and isolated in <bdi> (as `isolate`, in HTML)."""
    return format_html("<bdi>{}</bdi>", without_direction_controls(text))


@register.filter
def highlight(text, terms):
    """`text`, escaped, with every word of the search `terms` wrapped in <mark>."""
    words = search_words(terms or "")
    text = str(text)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    parts = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


@register.filter
def excerpt(text, terms):
    """About 240 characters of `text` around the first word of `terms` it contains."""
    text = " ".join(str(text).split())
    words = search_words(terms or "")
    lowered = text.lower()
    hits = [lowered.find(word.lower()) for word in words]
    first = min((hit for hit in hits if hit >= 0), default=0)
    start = max(first - 80, 0)
    end = start + 240
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return f"{prefix}{text[start:end]}{suffix}"


@register.filter
def verbose_name(record):
    """What kind of record this is, in words of the active language: "meeting", "outcome"."""
    return labels.record_kind(record)


@register.filter
def cited_field_labels(citation):
    """The fields a citation supports, in words of the active language: ["Date", "City"]."""
    return labels.cited_field_labels(citation)


def cited_fields(citation):
    """The names of the fields a citation supports, as a set."""
    return set(citation.fields)


@register.filter
def notes_for(notes, fields):
    """The (footnote, citation) pairs that support one of the comma-separated `fields`."""
    wanted = set(fields.split(","))
    return [(note, citation) for note, citation in notes if cited_fields(citation) & wanted]


@register.filter
def notes_except(notes, fields):
    """The footnotes not placed beside one of `fields`: they are shown by the record's name."""
    placed = set(fields.split(","))
    return [
        (note, citation)
        for note, citation in notes
        if not cited_fields(citation) or not cited_fields(citation) <= placed
    ]


@register.filter
def footnote_numbers(notes):
    """The numbers of a marker's (footnote, citation) pairs, each once, in order. Reading a
    footnote's number here gives it one: the page's markers number them in reading order
    (cpec_tracker.records.citations.Footnotes)."""
    return sorted({note.number: None for note, _citation in notes})


@register.filter
def local_name(record, terms=None):
    """A record's name (or title) in the active language, escaped, with the words of the
    search `terms` marked if given. Where it has none in that language the English name
    stands in, wrapped in `<span lang="en" dir="ltr">` so screen readers switch voice and
    the text keeps its direction on an Urdu page. Isolated in <bdi>, as `bdi`. The one way
    pages show a record's name; in attributes and <title>, use `local_name_text`."""
    if not isinstance(record, Multilingual):
        text = highlight(without_direction_controls(record), terms)
    else:
        name = record.name_in()
        text = highlight(without_direction_controls(name.text), terms)
        if name.is_fallback:
            text = format_html('<span lang="{}" dir="{}">{}</span>', name.html_lang, "ltr", text)
    return format_html("<bdi>{}</bdi>", text)


@register.filter
def local_name_text(record):
    """A record's name in the active language (else English), as plain text for attributes."""
    return record.name_in().text if isinstance(record, Multilingual) else str(record)


@register.filter
def other_names(record, terms=None):
    """The record's names in the other languages it has them in, each marked with its
    language and direction, which isolates it (and the search `terms` marked): "马朝旭",
    "آمنہ بلوچ"."""
    if not isinstance(record, Multilingual):
        return ""
    return format_html_join(
        " ",
        '<span class="other-name" lang="{}" dir="{}">{}</span>',
        (
            (
                name.html_lang,
                name.direction,
                highlight(without_direction_controls(name.text), terms),
            )
            for name in record.other_names()
        ),
    )


@register.filter
def kind_name(record):
    """The name of a record's kind, as in its address and the API ("meetings")."""
    return registry.kind_of(record._meta.concrete_model).name


@register.simple_tag
def report_url(record):
    """The address of the form to report an error or a missing source on `record`'s page
    (cpec_tracker.site.reports)."""
    kind = registry.kind_of(record._meta.concrete_model)
    return reverse("report", args=[kind.name, record.slug])
