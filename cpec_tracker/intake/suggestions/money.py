"""Amounts of money in news text: "$2.89 billion", "1.5 billion yuan", "Rs 58bn", "Rs 3.5
crore", each as a Decimal (never a float) with its ISO 4217 code and the words it was read from.

How the press writes a currency (a symbol, "Rs", "yuan", "US dollars") is this module's table;
whether a code is an ISO 4217 currency is py-moneyed's. A currency word the table does not know
("5 billion Zimbabwe dollars", "10 million taka") gives no amount: nothing is guessed.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import moneyed

# Written before the number. "$" alone is the US dollar: in the Pakistani and Chinese press
# that CPEC's news comes from, "$" is never the Hong Kong, Singapore or any other dollar
# (those are written "HK$", "S$"). "¥" is the yuan there for the same reason, never the yen.
SYMBOLS_BEFORE = {
    "us$": "USD", "us $": "USD", "$": "USD", "usd": "USD", "hk$": "HKD", "s$": "SGD",
    "a$": "AUD", "c$": "CAD", "rs": "PKR", "rs.": "PKR", "pkr": "PKR", "rmb": "CNY",
    "cny": "CNY", "¥": "CNY", "€": "EUR", "£": "GBP", "sdr": "XDR",
}  # fmt: skip
# Written after the number, with the country's adjective where the press gives it. A bare
# "dollars" is the US dollar and bare "rupees" Pakistan's, as "$" and "Rs" are.
WORDS_AFTER = {
    "yuan": "CNY", "chinese yuan": "CNY", "renminbi": "CNY", "yuan renminbi": "CNY",
    "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD", "american dollars": "USD",
    "hong kong dollars": "HKD", "singapore dollars": "SGD", "rupees": "PKR",
    "pakistani rupees": "PKR", "pakistan rupees": "PKR", "indian rupees": "INR",
    "sri lankan rupees": "LKR", "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP",
    "yen": "JPY", "japanese yen": "JPY", "riyals": "SAR", "saudi riyals": "SAR",
    "dirhams": "AED", "uae dirhams": "AED", "afghanis": "AFN",
}  # fmt: skip
# ISO codes that are also English words or abbreviations written in capitals ("ALL 5 units",
# "TOP 10"): never read as a currency without a word from the tables above.
NOT_CURRENCY_CODES = frozenset(
    """ALL BAD BAN BEL CUP GEL MAD MAF MOP PEN PES PHP SUR TOP TRY USN USS WST XXX XTS""".split()
)
ISO_CODES = frozenset(currency.code for currency in moneyed.list_all_currencies())
ISO_CODE = (
    r"(?-i:"
    + "|".join(sorted(ISO_CODES - NOT_CURRENCY_CODES - {"XAU", "XAG", "XPT", "XPD"}))
    + r")"
)

SCALES = {
    "thousand": 10**3,
    "lakh": 10**5,
    "lac": 10**5,
    "lakhs": 10**5,
    "million": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "crore": 10**7,
    "crores": 10**7,
    "cr": 10**7,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
}
# "1,200,000", the South Asian "1,20,000" (a lakh and twenty thousand), "2.89", "58".
NUMBER = (
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"
    r"|\d+(?:\.\d+)?)"
)
# "m" and "b" only run on from the number ("$5m", "$2bn"): "5 m" is metres.
SCALE = (
    r"(?:\s?(?P<scale>thousand|lakhs?|lac|million|mn|crores?|billion|bn|trillion|trn|tn)\b"
    r"|(?P<short>m|b|cr)\b)?"
)
# The whole number ("$1.5" is never read as "$1"), and no range: "$1-1.5 billion" or "$1 to
# 2 billion" is no one amount.
NOT_A_RANGE = r"(?![.,]?\d)(?!\s?(?:-|–|to)\s?\$?\d)"
# A year before a currency's code ("by 2025 PKR …") is no amount.
YEAR = re.compile(r"(?:19|20)\d\d")


def _alternatives(words):
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


BEFORE = re.compile(
    r"(?<![\w$.])(?P<currency>" + _alternatives(SYMBOLS_BEFORE) + r"|" + ISO_CODE + r")"
    r"\s?" + NUMBER + NOT_A_RANGE + SCALE + r"(?![\w%])",
    re.IGNORECASE,
)
AFTER = re.compile(
    r"(?<![\w$.,])" + NUMBER + NOT_A_RANGE + SCALE + r"\s+(?P<currency>"
    + _alternatives(WORDS_AFTER) + r"|" + ISO_CODE + r")(?![\w$])",
    re.IGNORECASE,
)  # fmt: skip


@dataclass(frozen=True)
class Amount:
    """An amount of money read from text: 2890000000, "USD", "$2.89 billion" at [start, end)."""

    value: Decimal
    currency: str
    text: str
    start: int
    end: int

    @property
    def money(self):
        return moneyed.Money(self.value, self.currency)


def currency_code(written):
    """The ISO 4217 code of a currency as the press writes it ("Rs", "$", "yuan", "EUR"), or
    "" when it is none this module reads."""
    lowered = " ".join(written.lower().split())
    code = SYMBOLS_BEFORE.get(lowered) or WORDS_AFTER.get(lowered) or written
    return code if is_currency(code) else ""


def is_currency(code):
    """Whether `code` is an ISO 4217 code py-moneyed knows ("USD", "PKR"), in capitals."""
    return code in ISO_CODES


def _value(match):
    value = Decimal(match.group("number").replace(",", ""))
    scale = (match.group("scale") or match.group("short") or "").lower()
    return value * SCALES[scale] if scale else value


def find_amounts(text, start=0, end=None):
    """Every amount of money in `text[start:end]`, in text order; offsets index `text`."""
    end = len(text) if end is None else end
    found = []
    for pattern in (BEFORE, AFTER):
        for match in pattern.finditer(text, start, end):
            if any(match.start() < other.end and other.start < match.end() for other in found):
                continue
            code = currency_code(match.group("currency"))
            if not code:
                continue
            bare = not (match.group("scale") or match.group("short"))
            if pattern is AFTER and bare and YEAR.fullmatch(match.group("number")):
                continue
            found.append(Amount(_value(match), code, match.group(), match.start(), match.end()))
    return sorted(found, key=lambda amount: amount.start)
