"""Figures in a text: numbers with a unit ("1,200 MW"), a currency ("Rs 5 billion",
"2 million yuan") or a counted noun ("3,000 jobs"), with their value as a decimal."""

import decimal
import re
from dataclasses import dataclass

from cpec_tracker.intake.suggestions.money import NUMBER, SCALE, SCALES, find_amounts


@dataclass(frozen=True)
class Figure:
    """A number with its unit or currency: "1,200 MW", "$1.5 billion", "3,000 jobs"."""

    text: str
    start: int
    end: int
    sentence: int
    value: decimal.Decimal
    unit: str  # "jobs", "MW", "USD" …


def decimal_text(value):
    """A decimal without exponent or trailing zeros: "1400000000000", "2.5"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


UNITS = {
    "mw": "MW", "megawatts": "MW", "megawatt": "MW", "gw": "GW", "gigawatts": "GW",
    "kw": "kW", "mwh": "MWh", "gwh": "GWh", "kv": "kV", "km": "km", "kilometres": "km",
    "kilometers": "km", "kilometre": "km", "kilometer": "km", "miles": "miles", "metres": "m",
    "meters": "m", "acres": "acres", "hectares": "hectares", "tonnes": "tonnes",
    "tons": "tonnes", "jin": "jin", "per cent": "percent", "percent": "percent",
    "%": "percent", "mmcfd": "MMCFD", "cusecs": "cusecs", "maf": "MAF", "barrels": "barrels",
    "teu": "TEU", "teus": "TEU", "gallons": "gallons", "litres": "litres", "liters": "litres",
    "km/h": "km/h", "kmph": "km/h", "kilometres an hour": "km/h", "kilometers an hour": "km/h",
    "kilometres per hour": "km/h", "kilometers per hour": "km/h", "km per hour": "km/h",
    "mph": "mph", "miles an hour": "mph", "miles per hour": "mph",
}  # fmt: skip
COUNT_NOUNS = """jobs people workers students scholarships households homes families projects
    vehicles trucks containers ships flights visitors tourists engineers houses schools
    hospitals villages beds agreements memorandums mous companies enterprises passengers
    residents patients units factories industries""".split()

FIGURE_PATTERNS = [
    (
        "unit",
        NUMBER
        + SCALE
        + r"\s?(?P<unit>"
        + "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
        + r")(?!\w)",
    ),
    (
        "count",
        NUMBER
        + SCALE
        + r"(?P<between>(?:\s+[a-z][a-z\-]*){0,3}?)\s+(?P<noun>"
        + "|".join(COUNT_NOUNS)
        + r")\b",
    ),
]
FIGURE_REGEX = [
    (name, re.compile(r"(?<![\w.,])" + pattern, re.I)) for name, pattern in FIGURE_PATTERNS
]


def _figure_value(groups):
    value = decimal.Decimal(groups["number"].replace(",", ""))
    scale = (groups.get("scale") or groups.get("short") or "").lower()
    return value * SCALES[scale] if scale else value


def find_figures(text, sentences, dates=()):
    """Numbers with a unit or a currency; numbers inside dates are not figures. An amount of
    money (`money.find_amounts`) has its ISO 4217 code as its unit."""
    found = []
    dates_by_sentence = {}
    for date in dates:
        dates_by_sentence.setdefault(date.sentence, []).append((date.start, date.end))
    for sentence in sentences:
        # A figure lies inside its sentence, so only this sentence's dates can overlap it.
        taken = dates_by_sentence.get(sentence.index, [])
        for amount in find_amounts(text, sentence.start, sentence.end):
            if any(amount.start < end and start < amount.end for start, end in taken):
                continue
            taken.append((amount.start, amount.end))
            found.append(
                Figure(
                    amount.text,
                    amount.start,
                    amount.end,
                    sentence.index,
                    amount.value,
                    amount.currency,
                )
            )
        for kind, regex in FIGURE_REGEX:
            for match in regex.finditer(sentence.text):
                start, end = sentence.start + match.start(), sentence.start + match.end()
                if any(start < other_end and other_start < end for other_start, other_end in taken):
                    continue
                groups = match.groupdict()
                if groups.get("short"):
                    continue  # "5 m" is metres or a typo, not five million
                if kind == "unit":
                    unit = UNITS[re.sub(r"\s+", " ", groups["unit"].lower())]
                else:
                    if re.search(r"\b(?:of|the|in|and|from|to)$", groups["between"] or ""):
                        continue
                    unit = groups["noun"].lower()
                taken.append((start, end))
                found.append(
                    Figure(text[start:end], start, end, sentence.index, _figure_value(groups), unit)
                )
    return sorted(found, key=lambda figure: figure.start)
