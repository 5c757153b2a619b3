"""Dates that sources give imprecisely: a real date plus how much of it is known."""

import datetime

from django.db import models
from django.utils.dates import MONTHS
from django.utils.translation import gettext, pgettext_lazy


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


def format_date(date, precision):
    """Show a date only as precisely as it is known, in the active language: "10 January 2025",
    "January 2025", "2025"; "جنوری 2025"; "2025年1月".

    Each precision has its own translatable pattern, so a language orders the parts its own way
    and may use the month's number (Chinese) or its name (Django's catalogue translates those).
    """
    if date is None:
        return ""
    parts = {
        "day": date.day,
        "month": MONTHS[date.month],
        "month_number": date.month,
        "year": date.year,
    }
    if precision == DatePrecision.YEAR:
        # Translators: a date known to the year only; {year} is 2025.
        pattern = gettext("{year}")
    elif precision == DatePrecision.MONTH:
        # Translators: a date known to the month; {month} is its name (January), {month_number}
        # its number (1), {year} is 2025.
        pattern = gettext("{month} {year}")
    else:
        # Translators: a full date; {day} is 10, {month} the month's name (January),
        # {month_number} its number (1), {year} is 2025.
        pattern = gettext("{day} {month} {year}")
    return pattern.format(**parts)
