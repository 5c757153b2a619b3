"""Names in a text: the words a name is made of, the spellings it is found by, and the index
that finds every known name in one scan of the text (`NameIndex`).

A name matches tolerant of case, punctuation and titles; acronyms and codes ("JWG-ICC", "C-5")
only as written. Some names count only where the words around them say so (a surname after a
title, a country where something happens): the index's conditions.
"""

import bisect
import calendar
import dataclasses
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    """A span of the text that names a record the tracker has (or a place meetings were held)."""

    model: str  # "meetings.official", "cpec_tracker.organization", "projects.project",
    # "meetings.meeting", "cpec_tracker.theme" or "place"
    pk: int | None
    slug: str | None
    label: str  # the record's name
    text: str
    start: int
    end: int
    sentence: int


class SentenceLocator:
    """Which sentence an offset of the text lies in."""

    def __init__(self, sentences):
        self.starts = [sentence.start for sentence in sentences]

    def index_of(self, offset):
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)


WORD = re.compile(r"[^\W_]+")
# What may stand between two words of a name in the text: spaces, hyphens, dots, apostrophes,
# brackets ("Special Economic Zones (SEZs)"), at most a few characters and never a line break.
NAME_GAP = re.compile(r"[ \t\u00a0\-\u2010-\u2015.'\u2019()/&]{0,4}")

# Words that, just before a surname, show it names a person: "Ms Baloch", "President Xi".
TITLE_WORDS = frozenset(
    """mr mrs ms miss dr sir madam president premier minister secretary ambassador envoy
    chairman chairperson chairwoman senator governor general gen spokesperson spokesman
    spokeswoman adviser advisor consul mayor professor prof justice commissioner director
    counsellor councillor chief vice deputy""".split()
)
# Words for a country's people or government, which stand before an office without being part
# of it: "Chinese Vice Foreign Minister", "Federal Minister".
NATIONALITIES = frozenset(
    "chinese pakistani pakistan's china's afghan iranian american british federal".split()
)
# Capitalised words that start sentences or headlines but are no part of a name.
NOT_NAME_WORDS = frozenset(
    """the a an this that these those he she they it we i his her their its our later
    separately meanwhile addressing under in on at for with and but also both two chinese
    pakistani pakistan china said says according""".split()
    + [name.lower() for name in calendar.day_name]
    + [name.lower() for name in calendar.month_name[1:]]
)
# What an office written before a name may start with that is no part of the office:
# "Chinese Vice Foreign Minister", "The Foreign Secretary", "Later Minister".
NOT_OFFICE_WORDS = NATIONALITIES | NOT_NAME_WORDS


def words_in(text):
    """The text's words, without punctuation: "JWG-ICC's" → ["JWG", "ICC", "s"]."""
    return [match.group() for match in WORD.finditer(text)]


def name_forms(name):
    """The spellings a name is found by: "Special Economic Zones (SEZs)" is also found as
    "Special Economic Zones" and "SEZs"; "China-Pakistan Economic Corridor (CPEC) 2.0" also
    as "CPEC 2.0"."""
    name = name.strip()
    forms = [name]
    bracket = re.search(r"\(([^()]+)\)", name)
    if bracket:
        before, inside, after = name[: bracket.start()], bracket.group(1), name[bracket.end() :]
        forms.append(f"{before.strip()} {after.strip()}".strip())
        forms.append(f"{inside.strip()} {after.strip()}".strip())
    return [form for form in dict.fromkeys(forms) if words_in(form)]


def name_parts(name):
    """The proper names inside a descriptive name: its runs of two or more capitalised words
    (or numbers), when the name also has words in lower case. "Khunjerab Pass year-round
    operation" → ["Khunjerab Pass"]; "Main Line-1 railway upgrade" → ["Main Line-1"]; a name
    that is all proper name ("New Gwadar International Airport") has no parts."""
    words = list(WORD.finditer(name))
    if not any(word.group()[0].islower() for word in words):
        return []
    parts, run = [], []
    for word in [*words, None]:
        proper = word is not None and not word.group()[0].islower()
        joined = run and word is not None and NAME_GAP.fullmatch(name[run[-1].end() : word.start()])
        if proper and (not run or joined):
            run.append(word)
            continue
        if len(run) >= 2:
            parts.append(name[run[0].start() : run[-1].end()])
        run = [word] if proper else []
    return parts


def _is_case_sensitive(form):
    """Acronyms and codes ("JWG-ICC", "C-5") match only as written; ordinary names in any case."""
    words = words_in(form)
    return any(word.isupper() and len(word) > 1 for word in words) or any(
        char.isdigit() for char in form
    )


@dataclass(frozen=True)
class Target:
    model: str
    pk: int | None
    slug: str | None
    label: str


@dataclass(frozen=True)
class _Pattern:
    words: tuple  # lower-cased words, or as written when case-sensitive
    case_sensitive: bool
    target: Target
    # When a match counts: "always"; "after_title" (a surname after "Ms", "President" …);
    # "surname" (after a title, or alone but not inside another name: "Aamir Ali Baloch");
    # "alone" (a one-word theme, not inside a name: "Energy Minister"); "locative" (a
    # country where something happens: "in China", not "China and Pakistan agreed");
    # "part" (the leading part of a longer name, "Khunjerab Pass" of "Khunjerab Pass
    # year-round operation": only where it is not itself part of another name, and never
    # when a record's whole name or alias is spelt the same).
    condition: str = "always"
    unique: bool = True  # False when several records share this form


class _TextWords:
    """The text's lower-cased words, to tell at once whether a name can occur in it."""

    def __init__(self, text):
        words = [word.lower() for word in words_in(text)]
        self.words = set(words)
        self.joined = f" {' '.join(words)} "

    def __contains__(self, name_words):
        return name_words[0] in self.words and f" {' '.join(name_words)} " in self.joined


class _Node:
    __slots__ = ("children", "patterns")

    def __init__(self):
        self.children = {}
        self.patterns = []  # the names that end at this word


class NameIndex:
    """Every name and alias in a trie of lower-cased words, so the text is scanned once, word
    by word, at a cost that does not grow with the number of records."""

    def __init__(self, text=None):
        self.root = _Node()
        # Only names whose words occur in this order in the text are kept: with 100,000
        # records, the index then holds a few dozen names, not every one.
        self.text_words = None if text is None else _TextWords(text)

    def add(self, form, target, *, condition="always"):
        written = words_in(form)
        if not written:
            return
        if self.text_words is not None and [w.lower() for w in written] not in self.text_words:
            return
        case_sensitive = _is_case_sensitive(form)
        node = self.root
        for word in written:
            node = node.children.setdefault(word.lower(), _Node())
        words = tuple(written if case_sensitive else (word.lower() for word in written))
        patterns = node.patterns
        for existing in patterns:
            if existing.words == words and existing.target == target:
                if existing.condition != "always" and condition == "always":
                    patterns.remove(existing)
                    break
                return
        pattern = _Pattern(words, case_sensitive, target, condition)
        same_words = [p for p in patterns if p.words == words and p.target != target]
        if condition == "part" and any(p.condition != "part" for p in same_words):
            return
        if condition != "part":
            for part in [p for p in same_words if p.condition == "part"]:
                patterns.remove(part)
        clashing = [p for p in patterns if p.words == words and p.target != target]
        if clashing:
            pattern = dataclasses.replace(pattern, unique=False)
            for other in clashing:
                patterns[patterns.index(other)] = dataclasses.replace(other, unique=False)
        patterns.append(pattern)

    def scan(self, text, tokens):
        """Yield (target, start, end) for the longest unambiguous match at each word."""
        position = 0
        while position < len(tokens):
            best = self._longest(text, tokens, position)
            if best is None:
                position += 1
                continue
            length, patterns = best
            targets = {pattern.target for pattern in patterns}
            start, end = tokens[position].start(), tokens[position + length - 1].end()
            if len(targets) == 1 and all(pattern.unique for pattern in patterns):
                # "Special Economic Zones (SEZs)": keep the closing bracket with its opening one.
                if text.count("(", start, end) > text.count(")", start, end):
                    end += text.startswith(")", end)
                yield next(iter(targets)), start, end
            position += length

    def _longest(self, text, tokens, position):
        node = self.root
        best = None
        depth = 0
        while position + depth < len(tokens):
            token = tokens[position + depth]
            if depth:
                gap = text[tokens[position + depth - 1].end() : token.start()]
                if not NAME_GAP.fullmatch(gap):
                    break
            node = node.children.get(token.group().lower())
            if node is None:
                break
            depth += 1
            matching = [
                pattern
                for pattern in node.patterns
                if (
                    not pattern.case_sensitive
                    or all(
                        tokens[position + i].group() == word for i, word in enumerate(pattern.words)
                    )
                )
                and _condition_holds(pattern.condition, text, tokens, position, depth)
            ]
            if matching:
                best = (depth, matching)
        return best


def _after_title(text, tokens, position):
    if position == 0:
        return False
    previous = tokens[position - 1]
    gap = text[previous.end() : tokens[position].start()]
    return previous.group().lower() in TITLE_WORDS and re.fullmatch(r"\.? ", gap) is not None


def _inside_name(text, tokens, position):
    """Whether the word at `position` is joined by a space to a capitalised neighbour that
    may be part of a name ("Aamir Ali Baloch", "Energy Minister"; not "Later Baloch")."""

    def name_like(neighbour):
        word = tokens[neighbour].group()
        return word[0].isupper() and word.lower() not in NOT_NAME_WORDS

    before = position > 0 and name_like(position - 1)
    if before:
        before = text[tokens[position - 1].end() : tokens[position].start()] == " "
    after = position + 1 < len(tokens) and name_like(position + 1)
    if after:
        after = text[tokens[position].end() : tokens[position + 1].start()] == " "
    return bool(before or after)


# Words that make a kind of a subject ("nuclear energy", "renewable energy", "organic
# agriculture"); with one before it, a one-word theme names that narrower subject, not the
# theme. Verbs before it ("boost exports", "promote agriculture") do not: no word is listed
# that is also a common verb, and the rule for endings below keeps to adjectives' endings.
QUALIFIER_WORDS = frozenset(
    """nuclear solar wind coal hydel hydro hydroelectric thermal fossil renewable alternative
    clean green cheap affordable sustainable conventional modern organic traditional domestic
    total annual industrial agricultural electric electrical mineral natural""".split()
)
QUALIFIER_ENDING = re.compile(r"[a-z]{3,}(?:al|ar|ic|ous|ish)$")
NOT_QUALIFIERS = frozenset("reveal appeal clear panic publish establish finish".split())


def _qualified(text, tokens, position):
    """Whether a lower-case word of the kinds above stands just before the word at
    `position`, joined by a space: "nuclear energy" is a kind of energy, not the theme."""
    if position == 0:
        return False
    previous = tokens[position - 1]
    word = previous.group()
    if text[previous.end() : tokens[position].start()] != " " or not word.islower():
        return False
    return word in QUALIFIER_WORDS or (
        QUALIFIER_ENDING.fullmatch(word) is not None and word not in NOT_QUALIFIERS
    )


LOCATIVE = re.compile(r"\b(?:in|at|across|throughout|within|inside)\s+(?:the\s+)?$", re.IGNORECASE)
# How far before a word LOCATIVE looks: far enough for "throughout the", and bounded, so a long
# text is not searched from its start for every word.
LOCATIVE_REACH = 60


def _joined_to_name_word(text, tokens, position, neighbour):
    """Whether the word at `neighbour` is a capitalised name word joined by a space or a
    hyphen to the word at `position` ("Khunjerab Pass Road", "Old Khunjerab Pass")."""
    if not 0 <= neighbour < len(tokens):
        return False
    word = tokens[neighbour].group()
    first, second = sorted((position, neighbour))
    gap = text[tokens[first].end() : tokens[second].start()]
    return gap in (" ", "-") and word[0].isupper() and word.lower() not in NOT_NAME_WORDS


def _condition_holds(condition, text, tokens, position, length=1):
    if condition == "always":
        return True
    if condition == "part":
        last = position + length - 1
        return not _joined_to_name_word(
            text, tokens, position, position - 1
        ) and not _joined_to_name_word(text, tokens, last, last + 1)
    if condition == "after_title":
        return _after_title(text, tokens, position)
    if condition == "surname":
        return _after_title(text, tokens, position) or not _inside_name(text, tokens, position)
    if condition == "alone":
        return not _inside_name(text, tokens, position) and not _qualified(text, tokens, position)
    if condition == "locative":
        start = tokens[position].start()
        return LOCATIVE.search(text, max(0, start - LOCATIVE_REACH), start) is not None
    raise ValueError(condition)


def record_target(model_label, record, label):
    """What a name of `record` points to in the index."""
    return Target(model_label, record.pk, record.slug, label)


def mention_of(target, text, start, end, sentence):
    """A mention of an indexed record (`target`) at text[start:end]."""
    return Mention(
        target.model, target.pk, target.slug, target.label, text[start:end], start, end, sentence
    )
