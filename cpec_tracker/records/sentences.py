"""A source's sentences: where each begins and ends in its text, exactly as stored.

The text is cut into sentences once, when a source is saved (`Source.sentence_spans`); the
reading view, the citations and the suggestions all count sentences the same way.
"""

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@cache
def _segmenter():
    import pysbd  # imported on first use: it builds its rules at import time

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


# pysbd rescans the whole text it is given for every abbreviation it meets, so its time grows
# with the square of a paragraph's length (a 250 KB paragraph took over a minute). It is given
# windows of at most this many characters, more than any paragraph of an ordinary article.
SEGMENTER_WINDOW = 3000
# A sentence longer than this is cut at a space: each window then moves on by at least this
# much, which keeps the whole split linear in the text's length.
LONGEST_SENTENCE = SEGMENTER_WINDOW // 2
SPACE = re.compile(r"\s")


def split_sentences(text):
    """The text's sentences with their offsets.

    Each line (paragraph) is split on its own, so a headline or a paragraph cut off without a
    full stop never runs into the next one; pysbd then finds the sentence ends inside a
    paragraph, knowing "Mr.", "Jan. 21" and "U.S." are no ends.
    """
    sentences = []
    for line in re.finditer(r"[^\n]+", text):
        if not line.group().strip():
            continue
        for start, end in _line_sentences(line.group()):
            start, end = line.start() + start, line.start() + end
            sentences.append(Sentence(len(sentences), start, end, text[start:end]))
    return sentences


def _line_sentences(line):
    """(start, end) of each sentence of a line, read through windows of SEGMENTER_WINDOW
    characters at most. A line that fits is segmented whole. In a longer one, a window's
    sentences are kept but its last, which the window may cut short: the next window starts
    where that one does, unless it started in the window's first half, when it is a long
    run of words and is cut at the window's last space instead."""
    spans = []
    position = 0
    while position < len(line):
        window_end = position + SEGMENTER_WINDOW
        found = [
            (position + start, position + end)
            for start, end in _segmented(line[position:window_end])
        ]
        if window_end >= len(line):
            spans.extend(found)
            break
        if not found:  # a window of spaces
            position = window_end
            continue
        *complete, (last_start, _) = found
        spans.extend(complete)
        if last_start - position >= LONGEST_SENTENCE:
            position = last_start
            continue
        spaces = [
            match.start() for match in SPACE.finditer(line, position + LONGEST_SENTENCE, window_end)
        ]
        cut = spaces[-1] if spaces else window_end
        spans.append((last_start, last_start + len(line[last_start:cut].rstrip())))
        position = cut
    return spans


def _segmented(text):
    """(start, end) of each sentence pysbd finds in `text`, a line without line breaks."""
    spans = []
    cursor = 0
    for span in _segmenter().segment(text):
        piece = span.sent.strip()
        if not piece:
            continue
        # pysbd's own offsets drift on some inputs; finding the piece again is exact.
        found = text.find(piece, cursor)
        if found == -1:
            # Never lose text: whatever pysbd changed, the rest of the line is a sentence.
            piece = text[cursor:].strip()
            if not piece:
                break
            found = text.find(piece, cursor)
        cursor = found + len(piece)
        spans.append((found, cursor))
    return spans


# The quote an editor picks ------------------------------------------------------------------


class QuoteRequestError(Exception):
    """A cite request that cannot be carried out: the message says why, for the editor."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def sentence_offset(data, name):
    value = data.get(name, "")
    if value in ("", None):
        return None
    if not str(value).isdigit():
        raise QuoteRequestError(f"“{name}” must be a character offset (a whole number).")
    return int(value)


def quote_of(source, data):
    """(sentence index, quote): the sentence named in `data`, or the span `start`–`end` in it,
    exactly as the source's text has it. Nobody types a quote."""
    index = sentence_offset(data, "sentence")
    sentences = split_sentences(source.text)
    if index is None or index >= len(sentences):
        raise QuoteRequestError("Choose a sentence of this source to cite.")
    sentence = sentences[index]
    start, end = sentence_offset(data, "start"), sentence_offset(data, "end")
    if start is None and end is None:
        start, end = sentence.start, sentence.end
    elif start is None or end is None or not sentence.start <= start < end <= sentence.end:
        raise QuoteRequestError("The selected words must lie inside the sentence.")
    quote = source.text[start:end].strip()
    if not quote:
        raise QuoteRequestError("The selection is empty: select some words of the sentence.")
    return index, quote
