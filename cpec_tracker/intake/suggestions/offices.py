"""Officials named by their office: "the foreign secretary" is the one official who holds that
office on the source's date, and "the minister" refers back to an official the text names."""

import datetime
import itertools
import re

from cpec_tracker.intake.suggestions.names import (
    NOT_OFFICE_WORDS,
    NameIndex,
    mention_of,
    record_target,
    words_in,
)
from meetings.models import Appointment


def office_holders_on(published_on):
    """{office, lower-cased: {its holders on `published_on` (today when None)}}."""
    office_holders = {}
    on = published_on or datetime.date.today()
    appointments = (
        Appointment.objects.current(on)
        .select_related("official")
        .only("title", "official__slug", "official__name")
    )
    for appointment in appointments:
        target = record_target("meetings.official", appointment.official, appointment.official.name)
        office_holders.setdefault(appointment.title.lower(), set()).add(target)
    return office_holders


# The noun an office's name ends on ("Vice Foreign Minister", "Ambassador of China to …"),
# which a short reference keeps ("the minister", "the ambassador").
OFFICE_NOUNS = frozenset(
    """minister secretary ambassador envoy president premier chairman chairperson chairwoman
    governor spokesperson spokesman spokeswoman adviser advisor consul mayor commissioner
    director senator""".split()
)
# Words of rank, which a short reference never drops: "the vice minister" is not the executive
# vice minister, "the minister" not the vice minister.
RANK_WORDS = frozenset(
    """vice deputy executive chief senior acting additional assistant associate principal
    special first prime under joint federal state provincial""".split()
)
OFFICE_QUALIFIER = frozenset("of for to at on in".split())
SHORT_OFFICE_OPTIONAL_WORDS = 4


def short_office_forms(office):
    """The shorter ways a text refers to an office: its words before "of", "for" …, ending on
    the office's noun, with any of the other words left out but never a word of rank.
    "Ambassador of China to Pakistan" → "ambassador"; "Vice Foreign Minister" → "vice foreign
    minister", "vice minister"; "Executive Vice Foreign Minister" → never "vice minister"."""
    words = []
    for word in words_in(office.lower()):
        if word in OFFICE_QUALIFIER:
            break
        words.append(word)
    if not words or words[-1] not in OFFICE_NOUNS:
        return []
    *before, noun = words
    optional = [i for i, word in enumerate(before) if word not in RANK_WORDS]
    if len(optional) > SHORT_OFFICE_OPTIONAL_WORDS:
        return [" ".join(words)]
    forms = []
    for left_out in itertools.product((False, True), repeat=len(optional)):
        dropped = {i for i, drop in zip(optional, left_out, strict=True) if drop}
        forms.append(" ".join([w for i, w in enumerate(before) if i not in dropped] + [noun]))
    return forms


def _after_a_name_word(text, tokens, position):
    """Whether a capitalised word joined by a space stands before the word at `position` and
    makes it part of another office or name ("Prime Minister", "Energy Minister"); a
    nationality ("Chinese vice minister") or "The" does not."""
    if position == 0:
        return False
    previous = tokens[position - 1]
    word = previous.group()
    return (
        text[previous.end() : tokens[position].start()] == " "
        and word[0].isupper()
        and word.lower() not in NOT_OFFICE_WORDS
    )


def office_mentions(text, tokens, office_holders, mentions, locate):
    """ "the foreign secretary" names the one official holding that office on the source's
    date — unless a name follows it, or the same sentence names that official anyway.

    A short reference ("the ambassador", "Chinese vice minister": `short_office_forms`) names
    an official only when the text also names them (by name, alias or surname) — it refers
    back to someone the article has introduced — and when no other office holder it names
    fits it as well."""
    offices = {
        office: next(iter(targets))
        for office, targets in office_holders.items()
        if len(targets) == 1
    }
    if not offices:
        return []
    named = {(m.pk, m.sentence) for m in mentions if m.model == "meetings.official"}
    named_anywhere = {pk for pk, _ in named}
    office_index = NameIndex()
    for office, target in offices.items():
        office_index.add(office, target)
        if target.pk in named_anywhere:
            for form in short_office_forms(office):
                office_index.add(form, target)
    position_at = {token.start(): position for position, token in enumerate(tokens)}
    found = []
    for target, start, end in office_index.scan(text, tokens):
        if re.match(r" +[A-Z]", text[end:]):
            continue
        if _after_a_name_word(text, tokens, position_at[start]):
            continue
        sentence = locate.index_of(start)
        if (target.pk, sentence) in named:
            continue
        found.append(mention_of(target, text, start, end, sentence))
    return found
