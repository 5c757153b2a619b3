"""Source intake: from a URL, pasted HTML or pasted text to the fields of a new draft source.

A page's title, date, author, publisher and main text are extracted with trafilatura, which
keeps the article and drops what surrounds it (navigation, adverts, related links, comments).
Pasted text is taken as it is. The editor reviews the fields before anything is saved; a
page or text already in the tracker is refused, naming the source that holds it.
"""

import datetime
from dataclasses import asdict, dataclass

import trafilatura
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from lxml import etree
from lxml import html as lxml_html

from cpec_tracker.intake.fetching import FetchRefused, fetch_page, size_label, with_scheme
from cpec_tracker.intake.services import source_suggestions_store
from cpec_tracker.records.models import PublicationStatus, Source, SourceKind


class IntakeRefused(Exception):
    """Nothing was taken in; `message` says why, `existing` is the source already holding it."""

    def __init__(self, message, existing=None):
        super().__init__(message)
        self.message = message
        self.existing = existing


@dataclass
class SourceDraft:
    """The fields an intake found, for the editor to review; empty where nothing was found."""

    title: str = ""
    published_on: datetime.date | None = None
    author: str = ""
    publisher: str = ""
    kind: str = SourceKind.NEWS_REPORT
    language: str = "en"
    url: str = ""
    text: str = ""

    def as_initial(self):
        return {name: value for name, value in asdict(self).items() if value not in ("", None)}


def duplicate_refusal(*, url="", text=""):
    """IntakeRefused naming the source that already has this address or text, or None."""
    found = Source(url=url, text=text).duplicates()
    if "url" in found:
        other = found["url"]
        return IntakeRefused(f"This address is already in the tracker as “{other.title}”.", other)
    if "text" in found:
        other = found["text"]
        return IntakeRefused(f"This text is already in the tracker as “{other.title}”.", other)
    return None


def size_limit_help():
    """The one size limit (CPEC_INTAKE_MAX_BYTES), as the intake and source forms state it."""
    return f"At most {size_label(settings.CPEC_INTAKE_MAX_BYTES)}."


def size_refusal(content):
    """IntakeRefused if `content` (text or bytes) is larger than a source may be, or None.

    One limit for every way a source's text arrives: a fetched page (fetching.py reads no
    more), pasted HTML, pasted text and the text saved with a source.
    """
    size = len(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    limit = settings.CPEC_INTAKE_MAX_BYTES
    if size <= limit:
        return None
    return IntakeRefused(
        f"This is larger than {size_label(limit)}, the most a source can be "
        f"({size_label(size)}). Keep the part the tracker needs, or split it into several sources."
    )


def _refuse_duplicate(**keys):
    refusal = duplicate_refusal(**keys)
    if refusal:
        raise refusal


def _refuse_too_large(content):
    refusal = size_refusal(content)
    if refusal:
        raise refusal


def draft_from_url(url):
    """Fetch the page at `url` and extract its fields; raise IntakeRefused if it cannot be."""
    url = with_scheme(url)
    _refuse_duplicate(url=url)
    try:
        page = fetch_page(url)
    except FetchRefused as refusal:
        raise IntakeRefused(str(refusal)) from None
    if page.url != url:
        _refuse_duplicate(url=page.url)
    return draft_from_html(page.body, url=url)


def draft_from_html(html, *, url=""):
    """Extract the article's fields from a page's HTML (str or bytes)."""
    _refuse_too_large(html)
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            favor_precision=True,
        )
    except (ValueError, TypeError, etree.LxmlError):
        document = None
    if document is None or not (document.text or "").strip():
        raise IntakeRefused(
            "No article text was found in this page. Paste the article's text instead."
        )
    draft = SourceDraft(
        title=_clip(document.title, Source, "title"),
        published_on=_parse_date(document.date),
        author=_clip(document.author, Source, "author"),
        publisher=_clip(document.sitename or document.hostname, Source, "publisher"),
        language=_page_language(html) or "en",
        url=url,
        text=document.text.strip(),
    )
    _refuse_duplicate(text=draft.text)
    return draft


def draft_from_text(text):
    """A draft holding `text` as it is, for the editor to name and date."""
    text = text.strip()
    if not text:
        raise IntakeRefused("The text is empty.")
    _refuse_too_large(text)
    _refuse_duplicate(text=text)
    return SourceDraft(text=text, kind=SourceKind.OTHER)


def source_create(*, fields, user=None):
    """Save a new draft source from reviewed `fields`; refuse a page or text already held."""
    _refuse_duplicate(url=fields.get("url", ""), text=fields.get("text", ""))
    source = Source(**fields)
    source.publication_status = PublicationStatus.DRAFT
    if not source.slug:
        source.slug = unique_slug(source.title)
    source.created_by = source.updated_by = user
    source._history_user = user
    source._change_reason = "Source intake"
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        # Someone saved the same page or text between the check and this save.
        _refuse_duplicate(url=source.url, text=source.text)
        raise
    source_suggestions_store(sources=[source])
    return source


def unique_slug(title):
    """A slug from `title` that no source has yet."""
    limit = Source._meta.get_field("slug").max_length - 10
    base = slugify(title)[:limit].strip("-") or "source"
    taken = set(Source.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _clip(value, model, name):
    return " ".join((value or "").split())[: model._meta.get_field(name).max_length]


def _parse_date(value):
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _page_language(html):
    """The language code the page declares (`<html lang="en-GB">` gives "en")."""
    try:
        root = lxml_html.fromstring(html)
    except (ValueError, TypeError, etree.LxmlError):
        return ""
    code = (root.get("lang") or "").split("-")[0].strip().lower()
    return code[: Source._meta.get_field("language").max_length] if code.isalpha() else ""
