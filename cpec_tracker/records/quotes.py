"""Finding a verbatim quote in a source's text.

Quotes are compared after folding: runs of whitespace count as one space and typographic
quotation marks count as their plain forms, so a quote typed on an ordinary keyboard still
matches an article set with curly quotes.
"""

import unicodedata

TYPOGRAPHIC_QUOTES = str.maketrans(
    {
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2033": '"',  # double prime
        "\u00ab": '"',  # left-pointing double angle quotation mark
        "\u00bb": '"',  # right-pointing double angle quotation mark
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
    }
)


def fold_with_offsets(text):
    """Return the folded text and, for each folded character, its offset in `text`."""
    folded = []
    offsets = []
    pending_space = False
    for offset, char in enumerate(unicodedata.normalize("NFC", text)):
        if char.isspace():
            pending_space = bool(folded)
            continue
        if pending_space:
            folded.append(" ")
            offsets.append(offset - 1)
            pending_space = False
        folded.append(char.translate(TYPOGRAPHIC_QUOTES))
        offsets.append(offset)
    return "".join(folded), offsets


def fold(text):
    return fold_with_offsets(text)[0]


def find_quote(text, quote):
    """Return the (start, end) span of `quote` in `text` after folding, or None if absent.

    The span indexes the NFC-normalised `text`, so a page can highlight the very characters
    the quote stands for.
    """
    folded_quote = fold(quote)
    if not folded_quote:
        return None
    folded_text, offsets = fold_with_offsets(text)
    start = folded_text.find(folded_quote)
    if start == -1:
        return None
    end = start + len(folded_quote) - 1
    return offsets[start], offsets[end] + 1
