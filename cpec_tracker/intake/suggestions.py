"""Suggestions for turning an article into records: what a source's text mentions.

`suggest(source)` reads the source's text sentence by sentence and finds

- **mentions** of records the tracker already has (officials, organizations, projects,
  meetings by series and ordinal, themes, and the places meetings were held), matched on
  names, short names and aliases, tolerant of case, punctuation and titles;
- **dates**, absolute and relative, the relative ones resolved against the source's date;
- **figures** with their units;
- **candidates**: names of people, organizations and projects the tracker does not know yet.

Everything is rule-based (no model can be downloaded here); the rules are measured against
hand-labelled articles in `tests/fixtures/articles/`. It only reads: nothing is written.
Like the seed loader it composes the apps (a "roof" module), so it imports them.

Offsets are Python string indices into the text exactly as stored, so
`text[item.start:item.end] == item.text` for every item, and a sentence's text is a quote
that `cpec_tracker.records.quotes.find_quote` accepts as it is. Name mentions never overlap one
another, but a meeting's mention contains its series' when the text names it in between
("5th JWG-ICC meeting"). Every list is in text order.
"""

import bisect
import calendar
import dataclasses
import datetime
import decimal
import itertools
import re
from dataclasses import dataclass
from functools import cached_property

from cpec_tracker.records.dates import DatePrecision
from cpec_tracker.records.models import Organization, Theme
from cpec_tracker.records.sentences import Sentence, split_sentences
from meetings.models import Appointment, Meeting, Official
from projects.models import Project

# What is found -----------------------------------------------------------------------------


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


@dataclass(frozen=True)
class FoundDate:
    text: str
    start: int
    end: int
    sentence: int
    value: datetime.date
    precision: str  # a DatePrecision value


@dataclass(frozen=True)
class Figure:
    text: str
    start: int
    end: int
    sentence: int
    value: decimal.Decimal
    unit: str  # "jobs", "MW", "USD" …


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


def _as_dict(item):
    data = dataclasses.asdict(item)
    for key, value in data.items():
        if isinstance(value, datetime.date):
            data[key] = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            data[key] = decimal_text(value)
    return data


def decimal_text(value):
    """A decimal without exponent or trailing zeros: "1400000000000", "2.5"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Suggestions:
    sentences: list[Sentence]
    mentions: list[Mention]
    dates: list[FoundDate]
    figures: list[Figure]
    candidates: list[Candidate]

    def for_sentence(self, index):
        """What was found in one sentence: {"mentions": [...], "dates": [...], ...}."""
        return {name: items.get(index, []) for name, items in self._by_sentence.items()}

    @cached_property
    def _by_sentence(self):
        # Grouped once: looking through every find for each sentence grows with the square
        # of a long text's length.
        grouped = {}
        for name in ("mentions", "dates", "figures", "candidates"):
            grouped[name] = {}
            for item in getattr(self, name):
                grouped[name].setdefault(item.sentence, []).append(item)
        return grouped

    def as_json(self):
        """Plain data (ISO dates, decimal strings) as `manage.py suggest SLUG --json` prints."""
        return {
            name: [_as_dict(item) for item in getattr(self, name)]
            for name in ("sentences", "mentions", "dates", "figures", "candidates")
        }


class _SentenceLocator:
    def __init__(self, sentences):
        self.starts = [sentence.start for sentence in sentences]

    def index_of(self, offset):
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)


# Words and names ---------------------------------------------------------------------------

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
NATIONALITIES = frozenset(
    "chinese pakistani pakistan's china's afghan iranian american british federal".split()
)


def _words(text):
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
    return [form for form in dict.fromkeys(forms) if _words(form)]


def _is_case_sensitive(form):
    """Acronyms and codes ("JWG-ICC", "C-5") match only as written; ordinary names in any case."""
    words = _words(form)
    return any(word.isupper() and len(word) > 1 for word in words) or any(
        char.isdigit() for char in form
    )


@dataclass(frozen=True)
class _Target:
    model: str
    pk: int | None
    slug: str | None
    label: str


@dataclass(frozen=True)
class _Pattern:
    words: tuple  # lower-cased words, or as written when case-sensitive
    case_sensitive: bool
    target: _Target
    # When a match counts: "always"; "after_title" (a surname after "Ms", "President" …);
    # "surname" (after a title, or alone but not inside another name: "Aamir Ali Baloch");
    # "alone" (a one-word theme, not inside a name: "Energy Minister"); "locative" (a
    # country where something happens: "in China", not "China and Pakistan agreed").
    condition: str = "always"
    unique: bool = True  # False when several records share this form


class _TextWords:
    """The text's lower-cased words, to tell at once whether a name can occur in it."""

    def __init__(self, text):
        words = [word.lower() for word in _words(text)]
        self.words = set(words)
        self.joined = f" {' '.join(words)} "

    def __contains__(self, name_words):
        return name_words[0] in self.words and f" {' '.join(name_words)} " in self.joined


class _Node:
    __slots__ = ("children", "patterns")

    def __init__(self):
        self.children = {}
        self.patterns = []  # the names that end at this word


class _NameIndex:
    """Every name and alias in a trie of lower-cased words, so the text is scanned once, word
    by word, at a cost that does not grow with the number of records."""

    def __init__(self, text=None):
        self.root = _Node()
        # Only names whose words occur in this order in the text are kept: with 100,000
        # records, the index then holds a few dozen names, not every one.
        self.text_words = None if text is None else _TextWords(text)

    def add(self, form, target, *, condition="always"):
        written = _words(form)
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
                and _condition_holds(pattern.condition, text, tokens, position)
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


def _condition_holds(condition, text, tokens, position):
    if condition == "always":
        return True
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


def _record_target(model_label, record, label):
    return _Target(model_label, record.pk, record.slug, label)


@dataclass
class _KnownNames:
    """The records a text may mention, loaded once (they may serve several texts)."""

    index: _NameIndex
    meetings: list
    theme_pairs: dict


def _load_names(text):
    """Every name `text` may mention, loaded in one query per model (`text` may be several
    texts joined: a name is kept when its words occur in it)."""
    index = _NameIndex(text)

    surnames = {}
    for official in Official.objects.only(
        "pk", "slug", *Official.name_fields, "aliases", "country"
    ):
        target = _record_target("meetings.official", official, official.name)
        for form in official.names:
            index.add(form, target)
        words = _words(official.name)
        if len(words) >= 2:
            # Chinese names put the family name first ("President Xi").
            family_name = words[0] if official.country == "CN" else words[-1]
            surnames.setdefault(family_name, set()).add(target)
    for family_name, targets in surnames.items():
        for target in targets:
            # A surname names the person after a title ("Ms Baloch"); alone ("Baloch said")
            # only when one official has it and it is no short word like "Xi" or "Ma".
            alone = len(targets) == 1 and len(family_name) >= 4
            index.add(family_name, target, condition="surname" if alone else "after_title")

    for organization in Organization.objects.only(
        "pk", "slug", *Organization.name_fields, "short_name", "aliases"
    ):
        target = _record_target("cpec_tracker.organization", organization, organization.name)
        for form in organization.names:
            for spelling in name_forms(form):
                index.add(spelling, target)

    for project in Project.objects.only("pk", "slug", *Project.name_fields, "aliases"):
        target = _record_target("projects.project", project, project.title)
        for form in project.names:
            for spelling in name_forms(form):
                index.add(spelling, target)

    # Two-word theme names by their last word: "green corridor" under "corridor".
    theme_pairs = {}
    for theme in Theme.objects.only("pk", "slug", "name"):
        target = _record_target("cpec_tracker.theme", theme, theme.name)
        for spelling in name_forms(theme.name):
            words = [word.lower() for word in _words(spelling)]
            index.add(spelling, target, condition="alone" if len(words) == 1 else "always")
            if len(words) == 2:
                theme_pairs.setdefault(words[1], {})[words[0]] = target

    meetings = list(
        Meeting.objects.only("pk", "slug", "title", "body_id", "sequence_number", "city", "country")
    )
    cities = {meeting.city.strip() for meeting in meetings if meeting.city.strip()}
    countries = {str(meeting.country.name) for meeting in meetings if meeting.country}
    for city in cities:
        index.add(city, _Target("place", None, None, city))
    # Countries are actors as often as places ("Pakistan and China agreed"): only "in China".
    for country in countries - cities:
        index.add(country, _Target("place", None, None, country), condition="locative")
    return _KnownNames(index, meetings, theme_pairs)


def _office_holders(published_on):
    """{office, lower-cased: {its holders on `published_on` (today when None)}}."""
    office_holders = {}
    on = published_on or datetime.date.today()
    appointments = (
        Appointment.objects.current(on)
        .select_related("official")
        .only("title", "official__slug", "official__name")
    )
    for appointment in appointments:
        target = _record_target(
            "meetings.official", appointment.official, appointment.official.name
        )
        office_holders.setdefault(appointment.title.lower(), set()).add(target)
    return office_holders


# Meetings by ordinal -----------------------------------------------------------------------

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
MEETING_WORD = re.compile(r"\b(?:meeting|session|round|sitting)s?\b", re.IGNORECASE)
# Between an ordinal and "meeting": the series' name or short name, nothing else.
SERIES_BETWEEN = re.compile(r"[\s\-()A-Z0-9.&']*(?:[A-Z][\w\-]*[\s\-()A-Z0-9.&']*)*")


def _meeting_mentions(text, sentences, organization_mentions, meetings):
    series = {}
    for meeting in meetings:
        if meeting.body_id and meeting.sequence_number:
            series[(meeting.body_id, meeting.sequence_number)] = meeting
    bodies = {body for body, _ in series}
    found = []
    last_body = None
    # Bodies' mentions by start, and the last one of each sentence: looked up, not searched
    # for each ordinal and sentence (which grows with the square of a long text).
    org_by_start = [
        mention
        for mention in sorted(organization_mentions, key=lambda mention: mention.start)
        if mention.pk in bodies
    ]
    org_starts = [mention.start for mention in org_by_start]
    last_body_of_sentence = {mention.sentence: mention.pk for mention in org_by_start}
    for sentence in sentences:
        for match in ORDINAL.finditer(sentence.text):
            number = (
                int(match.group("number"))
                if match.group("number")
                else ORDINAL_WORDS[match.group("word").lower()]
            )
            rest = sentence.text[match.end() :]
            meeting_word = MEETING_WORD.search(rest)
            if meeting_word is None or meeting_word.start() > 90:
                continue
            between = rest[: meeting_word.start()]
            if not SERIES_BETWEEN.fullmatch(between):
                continue
            start = sentence.start + match.start()
            end = sentence.start + match.end() + meeting_word.end()
            body = None
            first = bisect.bisect_left(org_starts, start)
            last = bisect.bisect_right(org_starts, end + 12)
            for mention in org_by_start[first:last]:
                inside = start <= mention.start and mention.end <= end
                after = 0 <= mention.start - end <= 12 and re.fullmatch(
                    r"\s+of(?:\s+the)?\s+", text[end : mention.start]
                )
                if inside or after:
                    body = mention.pk
                    break
            body = body or last_body
            if body is None:
                continue
            last_body = body
            meeting = series.get((body, number))
            if meeting is None:
                continue
            found.append(
                Mention(
                    "meetings.meeting",
                    meeting.pk,
                    meeting.slug,
                    meeting.title,
                    text[start:end],
                    start,
                    end,
                    sentence.index,
                )
            )
        last_body = last_body_of_sentence.get(sentence.index, last_body)
    return found


def _mention(target, text, start, end, sentence):
    """A mention of an indexed record (`target`) at text[start:end]."""
    return Mention(
        target.model, target.pk, target.slug, target.label, text[start:end], start, end, sentence
    )


def find_mentions(text, sentences, published_on=None, *, known=None, office_holders=None):
    """The mentions of known records in `text`; `known` (`_load_names`) and `office_holders`
    are loaded here unless given."""
    known = known or _load_names(text)
    if office_holders is None:
        office_holders = _office_holders(published_on)
    locate = _SentenceLocator(sentences)
    tokens = list(WORD.finditer(text))
    mentions = [
        _mention(target, text, start, end, locate.index_of(start))
        for target, start, end in known.index.scan(text, tokens)
    ]
    mentions += _listed_theme_mentions(text, mentions, known.theme_pairs, locate)
    mentions += _office_mentions(text, tokens, office_holders, mentions, locate)
    organizations = [m for m in mentions if m.model == "cpec_tracker.organization"]
    mentions += _meeting_mentions(text, sentences, organizations, known.meetings)
    return sorted(mentions, key=lambda mention: (mention.start, -mention.end))


def mentions_of_sources(sources):
    """{source.pk: its mentions}, the same as `suggest(source).mentions` for each, with the
    records loaded once for all of them (and offices once per publication date)."""
    if not sources:
        return {}
    known = _load_names("\n".join(source.text or "" for source in sources))
    holders_on = {}
    found = {}
    for source in sources:
        if source.published_on not in holders_on:
            holders_on[source.published_on] = _office_holders(source.published_on)
        found[source.pk] = find_mentions(
            source.text or "",
            sentences_of(source),
            source.published_on,
            known=known,
            office_holders=holders_on[source.published_on],
        )
    return found


# "growth, livelihood, innovation, open and green": the words listed before a theme's last one.
LISTED_BEFORE = re.compile(r"((?:[\w-]+,\s+)+(?:[\w-]+,?\s+)?(?:and|or)\s+)$")


def _listed_theme_mentions(text, mentions, theme_pairs, locate):
    """In "growth, livelihood, innovation, open and green corridor" each listed word names
    its own theme ("Growth corridor" …) when the tracker has a theme of that name."""
    found = []
    for mention in mentions:
        if mention.model != "cpec_tracker.theme":
            continue
        words = [word.lower() for word in _words(mention.text)]
        if len(words) != 2 or words[1] not in theme_pairs:
            continue
        listed = LISTED_BEFORE.search(text, max(0, mention.start - 200), mention.start)
        if listed is None:
            continue
        for word in re.finditer(r"[\w-]+", listed.group(1)):
            target = theme_pairs[words[1]].get(word.group().lower())
            if target is not None:
                start = listed.start(1) + word.start()
                end = listed.start(1) + word.end()
                found.append(_mention(target, text, start, end, locate.index_of(start)))
    return found


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
    for word in _words(office.lower()):
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
        and word.lower() not in NOT_NAME_WORDS | NATIONALITIES
    )


def _office_mentions(text, tokens, office_holders, mentions, locate):
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
    office_index = _NameIndex()
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
        found.append(_mention(target, text, start, end, sentence))
    return found


# Dates -------------------------------------------------------------------------------------

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
FUTURE = re.compile(r"\b(?:will|shall|is to|are to|scheduled|expected|upcoming|due to)\b", re.I)
REPORTING = re.compile(r"\b(?:said|says|told|announced|stated|added|noted)\b", re.I)


def _looks_ahead(text_before):
    """Whether a weekday is to come: a future verb before it, and no "said" in between
    ("will hold the meeting next month, the minister said on Tuesday" is past)."""
    futures = list(FUTURE.finditer(text_before))
    return bool(futures) and not REPORTING.search(text_before, futures[-1].end())


DATE_PATTERNS = [
    ("iso", rf"\b{YEAR}-(?P<month_number>[01]\d)-(?P<day>[0-3]\d)\b"),
    ("day_month_year", rf"\b{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"),
    ("month_day_year", rf"\b{MONTH}\s+{DAY},?\s+{YEAR}\b"),
    ("month_year", rf"\b{MONTH},?\s+{YEAR}\b"),
    ("day_month", rf"\b{DAY}\s+(?:of\s+)?{MONTH}\b"),
    ("month_day", rf"\b{MONTH}\s+{DAY}\b(?![,.]?\d)"),
    (
        "relative_month_name",
        rf"\b(?P<prep>in|since|by|until|till|from|during|early|mid|late|last|next|this)[\s-]+"
        rf"(?P<month_name>{'|'.join(calendar.month_name[1:])})\b",
    ),
    ("year", rf"(?<![$£€¥\d.,])\b{YEAR}\b(?![\d.,]\d|\s*(?:MW|GW|km|%))"),
    ("day_word", r"\b(?P<word>yesterday|today|tomorrow)\b"),
    (
        "weekday",
        r"\b(?:(?P<which>last|next|this|on|on\s+the\s+coming|coming)\s+)?"
        r"(?P<weekday>" + "|".join(calendar.day_name) + r")\b",
    ),
    (
        "relative_period",
        r"\b(?P<which>last|next|this|earlier\s+this|later\s+this|previous|coming|the\s+past)\s+"
        r"(?P<period>month|year)\b",
    ),
    (
        "ago",
        r"\b(?P<count>\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\s+(?P<period>day|month|year)s?\s+"
        r"ago\b",
    ),
]
DATE_REGEX = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in DATE_PATTERNS]
# Month names are only dates when capitalised ("May" and "march" are words too).
CAPITALISED_MONTH = re.compile(r"[A-Z]")


def _month_shift(date, months):
    total = date.year * 12 + date.month - 1 + months
    return datetime.date(total // 12, total % 12 + 1, 1)


def _resolve(kind, match, published_on, sentence_text_before):
    """(date, precision) for one match, or None when it cannot be a date."""
    groups = match.groupdict()
    month = None
    if groups.get("month"):
        if not CAPITALISED_MONTH.match(groups["month"]):
            return None
        month = MONTHS[groups["month"].lower()]
    try:
        if kind == "iso":
            return (
                datetime.date(int(groups["year"]), int(groups["month_number"]), int(groups["day"])),
                DatePrecision.DAY,
            )
        if kind in ("day_month_year", "month_day_year"):
            date = datetime.date(int(groups["year"]), month, int(groups["day"]))
            return date, DatePrecision.DAY
        if kind == "month_year":
            return datetime.date(int(groups["year"]), month, 1), DatePrecision.MONTH
        if kind == "year":
            return datetime.date(int(groups["year"]), 1, 1), DatePrecision.YEAR
        if published_on is None:
            return None  # the rest needs the source's date
        if kind in ("day_month", "month_day"):
            if len(groups["month"]) < 3:
                return None
            return datetime.date(published_on.year, month, int(groups["day"])), DatePrecision.DAY
    except ValueError:
        return None
    if kind == "relative_month_name":
        month = MONTHS[groups["month_name"].lower()]
        if groups["month_name"] == "May" and groups["prep"].lower() in ("by", "until", "till"):
            return None
        year = published_on.year
        prep = groups["prep"].lower()
        if prep == "last" or (prep == "since" and month > published_on.month):
            year -= 1 if month >= published_on.month else 0
        if prep == "next" and month <= published_on.month:
            year += 1
        return datetime.date(year, month, 1), DatePrecision.MONTH
    if kind == "day_word":
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[groups["word"].lower()]
        return published_on + datetime.timedelta(days=shift), DatePrecision.DAY
    if kind == "weekday":
        which = (groups["which"] or "").lower()
        weekday = WEEKDAYS[groups["weekday"].lower()]
        if not groups["weekday"][0].isupper():
            return None
        ahead = (weekday - published_on.weekday()) % 7
        behind = (published_on.weekday() - weekday) % 7
        if which in ("next", "coming", "on the coming") or (
            which in ("", "on", "this") and _looks_ahead(sentence_text_before)
        ):
            days = ahead or 7
        elif which == "last":
            days = -(behind or 7)
        else:
            days = -behind
        return published_on + datetime.timedelta(days=days), DatePrecision.DAY
    if kind == "relative_period":
        which = re.sub(r"\s+", " ", groups["which"].lower())
        shift = {"last": -1, "previous": -1, "the past": -1, "next": 1, "coming": 1}.get(which, 0)
        if groups["period"].lower() == "month":
            return _month_shift(published_on, shift), DatePrecision.MONTH
        return datetime.date(published_on.year + shift, 1, 1), DatePrecision.YEAR
    if kind == "ago":
        count = groups["count"].lower()
        count = int(count) if count.isdigit() else NUMBER_WORDS[count]
        period = groups["period"].lower()
        if period == "day":
            return published_on - datetime.timedelta(days=count), DatePrecision.DAY
        if period == "month":
            return _month_shift(published_on, -count), DatePrecision.MONTH
        return datetime.date(published_on.year - count, 1, 1), DatePrecision.YEAR
    return None


def find_dates(text, sentences, published_on=None):
    """Dates with their precision; the first pattern to claim a span keeps it."""
    found = []
    for sentence in sentences:
        taken = []  # a date lies inside its sentence, so only this sentence's can overlap it
        for kind, regex in DATE_REGEX:
            for match in regex.finditer(sentence.text):
                start, end = sentence.start + match.start(), sentence.start + match.end()
                if any(start < other_end and other_start < end for other_start, other_end in taken):
                    continue
                resolved = _resolve(kind, match, published_on, sentence.text[: match.start()])
                if resolved is None:
                    continue
                taken.append((start, end))
                value, precision = resolved
                found.append(
                    FoundDate(text[start:end], start, end, sentence.index, value, str(precision))
                )
    return sorted(found, key=lambda date: date.start)


# Figures -----------------------------------------------------------------------------------

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


# Candidates: names the tracker does not know yet -------------------------------------------

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
# Capitalised words that start sentences or headlines but are no part of a name.
NOT_NAME_WORDS = frozenset(
    """the a an this that these those he she they it we i his her their its our later
    separately meanwhile addressing under in on at for with and but also both two chinese
    pakistani pakistan china said says according""".split()
    + [name.lower() for name in calendar.day_name]
    + [name.lower() for name in calendar.month_name[1:]]
)
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
    while office_words and office_words[0][0].lower() in NATIONALITIES | NOT_NAME_WORDS:
        office_words = office_words[1:]
    add(
        "person",
        name_words[0][1],
        name_words[-1][2],
        sentence,
        " ".join(w[0] for w in office_words),
    )


# Putting it together -----------------------------------------------------------------------


def suggest_text(text, *, published_on=None, sentences=None):
    """Everything found in `text`; relative dates are resolved against `published_on`.
    `sentences` are the text's when already split."""
    text = text or ""
    if sentences is None:
        sentences = split_sentences(text)
    mentions = find_mentions(text, sentences, published_on)
    dates = find_dates(text, sentences, published_on)
    figures = find_figures(text, sentences, dates)
    candidates = find_candidates(text, sentences, mentions)
    return Suggestions(sentences, mentions, dates, figures, candidates)


def suggest(source):
    """Suggestions for a source, matched against every record (drafts too: it is an
    editors' tool)."""
    return suggest_text(
        source.text, published_on=source.published_on, sentences=sentences_of(source)
    )


def sentences_of(source):
    """The source's sentences: as stored with it (`Source.sentence_spans`), split again only
    when they were stored for another text."""
    text = source.text or ""
    spans = source.stored_sentences()
    if spans is None:
        return split_sentences(text)
    return [
        Sentence(index, start, end, text[start:end]) for index, (start, end) in enumerate(spans)
    ]


__all__ = [
    "Candidate",
    "Figure",
    "FoundDate",
    "Mention",
    "Sentence",
    "Suggestions",
    "mentions_of_sources",
    "sentences_of",
    "split_sentences",
    "suggest",
    "suggest_text",
]
