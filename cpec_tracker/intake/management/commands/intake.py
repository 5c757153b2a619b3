import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cpec_tracker.intake.extraction import (
    IntakeRefused,
    draft_from_html,
    draft_from_text,
    draft_from_url,
    source_create,
    unique_slug,
)
from cpec_tracker.records.models import Source, SourceKind

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FIELD_OPTIONS = {
    "title": "--title",
    "published_on": "--published-on",
    "author": "--author",
    "publisher": "--publisher",
    "kind": "--kind",
    "language": "--language",
    "url": "--url",
    "text": "--file",
}


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date like 2025-03-14") from None


iso_date.__name__ = "date"


class Command(BaseCommand):
    help = (
        "Take in a new source, as the admin's “Add source” does: from a web page (--url) or a "
        "file (--file: HTML when named .html or .htm, else plain text taken as it is). The "
        "title, date, author, publisher and text are read from it; the options give or "
        "correct them. The source is saved as a draft and its slug printed. A page or text "
        "already in the tracker is refused."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--url", help="The page's address (http or https).")
        where.add_argument("--file", type=Path, help="A saved page (.html) or a text file.")
        parser.add_argument("--title")
        parser.add_argument("--publisher")
        parser.add_argument("--author")
        parser.add_argument("--published-on", type=iso_date, help="YYYY-MM-DD")
        parser.add_argument("--kind", choices=SourceKind.values)
        parser.add_argument("--language", help="A code: en, ur, zh.")
        parser.add_argument(
            "--source-url", help="With --file: the address the file was saved from."
        )

    def handle(self, *args, url, file, source_url, **options):
        try:
            draft = self.read(url, file, source_url)
        except IntakeRefused as refusal:
            raise CommandError(self.refusal_text(refusal)) from None
        fields = draft.as_initial()
        for name in ("title", "publisher", "author", "published_on", "kind", "language"):
            if options.get(name) is not None:
                fields[name] = options[name]
        source = Source(**fields)
        source.slug = unique_slug(source.title)
        try:
            source.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise CommandError(self.invalid_text(error, fields)) from None
        try:
            source = source_create(fields={**fields, "slug": source.slug})
        except IntakeRefused as refusal:
            raise CommandError(self.refusal_text(refusal)) from None
        self.stdout.write(source.slug)

    def read(self, url, file, source_url):
        if url is not None:
            return draft_from_url(url)
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        if file.suffix.lower() in HTML_SUFFIXES:
            return draft_from_html(content, url=source_url or "")
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text.") from None
        draft = draft_from_text(text)
        # The address is checked for duplicates when the source is saved.
        draft.url = source_url or ""
        return draft

    def refusal_text(self, refusal):
        if refusal.existing is None:
            return f"Not taken in: {refusal.message}"
        return f"Not taken in: {refusal.message} (slug: {refusal.existing.slug})"

    def invalid_text(self, error, fields):
        lines = []
        for field, messages in error.message_dict.items():
            option = FIELD_OPTIONS.get(field, field)
            hint = "" if fields.get(field) else f" Not found in the source: give {option}."
            lines.append(f"{option}: {' '.join(messages)}{hint}")
        return "Not taken in, nothing saved:\n" + "\n".join(lines)
