"""Visitors' words for kinds of record and their fields, in the active language.

The models' own verbose names are English and live in their migrations; translating them
there would rewrite every app's migration history, so the public pages and feeds read these
instead, falling back to the model's English for anything not listed here. The English
words are the models' own, so English pages read as they always have.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# By model_name: what a record is, in the middle of a sentence ("meeting", "key figure").
RECORD_KINDS = {
    "source": pgettext_lazy("kind of record", "source"),
    "organization": pgettext_lazy("kind of record", "organization"),
    "theme": pgettext_lazy("kind of record", "theme"),
    "official": pgettext_lazy("kind of record", "official"),
    "appointment": pgettext_lazy("kind of record", "appointment"),
    "meeting": pgettext_lazy("kind of record", "meeting"),
    "participation": pgettext_lazy("kind of record", "participation"),
    "outcome": pgettext_lazy("kind of record", "outcome"),
    "project": pgettext_lazy("kind of record", "project"),
    "keyfigure": pgettext_lazy("kind of record", "key figure"),
    "milestone": pgettext_lazy("kind of record", "milestone"),
    "projectrole": pgettext_lazy("kind of record", "project role"),
}

# By field name: the facts a citation can support, as footnotes label them ("Date, City").
FIELD_LABELS = {
    "title": _("Title"),
    "author": _("Author"),
    "publisher": _("Publisher"),
    "url": _("URL"),
    "published_on": _("Published on"),
    "language": _("Language"),
    "kind": _("Kind"),
    "text": _("Text"),
    "name": _("Name"),
    "short_name": _("Short name"),
    "aliases": _("Aliases"),
    "country": _("Country"),
    "parent": _("Parent"),
    "description": _("Description"),
    "native_name": _("Native name"),
    "bio": _("Bio"),
    "wikidata_id": _("Wikidata id"),
    "official": _("Official"),
    "organization": _("Organization"),
    "start": _("Start"),
    "end": _("End"),
    "body": _("Body"),
    "sequence_number": _("Sequence number"),
    "date": _("Date"),
    "city": _("City"),
    "summary": _("Summary"),
    "status": _("Status"),
    "themes": _("Themes"),
    "meeting": _("Meeting"),
    "role": _("Role"),
    "title_at_meeting": _("Title at meeting"),
    "stated_by": _("Stated by"),
    "sector": _("Sector"),
    "subsector": _("Subsector"),
    "province": _("Province"),
    "location": _("Location"),
    "meetings": _("Meetings"),
    "project": _("Project"),
    "value": _("Value"),
    "unit": _("Unit"),
    "as_of": _("As of"),
    "status_after": _("Status after"),
}


def record_kind(record):
    """What `record` is, lower-case, in the active language: "meeting", "key figure"."""
    name = record._meta.model_name
    return RECORD_KINDS.get(name, record._meta.verbose_name)


def cited_field_labels(citation):
    """The fields `citation` supports, in words of the active language: ["Date", "City"]."""
    english = dict(zip(citation.fields or [], citation.field_labels, strict=False))
    return [
        capfirst(FIELD_LABELS.get(name, english.get(name, name))) for name in citation.fields or []
    ]
