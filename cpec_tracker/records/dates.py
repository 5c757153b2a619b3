"""Dates that sources give imprecisely: a real date plus how much of it is known."""

import datetime
import functools

from django.db import models
from django.utils.translation import get_language, gettext, pgettext_lazy

# A month's name as a date shows it: "January" in "10 January 2025", "1月" in "2025年1月".
# (Django's own month names are for calendars and menus: Chinese "一月".)
MONTHS_IN_DATES = {
    1: pgettext_lazy("month in a date", "January"),
    2: pgettext_lazy("month in a date", "February"),
    3: pgettext_lazy("month in a date", "March"),
    4: pgettext_lazy("month in a date", "April"),
    5: pgettext_lazy("month in a date", "May"),
    6: pgettext_lazy("month in a date", "June"),
    7: pgettext_lazy("month in a date", "July"),
    8: pgettext_lazy("month in a date", "August"),
    9: pgettext_lazy("month in a date", "September"),
    10: pgettext_lazy("month in a date", "October"),
    11: pgettext_lazy("month in a date", "November"),
    12: pgettext_lazy("month in a date", "December"),
}


class DatePrecision(models.TextChoices):
    DAY = "day", pgettext_lazy("date precision", "Day")
    MONTH = "month", pgettext_lazy("date precision", "Month")
    YEAR = "year", pgettext_lazy("date precision", "Year")


def truncate_date(date, precision):
    """Drop the parts of `date` that `precision` says are unknown (1 May for "May")."""
    if date is None:
        return None
    if precision == DatePrecision.YEAR:
        return datetime.date(date.year, 1, 1)
    if precision == DatePrecision.MONTH:
        return datetime.date(date.year, date.month, 1)
    return date


def format_date(date, precision, language=None):
    """Show a date only as precisely as it is known, in the active language: "10 January 2025",
    "January 2025", "2025"; "جنوری 2025"; "2025年1月". `language`, when given, is the active
    one, looked up once by a caller formatting many dates.

    Each precision has its own translatable pattern, so a language orders the parts its own
    way; the month is written as MONTHS_IN_DATES has it in that language.
    """
    if date is None:
        return ""
    return date_in_language(date, precision, language or get_language())


# A day's text in a language does not change while the process runs: a list or a /data/
# build shows the same few thousand dates again and again.
@functools.lru_cache(maxsize=8192)
def date_in_language(date, precision, language):
    """`format_date` in `language` (the active one: the translations are looked up in it)."""
    patterns, months = date_words(language)
    # A full date unless the precision says less (as the precision's field does by default).
    pattern = patterns.get(precision) or patterns[DatePrecision.DAY]
    return pattern.format(day=date.day, month=months[date.month], year=date.year)


# Looked up once per language: a /data/ build formats more distinct dates than the cache above
# keeps (tens of thousands), and each translation looked up cost more than the rest of a date.
@functools.lru_cache(maxsize=16)
def date_words(language):
    """({precision: its pattern}, {month number: its name in a date}) in `language`, the
    active one."""
    patterns = {
        # Translators: a date known to the year only; {year} is 2025.
        DatePrecision.YEAR: gettext("{year}"),
        # Translators: a date known to the month; {month} is the month as a date writes it
        # (January), {year} is 2025.
        DatePrecision.MONTH: gettext("{month} {year}"),
        # Translators: a full date; {day} is 10, {month} the month as a date writes it
        # (January), {year} is 2025.
        DatePrecision.DAY: gettext("{day} {month} {year}"),
    }
    return patterns, {number: str(name) for number, name in MONTHS_IN_DATES.items()}
