"""Dates that sources give imprecisely: a real date plus how much of it is known."""

import datetime

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


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
    """Show a date only as precisely as it is known: "10 January 2025", "January 2025", "2025"."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.MONTH:
        return f"{date:%B} {date.year}"
    return f"{date.day} {date:%B} {date.year}"
