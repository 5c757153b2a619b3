"""Figures in a text: numbers with a unit ("1,200 MW"), a currency ("Rs 5 billion",
"2 million yuan") or a counted noun ("3,000 jobs"), with their value as a decimal."""

import decimal
import re
from dataclasses import dataclass


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


NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
SCALE_WORDS = {
    "thousand": 10**3,
    "lakh": 10**5,
    "million": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "crore": 10**7,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
}
SCALE = r"(?:\s?(?P<scale>thousand|lakh|million|crore|billion|trillion|bn|mn)\b|(?P<short>m)\b)?"
CURRENCY_PREFIXES = {
    "us$": "USD", "$": "USD", "usd": "USD", "rs": "PKR", "pkr": "PKR", "rmb": "CNY",
    "cny": "CNY", "¥": "CNY", "€": "EUR", "eur": "EUR", "£": "GBP",
}  # fmt: skip
CURRENCY_SUFFIXES = {"yuan": "CNY", "dollars": "USD", "rupees": "PKR", "euros": "EUR"}
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
        "currency_prefix",
        r"(?<![\w$])(?P<currency>US\$|\$|USD|Rs\.?|PKR|RMB|CNY|¥|€|EUR|£)\s?" + NUMBER + SCALE,
    ),
    (
        "currency_suffix",
        NUMBER + SCALE + r"\s+(?P<currency>yuan|dollars|rupees|euros)\b",
    ),
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
    (name, re.compile(r"(?<![\w.,])" + pattern if name != "currency_prefix" else pattern, re.I))
    for name, pattern in FIGURE_PATTERNS
]


def _figure_value(groups):
    value = decimal.Decimal(groups["number"].replace(",", ""))
    scale = (groups.get("scale") or groups.get("short") or "").lower()
    return value * SCALE_WORDS[scale] if scale else value


def find_figures(text, sentences, dates=()):
    """Numbers with a unit or a currency; numbers inside dates are not figures."""
    found = []
    dates_by_sentence = {}
    for date in dates:
        dates_by_sentence.setdefault(date.sentence, []).append((date.start, date.end))
    for sentence in sentences:
        # A figure lies inside its sentence, so only this sentence's dates can overlap it.
        taken = dates_by_sentence.get(sentence.index, [])
        for kind, regex in FIGURE_REGEX:
            for match in regex.finditer(sentence.text):
                start, end = sentence.start + match.start(), sentence.start + match.end()
                if any(start < other_end and other_start < end for other_start, other_end in taken):
                    continue
                groups = match.groupdict()
                if kind != "currency_prefix" and groups.get("short"):
                    continue  # "5 m" is metres or a typo, not five million
                if kind == "currency_prefix":
                    unit = CURRENCY_PREFIXES[groups["currency"].lower().rstrip(".")]
                elif kind == "currency_suffix":
                    unit = CURRENCY_SUFFIXES[groups["currency"].lower()]
                elif kind == "unit":
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
