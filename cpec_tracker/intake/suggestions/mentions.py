"""Mentions of the records the tracker has: officials, organizations, projects and themes by
their names, short names and aliases; officials by their office; meetings by series and
ordinal ("5th JWG-ICC meeting"); and the places meetings were held."""

import bisect
import re
from dataclasses import dataclass

from cpec_tracker.intake.suggestions.names import (
    TITLE_WORDS,
    WORD,
    Mention,
    NameIndex,
    SentenceLocator,
    Target,
    mention_of,
    name_forms,
    name_parts,
    record_target,
    words_in,
)
from cpec_tracker.intake.suggestions.offices import office_holders_on, office_mentions
from cpec_tracker.intake.suggestions.ordinals import ORDINAL, ordinal_value
from cpec_tracker.records.models import Organization, Theme
from meetings.models import Meeting, Official
from projects.models import Project


@dataclass
class KnownNames:
    """The records a text may mention, loaded once (they may serve several texts)."""

    index: NameIndex
    meetings: list
    theme_pairs: dict


def load_names(text):
    """Every name `text` may mention, loaded in one query per model (`text` may be several
    texts joined: a name is kept when its words occur in it)."""
    index = NameIndex(text)

    surnames = {}
    for official in Official.objects.only(
        "pk", "slug", *Official.name_fields, "aliases", "country"
    ):
        target = record_target("meetings.official", official, official.name)
        for form in official.names:
            index.add(form, target)
        words = words_in(official.name)
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
        target = record_target("cpec_tracker.organization", organization, organization.name)
        for form in organization.names:
            for spelling in name_forms(form):
                index.add(spelling, target)

    for project in Project.objects.only("pk", "slug", *Project.name_fields, "aliases"):
        target = record_target("projects.project", project, project.title)
        for form in project.names:
            for spelling in name_forms(form):
                index.add(spelling, target)
        # "Khunjerab Pass" for "Khunjerab Pass year-round operation": the proper name a
        # descriptive title is about, when no other record has that name or part.
        for part in name_parts(project.title):
            index.add(part, target, condition="part")

    # Two-word theme names by their last word: "green corridor" under "corridor".
    theme_pairs = {}
    for theme in Theme.objects.only("pk", "slug", "name"):
        target = record_target("cpec_tracker.theme", theme, theme.name)
        for spelling in name_forms(theme.name):
            words = [word.lower() for word in words_in(spelling)]
            index.add(spelling, target, condition="alone" if len(words) == 1 else "always")
            if len(words) == 2:
                theme_pairs.setdefault(words[1], {})[words[0]] = target

    meetings = list(
        Meeting.objects.only("pk", "slug", "title", "body_id", "sequence_number", "city", "country")
    )
    cities = {meeting.city.strip() for meeting in meetings if meeting.city.strip()}
    countries = {str(meeting.country.name) for meeting in meetings if meeting.country}
    for city in cities:
        index.add(city, Target("place", None, None, city))
    # Countries are actors as often as places ("Pakistan and China agreed"): only "in China".
    for country in countries - cities:
        index.add(country, Target("place", None, None, country), condition="locative")
    return KnownNames(index, meetings, theme_pairs)


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
            number = ordinal_value(match)
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


def find_mentions(text, sentences, published_on=None, *, known=None, office_holders=None):
    """The mentions of known records in `text`; `known` (`load_names`) and `office_holders`
    are loaded here unless given."""
    known = known or load_names(text)
    if office_holders is None:
        office_holders = office_holders_on(published_on)
    locate = SentenceLocator(sentences)
    tokens = list(WORD.finditer(text))
    mentions = [
        mention_of(target, text, start, end, locate.index_of(start))
        for target, start, end in known.index.scan(text, tokens)
    ]
    mentions += _listed_theme_mentions(text, mentions, known.theme_pairs, locate)
    mentions += _back_references(text, tokens, mentions, locate)
    mentions += office_mentions(text, tokens, office_holders, mentions, locate)
    organizations = [m for m in mentions if m.model == "cpec_tracker.organization"]
    mentions += _meeting_mentions(text, sentences, organizations, known.meetings)
    return sorted(mentions, key=lambda mention: (mention.start, -mention.end))


# "growth, livelihood, innovation, open and green": the words listed before a theme's last one.
LISTED_BEFORE = re.compile(r"((?:[\w-]+,\s+)+(?:[\w-]+,?\s+)?(?:and|or)\s+)$")


def _listed_theme_mentions(text, mentions, theme_pairs, locate):
    """In "growth, livelihood, innovation, open and green corridor" each listed word names
    its own theme ("Growth corridor" …) when the tracker has a theme of that name."""
    found = []
    for mention in mentions:
        if mention.model != "cpec_tracker.theme":
            continue
        words = [word.lower() for word in words_in(mention.text)]
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
                found.append(mention_of(target, text, start, end, locate.index_of(start)))
    return found


# "the National Highway Authority (NHA)": the short name a text gives a name in brackets.
BRACKETED_SHORT_NAME = re.compile(r"\s*\(([A-Z][A-Za-z0-9]{1,11})\)")


def _back_references(text, tokens, mentions, locate):
    """Later, shorter references to records the text has named: a titled surname ("Mr Iqbal",
    "Ms Baloch") is the official the text named in full with that family name before it
    (the last one, when several were), even when the tracker holds others of that name; a
    short name the text gave in brackets ("the National Highway Authority (NHA)") is that
    record wherever it is used afterwards."""
    covered = {}
    for mention in mentions:
        covered[mention.start] = mention.end
    by_start = sorted(mentions, key=lambda mention: mention.start)
    found = []
    full_names = {}  # family name (first or last word) → the official last named in full
    short_names = {}  # a short name given in brackets → its record
    next_mention = 0
    covered_until = -1
    for position, token in enumerate(tokens):
        while next_mention < len(by_start) and by_start[next_mention].end <= token.start():
            mention = by_start[next_mention]
            next_mention += 1
            target = Target(mention.model, mention.pk, mention.slug, mention.label)
            words = words_in(mention.text)
            if mention.model == "meetings.official" and len(words) >= 2:
                full_names[words[0]] = full_names[words[-1]] = target
            short = BRACKETED_SHORT_NAME.match(text, mention.end)
            if short and mention.model != "place" and not mention.text.endswith(")"):
                short_names[short.group(1)] = target
        covered_until = max(covered_until, covered.get(token.start(), -1))
        if token.start() < covered_until:
            continue
        word = token.group()
        target = short_names.get(word)
        if target is None and word in full_names and position:
            title = tokens[position - 1]
            gap = text[title.end() : token.start()]
            if title.group().lower() in TITLE_WORDS and gap in (" ", ". "):
                target = full_names[word]
        if target is not None:
            found.append(
                mention_of(target, text, token.start(), token.end(), locate.index_of(token.start()))
            )
    return found
