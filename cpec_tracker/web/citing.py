"""A record page's citation to download: BibTeX, RIS and CSL-JSON (/<kind>/<slug>/cite.bib).

Each cites the page in the language it is asked in (/ur/meetings/…/cite.ris names the Urdu
page and the record's Urdu name), with the record's last change and version, as the page's
"How to cite" shows them.
"""

import json
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from cpec_tracker.records.names import Multilingual

PUBLISHER = "CPEC Tracker"
# What each download is: its media type and its file's extension.
CITATION_FORMATS = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}


@dataclass(frozen=True)
class PageCitation:
    """What a citation of a record's page says."""

    key: str  # the record's slug: a stable citation key
    title: str
    url: str
    updated: object  # datetime.date of the record's last change
    version: int
    accessed: object  # datetime.date the reader fetched it

    @classmethod
    def of(cls, request, record):
        if isinstance(record, Multilingual):
            title = record.name_in().text
        else:  # a source: its own title, as its page heads it
            title = getattr(record, "title", str(record))
        return cls(
            key=record.slug,
            title=title,
            url=request.build_absolute_uri(record.get_absolute_url()),
            updated=timezone.localdate(record.updated_at),
            version=record.version,
            accessed=timezone.localdate(),
        )


def bibtex_escape(text):
    """Text safe inside BibTeX braces: its special characters escaped, Unicode kept (biber
    and BibLaTeX read UTF-8)."""
    for special, escaped in (("\\", r"\textbackslash{}"), ("{", r"\{"), ("}", r"\}")):
        text = text.replace(special, escaped)
    for special in "&%$#_":
        text = text.replace(special, "\\" + special)
    return text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def as_bibtex(citation):
    fields = {
        "title": bibtex_escape(citation.title),
        "author": "{" + PUBLISHER + "}",  # a body as author: kept whole, not split in names
        "organization": PUBLISHER,
        "year": str(citation.updated.year),
        "date": citation.updated.isoformat(),
        "version": str(citation.version),
        "url": citation.url,
        "urldate": citation.accessed.isoformat(),
    }
    lines = [f"  {name} = {{{value}}}," for name, value in fields.items()]
    return "\n".join([f"@online{{{citation.key},", *lines, "}", ""])


def ris_line(tag, value):
    # RIS has one field a line: a line break in a value would start a bogus field.
    return f"{tag}  - {' '.join(str(value).split())}"


def as_ris(citation):
    lines = [
        ris_line("TY", "ELEC"),
        ris_line("TI", citation.title),
        ris_line("AU", PUBLISHER),
        ris_line("PB", PUBLISHER),
        ris_line("PY", citation.updated.year),
        ris_line("DA", citation.updated.strftime("%Y/%m/%d")),
        ris_line("ET", citation.version),
        ris_line("UR", citation.url),
        ris_line("Y2", citation.accessed.strftime("%Y/%m/%d")),
        ris_line("ID", citation.key),
        "ER  - ",
        "",
    ]
    return "\r\n".join(lines)  # RIS's own line ends


def date_parts(date):
    return {"date-parts": [[date.year, date.month, date.day]]}


def as_csl_json(citation):
    item = {
        "id": citation.key,
        "type": "webpage",
        "title": citation.title,
        "author": [{"literal": PUBLISHER}],
        "container-title": PUBLISHER,
        "publisher": PUBLISHER,
        "issued": date_parts(citation.updated),
        "accessed": date_parts(citation.accessed),
        "version": str(citation.version),
        "URL": citation.url,
    }
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


WRITERS = {"bib": as_bibtex, "ris": as_ris, "json": as_csl_json}


def citation_download(request, slug, format, model):
    """A published record's citation as a file ("cite.bib", "cite.ris", "cite.json")."""
    record = model.objects.published().filter(slug=slug).first()
    if record is None:
        raise Http404(gettext("There is no published record at this address."))
    text = WRITERS[format](PageCitation.of(request, record))
    response = HttpResponse(text, content_type=CITATION_FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="{slug}.{format}"'
    return response
