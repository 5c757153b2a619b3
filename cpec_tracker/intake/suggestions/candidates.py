"""Candidates: names of people, organizations and projects the tracker does not know yet,
proposed as new records. A person follows a title or stands beside an office and a comma;
an organization or a project is a capitalised run with an organisation's or project's word,
a body named in lower case after its owner ("the Senate's foreign affairs committee"), or an
abbreviation standing alone ("NDRC", "ML-1"). Each name is proposed once, and a person only
by a full name."""

import bisect
import re
from dataclasses import dataclass

from cpec_tracker.intake.suggestions.names import NOT_NAME_WORDS, NOT_OFFICE_WORDS


@dataclass(frozen=True)
class Candidate:
    """A name the tracker does not know yet, proposed as a new record."""

    kind: str  # "person" | "organization" | "project"
    name: str
    text: str
    start: int
    end: int
    sentence: int
    office: str = ""  # for a person: the title found with the name ("Foreign Secretary")


ORGANIZATION_WORDS = frozenset(
    """ministry authority corporation bank council commission group committee embassy board
    company limited ltd agency department institute university chamber bureau forum federation
    association organisation organization fund administration division secretariat consulate
    consortium party assembly senate cabinet railways airlines""".split()
)
PROJECT_WORDS = frozenset(
    """project plant station motorway highway expressway port zone airport railway dam
    hydropower pipeline refinery park scheme corridor bridge road tunnel terminal mine
    line""".split()
)
CONNECTORS = frozenset({"of", "for", "and", "on", "the", "to", "&", "de"})
# A person's office: "Foreign Secretary", "Vice Foreign Minister", "Ambassador".
PERSON_TITLES = frozenset(
    """mr mrs ms dr president premier minister secretary ambassador envoy chairman chairperson
    senator governor general spokesperson adviser advisor consul mayor professor justice
    commissioner director executive""".split()
)
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "miss", "sir"})
COUNTRY_WORDS = frozenset({"pakistan", "china", "chinese", "pakistani"})
CAPITALISED_RUN = re.compile(
    r"(?:[A-Z][\w'’\-]*|\d+[A-Z]?\b)(?:(?:\s+|-)(?:(?:of|for|and|on|the|to|&)\s+)*"
    r"(?:[A-Z][\w'’\-]*|\d+[A-Z]?\b))*"
)
RUN_WORD = re.compile(r"[\w'’]+(?:-[\w'’]+)*|&")
PERSON_NAME = r"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})"
TITLE_ALTERNATIVES = "|".join(sorted(PERSON_TITLES - HONORIFICS))
# "the ambassador of China to Pakistan, Jiang Zaidong," and "Zheng Shanjie, chairman of …".
OFFICE_THEN_NAME = re.compile(
    r"\b(?:[Tt]he\s+)?(?P<office>(?:[A-Za-z]+\s+){0,3}?(?:" + TITLE_ALTERNATIVES + r")"
    r"(?:\s+(?:of|for|to)\s+[A-Z][a-z]+(?:\s+(?:to|of|and)\s+[A-Z][a-z]+)*)?)"
    r",\s+" + PERSON_NAME + r"(?=\s*[,.]|\s+said)"
)
# The nouns an office given after a name and a comma ends on, in any case: "Ahsan Iqbal,
# Pakistan's Federal Minister for Planning", "Cong Liang, deputy head of …".
OFFICE_NOUNS_AFTER_NAME = "|".join(
    sorted(
        PERSON_TITLES - HONORIFICS
        | set(
            """head chief member officer representative leader spokesman spokeswoman
            chairwoman counsellor""".split()
        )
    )
)
# A name, a comma, then an office: an optional article and owner ("the", "Pakistan's"), up
# to three words, the office's noun, and what it is the office of ("for Planning", "of
# China's National Development and Reform Commission"). The name starts a sentence or a
# clause, or follows a word in lower case: never the end of a longer capitalised name.
NAME_THEN_OFFICE = re.compile(
    r"(?:^|(?<=[a-z] )|(?<=[,;:] )|(?<=[(\"“‘]))" + PERSON_NAME + r",\s+(?:(?:the|a|an)\s+)?"
    r"(?:[A-Z][\w\-]*['’]s\s+)?"
    r"(?P<office>(?:[A-Za-z][\w\-]*\s+){0,3}?(?i:" + OFFICE_NOUNS_AFTER_NAME + r")\b"
    r"(?:\s+(?:of|for|to|at|on)\s+(?:the\s+)?[\w'’\-]+"
    r"(?:(?:\s+(?:and|of|for|on|the|&))*\s+[A-Z][\w'’\-]*)*)?)"
)
# A body named in lower case after its owner ("the Senate's foreign affairs committee",
# "Pakistan's planning commission") or with what it is for ("a parliamentary committee on
# CPEC"): its head word is one only bodies have.
BODY_HEADS = r"(?:committee|commission|authority|council|board|task force)"
BODY_IN_LOWER_CASE = re.compile(
    r"(?P<name>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3}['’]s\s+(?:[a-z][\w\-]*\s+){0,3}?"
    + BODY_HEADS
    + r"\b(?:\s+(?:on|for)\s+[A-Z][\w\-]*(?:\s+(?:and\s+)?[A-Z][\w\-]*)*)?)"
    r"|\b(?:the|a|an)\s+(?P<topic_name>(?:[a-z][\w\-]*\s+){1,3}" + BODY_HEADS + r"\s+(?:on|for)"
    r"\s+[A-Z][\w\-]*(?:\s+(?:and\s+)?[A-Z][\w\-]*)*)"
)
# An abbreviation standing alone: an acronym ("NHA", "NDRC") or a code of letters and
# digits ("ML-1", "KKH-2"). A code names a project, an acronym an organization.
ABBREVIATION = re.compile(r"(?:[A-Z]{2,6}|[A-Z]{1,5}-\d{1,3}[A-Z]?|[A-Z]{2,6}-[A-Z]{2,6})")
# Abbreviations for what is no record: countries, units, currencies, titles, common nouns,
# and the corridor itself.
NOT_NAME_ABBREVIATIONS = frozenset(
    """CPEC US USA UK UAE EU PRC KSA UN PM CM FM FS DG CEO CFO MD MP MNA MPA GDP FDI IT ICT AI
    SEZ SEZS LNG LPG EV IPP IPPS JV MOU MW GW KW KV KM KMS PKR USD RMB CNY TV OK""".split()
)
# A word standing alone, possibly plural or possessive: no capitalised word follows it
# ("NHA Chairman", "CPEC Joint Cooperation Committee" are names; `_is_abbreviation` looks
# before it).
STANDING_ALONE = re.compile(
    r"(?<![\w\-’'])(?P<abbreviation>" + ABBREVIATION.pattern + r")"
    r"(?:['’]s|s)?(?![\w\-])(?!\s+[A-Z])"
)
BRACKETED_ABBREVIATION = re.compile(r"\(\s*([A-Z][A-Za-z0-9\-]{1,11})\s*\)")
CANDIDATE_MODELS = {
    "person": "meetings.official",
    "organization": "cpec_tracker.organization",
    "project": "projects.project",
}


def find_candidates(text, sentences, mentions):
    """Rule-based: a person follows a title ("Minister Ahsan Iqbal") or stands next to a
    titled phrase and a comma ("Cong Liang, deputy head of …"); an organization or a project
    is a capitalised run with an organisation or project word in it, a body in lower case
    with its owner, or an abbreviation standing alone. A name that overlaps a mention of a
    record of its kind, or lies inside any mention, is known already and left out."""
    found = []
    # A candidate lies inside its sentence: only the mentions and candidates that reach into
    # that sentence are compared with it (comparing all grows with the square of the text).
    mentions = sorted(mentions, key=lambda mention: mention.start)
    mention_starts = [mention.start for mention in mentions]
    longest_mention = max((mention.end - mention.start for mention in mentions), default=0)
    nearby_mentions, sentence_first = [], 0
    defined_in_brackets = {match.group(1) for match in BRACKETED_ABBREVIATION.finditer(text)}

    def add(kind, start, end, sentence, office=""):
        if end <= start:
            return
        for mention in nearby_mentions:
            overlaps = start < mention.end and mention.start < end
            inside = mention.start <= start and end <= mention.end
            if inside or (overlaps and mention.model == CANDIDATE_MODELS[kind]):
                return
        if any(c.start < end and start < c.end for c in found[sentence_first:]):
            return
        name = text[start:end]
        found.append(Candidate(kind, name, name, start, end, sentence.index, office))

    for sentence in sentences:
        first = bisect.bisect_left(mention_starts, sentence.start - longest_mention)
        last = bisect.bisect_left(mention_starts, sentence.end)
        nearby_mentions = [m for m in mentions[first:last] if m.end > sentence.start]
        sentence_first = len(found)
        offset = sentence.start
        for pattern in (OFFICE_THEN_NAME, NAME_THEN_OFFICE):
            for match in pattern.finditer(sentence.text):
                office = match.group("office").strip()
                start, end = offset + match.start("name"), offset + match.end("name")
                if match.group("name").split()[0].lower() in NOT_NAME_WORDS:
                    continue
                if any(not _is_person_name_word(word) for word in match.group("name").split()):
                    continue
                add("person", start, end, sentence, office[0].upper() + office[1:])
        for match in BODY_IN_LOWER_CASE.finditer(sentence.text):
            group = "name" if match.group("name") else "topic_name"
            add("organization", offset + match.start(group), offset + match.end(group), sentence)
        for match in STANDING_ALONE.finditer(sentence.text):
            if _is_abbreviation(text, match, offset, defined_in_brackets):
                start, end = (
                    offset + match.start("abbreviation"),
                    offset + match.end("abbreviation"),
                )
                kind = (
                    "project" if any(char.isdigit() for char in text[start:end]) else "organization"
                )
                add(kind, start, end, sentence)
        for run in CAPITALISED_RUN.finditer(sentence.text):
            words = [
                (
                    word.group(),
                    offset + run.start() + word.start(),
                    offset + run.start() + word.end(),
                )
                for word in RUN_WORD.finditer(run.group())
            ]
            word_before = re.search(r"([A-Za-z]+)\s+$", sentence.text[: run.start()])
            _candidates_in_run(words, word_before and word_before.group(1), sentence, add)
    found.sort(key=lambda candidate: candidate.start)
    # Each name once: a later use is the same new record. A person is proposed by a full
    # name only: "Mr Iqbal" is the Ahsan Iqbal the text names (as a candidate or, in
    # `mentions`, as a known official), and a surname the text never gives in full would
    # make a record named "Iqbal", which nobody could tell from the next one.
    seen = set()
    candidates = []
    for candidate in found:
        if candidate.kind == "person" and len(candidate.name.split()) < 2:
            continue
        if candidate.name.lower() in seen:
            continue
        seen.add(candidate.name.lower())
        candidates.append(candidate)
    return candidates


def _is_person_name_word(word):
    lowered = word.lower()
    return lowered not in (
        NOT_NAME_WORDS | COUNTRY_WORDS | ORGANIZATION_WORDS | PROJECT_WORDS | PERSON_TITLES
    )


def _is_abbreviation(text, match, offset, defined_in_brackets):
    """Whether a word standing alone is an abbreviation to propose: not one the text defines
    in brackets ("the National Highway Authority (NHA)" proposes the name, once), not one of
    those that name no record, and not a dateline ("LAHORE:")."""
    abbreviation = match.group("abbreviation")
    if abbreviation.upper() in NOT_NAME_ABBREVIATIONS or abbreviation in defined_in_brackets:
        return False
    word_before = re.search(r"(\S+) $", match.string[: match.start()])
    if word_before and _is_name_word(word_before.group(1)):
        return False
    return not text.startswith(":", offset + match.end())


def _is_name_word(word):
    return word[0].isupper() and word.lower() not in NOT_NAME_WORDS | CONNECTORS


def _candidates_in_run(words, word_before, sentence, add):
    lowered = [word.lower().rstrip(".") for word, _, _ in words]
    title_positions = [i for i, word in enumerate(lowered) if word in PERSON_TITLES]
    if title_positions:
        _person_after_title(words, title_positions[-1], sentence, add)
        return
    if word_before and word_before.islower() and word_before in PERSON_TITLES:
        # "chief executive Aamir Ali Baloch": the title in lower case, the name capitalised.
        name_words = words[:3]
        if len(name_words) >= 2 and all(_is_name_word(w[0]) for w in name_words):
            add("person", name_words[0][1], name_words[-1][2], sentence, word_before)
            return
    kind = None
    if any(word in ORGANIZATION_WORDS for word in lowered):
        kind, heads = "organization", ORGANIZATION_WORDS
    elif any(word in PROJECT_WORDS for word in lowered):
        kind, heads = "project", PROJECT_WORDS
    if kind is None:
        return
    trimmed = list(words)
    # Country names stay: "Pakistan Railways", "China National Nuclear Corporation".
    while trimmed and trimmed[0][0].lower() in (NOT_NAME_WORDS - COUNTRY_WORDS) | CONNECTORS:
        trimmed = trimmed[1:]
    # "China's National Development and Reform Commission": the owner is no part of the name.
    while len(trimmed) > 1 and re.search(r"['’]s$", trimmed[0][0]):
        trimmed = trimmed[1:]
    # "the Asian Development Bank and China": the name ends with its head word.
    last_head = (
        max(i for i, word in enumerate(trimmed) if word[0].lower() in heads)
        if any(word[0].lower() in heads for word in trimmed)
        else None
    )
    if last_head is not None:
        tail = trimmed[last_head + 1 :]
        if tail and tail[0][0].lower() in ("and", "&"):
            trimmed = trimmed[: last_head + 1]
    while trimmed and trimmed[-1][0].lower() in CONNECTORS:
        trimmed = trimmed[:-1]
    if len(trimmed) < 2:
        return  # "Bank" or "Port" alone names nothing in particular
    add(kind, trimmed[0][1], trimmed[-1][2], sentence)


def _person_after_title(words, title_position, sentence, add):
    """The name after the run's last title word: "Foreign Secretary Amna Baloch"."""
    after = words[title_position + 1 :]
    if after and after[0][0].lower() in ("for", "of"):
        # "Minister for Planning and Development Ahsan Iqbal": the office runs on; the name
        # is the run's last two words.
        name_words = after[-2:]
    else:
        name_words = []
        for word in after:
            if not _is_name_word(word[0]):
                break
            name_words.append(word)
        name_words = name_words[:3]
    if not name_words or not all(_is_name_word(w[0]) and w[0][0].isalpha() for w in name_words):
        return
    if any(w[0].lower() in ORGANIZATION_WORDS | PROJECT_WORDS for w in name_words):
        return
    office_words = [
        w for w in words[: words.index(name_words[0])] if w[0].lower().rstrip(".") not in HONORIFICS
    ]
    while office_words and office_words[0][0].lower() in NOT_OFFICE_WORDS:
        office_words = office_words[1:]
    add(
        "person",
        name_words[0][1],
        name_words[-1][2],
        sentence,
        " ".join(w[0] for w in office_words),
    )
