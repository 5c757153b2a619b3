"""Candidates: names of people, organizations and projects the tracker does not know yet,
proposed as new records. A person follows a title or stands beside an office and a comma;
an organization or a project is a capitalised run with an organisation's or project's word."""

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
NAME_THEN_OFFICE = re.compile(
    r"(?:^|(?<=[a-z] ))" + PERSON_NAME + r",\s+(?:the\s+|a\s+)?(?P<office>(?:[a-z]+\s+){0,2}"
    r"(?:" + TITLE_ALTERNATIVES + r")\b(?:\s+(?:of|for|to|at)\s+[\w'’]+(?:\s+[A-Z][\w'’]*)*)?)"
)
CANDIDATE_MODELS = {
    "person": "meetings.official",
    "organization": "cpec_tracker.organization",
    "project": "projects.project",
}


def find_candidates(text, sentences, mentions):
    """Rule-based: a person follows a title ("Minister Ahsan Iqbal", "Mr Khan") or stands
    next to a titled phrase and a comma; an organization or a project is a capitalised run
    with an organisation or project word in it. A name that overlaps a mention of a record
    of its kind, or lies inside any mention, is known already and left out."""
    found = []
    # A candidate lies inside its sentence: only the mentions and candidates that reach into
    # that sentence are compared with it (comparing all grows with the square of the text).
    mentions = sorted(mentions, key=lambda mention: mention.start)
    mention_starts = [mention.start for mention in mentions]
    longest_mention = max((mention.end - mention.start for mention in mentions), default=0)
    nearby_mentions, sentence_first = [], 0

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
                add("person", start, end, sentence, office[0].upper() + office[1:])
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
    # "Mr Gandapur" after "Ali Amin Gandapur" is the same new person, not another one.
    full_names = set()
    candidates = []
    for candidate in found:
        words = candidate.name.split()
        if candidate.kind == "person" and len(words) == 1 and words[0] in full_names:
            continue
        if candidate.kind == "person":
            full_names.add(words[-1])
        candidates.append(candidate)
    return candidates


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
