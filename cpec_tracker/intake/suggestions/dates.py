"""Dates in a text, absolute ("10 January 2025", "2025-01-10", "March 2024") and relative
("yesterday", "last Tuesday", "next month", "two years ago"), the relative ones resolved
against the source's date; each with its precision (day, month or year)."""

import calendar
import datetime
import re
from dataclasses import dataclass

from cpec_tracker.records.dates import DatePrecision


@dataclass(frozen=True)
class FoundDate:
    """A date the text gives, absolute or relative, with how precisely it is known."""

    text: str
    start: int
    end: int
    sentence: int
    value: datetime.date
    precision: str  # a DatePrecision value


MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
FUTURE = re.compile(r"\b(?:will|shall|is to|are to|scheduled|expected|upcoming|due to)\b", re.I)
REPORTING = re.compile(r"\b(?:said|says|told|announced|stated|added|noted)\b", re.I)


def _looks_ahead(text_before):
    """Whether a weekday is to come: a future verb before it, and no "said" in between
    ("will hold the meeting next month, the minister said on Tuesday" is past)."""
    futures = list(FUTURE.finditer(text_before))
    return bool(futures) and not REPORTING.search(text_before, futures[-1].end())


DATE_PATTERNS = [
    ("iso", rf"\b{YEAR}-(?P<month_number>[01]\d)-(?P<day>[0-3]\d)\b"),
    ("day_month_year", rf"\b{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"),
    ("month_day_year", rf"\b{MONTH}\s+{DAY},?\s+{YEAR}\b"),
    ("month_year", rf"\b{MONTH},?\s+{YEAR}\b"),
    ("day_month", rf"\b{DAY}\s+(?:of\s+)?{MONTH}\b"),
    ("month_day", rf"\b{MONTH}\s+{DAY}\b(?![,.]?\d)"),
    (
        "relative_month_name",
        rf"\b(?P<prep>in|since|by|until|till|from|during|early|mid|late|last|next|this)[\s-]+"
        rf"(?P<month_name>{'|'.join(calendar.month_name[1:])})\b",
    ),
    ("year", rf"(?<![$£€¥\d.,])\b{YEAR}\b(?![\d.,]\d|\s*(?:MW|GW|km|%))"),
    ("day_word", r"\b(?P<word>yesterday|today|tomorrow)\b"),
    (
        "weekday",
        r"\b(?:(?P<which>last|next|this|on|on\s+the\s+coming|coming)\s+)?"
        r"(?P<weekday>" + "|".join(calendar.day_name) + r")\b",
    ),
    (
        "relative_period",
        r"\b(?P<which>last|next|this|earlier\s+this|later\s+this|previous|coming|the\s+past)\s+"
        r"(?P<period>month|year)\b",
    ),
    (
        "ago",
        r"\b(?P<count>\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\s+(?P<period>day|month|year)s?\s+"
        r"ago\b",
    ),
]
DATE_REGEX = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in DATE_PATTERNS]
# Month names are only dates when capitalised ("May" and "march" are words too).
CAPITALISED_MONTH = re.compile(r"[A-Z]")


def _month_shift(date, months):
    total = date.year * 12 + date.month - 1 + months
    return datetime.date(total // 12, total % 12 + 1, 1)


def _resolve(kind, match, published_on, sentence_text_before):
    """(date, precision) for one match, or None when it cannot be a date."""
    groups = match.groupdict()
    month = None
    if groups.get("month"):
        if not CAPITALISED_MONTH.match(groups["month"]):
            return None
        month = MONTHS[groups["month"].lower()]
    try:
        if kind == "iso":
            return (
                datetime.date(int(groups["year"]), int(groups["month_number"]), int(groups["day"])),
                DatePrecision.DAY,
            )
        if kind in ("day_month_year", "month_day_year"):
            date = datetime.date(int(groups["year"]), month, int(groups["day"]))
            return date, DatePrecision.DAY
        if kind == "month_year":
            return datetime.date(int(groups["year"]), month, 1), DatePrecision.MONTH
        if kind == "year":
            return datetime.date(int(groups["year"]), 1, 1), DatePrecision.YEAR
        if published_on is None:
            return None  # the rest needs the source's date
        if kind in ("day_month", "month_day"):
            if len(groups["month"]) < 3:
                return None
            return datetime.date(published_on.year, month, int(groups["day"])), DatePrecision.DAY
    except ValueError:
        return None
    if kind == "relative_month_name":
        month = MONTHS[groups["month_name"].lower()]
        if groups["month_name"] == "May" and groups["prep"].lower() in ("by", "until", "till"):
            return None
        year = published_on.year
        prep = groups["prep"].lower()
        if prep == "last" or (prep == "since" and month > published_on.month):
            year -= 1 if month >= published_on.month else 0
        if prep == "next" and month <= published_on.month:
            year += 1
        return datetime.date(year, month, 1), DatePrecision.MONTH
    if kind == "day_word":
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[groups["word"].lower()]
        return published_on + datetime.timedelta(days=shift), DatePrecision.DAY
    if kind == "weekday":
        which = (groups["which"] or "").lower()
        weekday = WEEKDAYS[groups["weekday"].lower()]
        if not groups["weekday"][0].isupper():
            return None
        ahead = (weekday - published_on.weekday()) % 7
        behind = (published_on.weekday() - weekday) % 7
        if which in ("next", "coming", "on the coming") or (
            which in ("", "on", "this") and _looks_ahead(sentence_text_before)
        ):
            days = ahead or 7
        elif which == "last":
            days = -(behind or 7)
        else:
            days = -behind
        return published_on + datetime.timedelta(days=days), DatePrecision.DAY
    if kind == "relative_period":
        which = re.sub(r"\s+", " ", groups["which"].lower())
        shift = {"last": -1, "previous": -1, "the past": -1, "next": 1, "coming": 1}.get(which, 0)
        if groups["period"].lower() == "month":
            return _month_shift(published_on, shift), DatePrecision.MONTH
        return datetime.date(published_on.year + shift, 1, 1), DatePrecision.YEAR
    if kind == "ago":
        count = groups["count"].lower()
        count = int(count) if count.isdigit() else NUMBER_WORDS[count]
        period = groups["period"].lower()
        if period == "day":
            return published_on - datetime.timedelta(days=count), DatePrecision.DAY
        if period == "month":
            return _month_shift(published_on, -count), DatePrecision.MONTH
        return datetime.date(published_on.year - count, 1, 1), DatePrecision.YEAR
    return None


def find_dates(text, sentences, published_on=None):
    """Dates with their precision; the first pattern to claim a span keeps it."""
    found = []
    for sentence in sentences:
        taken = []  # a date lies inside its sentence, so only this sentence's can overlap it
        for kind, regex in DATE_REGEX:
            for match in regex.finditer(sentence.text):
                start, end = sentence.start + match.start(), sentence.start + match.end()
                if any(start < other_end and other_start < end for other_start, other_end in taken):
                    continue
                resolved = _resolve(kind, match, published_on, sentence.text[: match.start()])
                if resolved is None:
                    continue
                taken.append((start, end))
                value, precision = resolved
                found.append(
                    FoundDate(text[start:end], start, end, sentence.index, value, str(precision))
                )
    return sorted(found, key=lambda date: date.start)
