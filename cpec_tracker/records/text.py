"""Plain text that every page, feed and calendar can carry: no control characters.

XML 1.0 (the Atom feeds, the sitemap) cannot hold C0 control characters at all, and
iCalendar allows none but tab in its text values. They come in invisibly with text pasted
from PDFs and word processors, so tracker rows refuse them on save with a message naming
the character, and the outputs strip any that older rows still hold.

Tab is allowed everywhere. A multi-line field (a TextField: summaries, notes, quotes) keeps
its line breaks, with a browser's CRLF and a lone CR turned into LF; a single-line field
(a CharField: titles, names) refuses line breaks.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

# C0 control characters other than tab (U+0009), newline (U+000A) and carriage return
# (U+000D); the last two are handled by `normalize_newlines` and the single-line rule.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
LINE_BREAKS = re.compile(r"[\r\n]")


def normalize_newlines(value):
    """CRLF (what browsers send from a textarea) and a lone CR become LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def is_multi_line(field):
    return isinstance(field, models.TextField)


def validate_plain_text(value, *, multi_line):
    """Refuse control characters in `value` (and line breaks unless `multi_line`), naming the
    first one and where it stands."""
    found = CONTROL_CHARACTERS.search(value)
    if found:
        raise ValidationError(
            "This text holds an invisible control character (U+%(code)04X) at character "
            "%(position)d, which feeds and calendars cannot carry. Delete it and retype the "
            "text around it (it often comes with text copied from PDFs or word processors).",
            code="control_character",
            params={"code": ord(found.group()), "position": found.start() + 1},
        )
    if not multi_line:
        found = LINE_BREAKS.search(value)
        if found:
            raise ValidationError(
                "This field is a single line: remove the line break at character %(position)d.",
                code="line_break",
                params={"position": found.start() + 1},
            )


def plain_text(value):
    """`value` with line breaks normalised and any control character removed, for output
    that must not fail on a row saved before control characters were refused."""
    return CONTROL_CHARACTERS.sub("", normalize_newlines(str(value)))


def clean_text_fields(instance, exclude=()):
    """Normalise the line breaks of every multi-line text field of `instance` and check every
    text field; raises ValidationError with an entry per field at fault."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        multi_line = is_multi_line(field)
        if multi_line:
            value = normalize_newlines(value)
            setattr(instance, field.attname, value)
        try:
            validate_plain_text(value, multi_line=multi_line)
        except ValidationError as error:
            errors[field.name] = error.error_list
    if errors:
        raise ValidationError(errors)


def remove_control_characters(models_to_clean, connection):
    """Clean the text fields of every row of `models_to_clean` the way the check wants them
    typed (line breaks normalised, a single-line field's line breaks become spaces, other
    control characters left out); no row is dropped, history copies are not touched.
    Returns how many rows changed."""
    changed = 0
    for model in models_to_clean:
        fields = text_fields(model)
        if not fields:
            continue
        manager = model._base_manager.using(connection.alias)
        at_fault = manager.filter(holds_control_characters(model, connection.vendor))
        for row in at_fault.only(*(f.attname for f in fields)).iterator():
            changes = {}
            for field in fields:
                value = getattr(row, field.attname)
                if not isinstance(value, str):
                    continue
                cleaned = plain_text(value)
                if not is_multi_line(field):
                    cleaned = cleaned.replace("\n", " ")
                if cleaned != value:
                    changes[field.attname] = cleaned
            manager.filter(pk=row.pk).update(**changes)
            changed += 1
    return changed


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


def holds_control_characters(model, vendor):
    """A Q matching the rows of `model` with a text value the check would refuse or change."""
    # PostgreSQL cannot store NUL, so its patterns start at U+0001.
    first = r"\x01" if vendor == "postgresql" else r"\x00"
    patterns = {True: rf"[{first}-\x08\x0b-\x1f]", False: rf"[{first}-\x08\x0a-\x1f]"}
    at_fault = models.Q(pk__in=[])
    for field in text_fields(model):
        pattern = patterns[is_multi_line(field)]
        at_fault |= models.Q(**{f"{field.attname}__regex": pattern})
    return at_fault
