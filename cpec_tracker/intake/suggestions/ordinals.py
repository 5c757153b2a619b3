"""Ordinals, read and written: "5th" and "fifth" are 5, and 5 is written "5th".

The suggestions find a meeting by its ordinal and series ("the fifth JWG-ICC meeting"), and
the draft of a meeting started from a sentence takes its sequence number from the same words.
"""

import re

ORDINAL_WORDS = {
    word: number
    for number, word in enumerate(
        """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
        thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth
        """.split(),
        start=1,
    )
}
ORDINAL = re.compile(
    r"\b(?:(?P<number>\d{1,3})(?:st|nd|rd|th)|(?P<word>" + "|".join(ORDINAL_WORDS) + r"))\b",
    re.IGNORECASE,
)


def ordinal_value(match):
    """The number an `ORDINAL` match stands for: 5 for "5th" and for "Fifth"."""
    if match.group("number"):
        return int(match.group("number"))
    return ORDINAL_WORDS[match.group("word").lower()]


def ordinal_text(number):
    """5 → "5th", 11 → "11th", 22 → "22nd"."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"
