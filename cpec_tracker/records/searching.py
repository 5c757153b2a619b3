"""Site-wide search: one interface, the engine behind it chosen by `CPEC_SEARCH_BACKEND`.

A backend answers `search(query)` with ranked `Hit`s over every kind that declares a
`Search` (records.registry); the search page reads nothing else, so a deployment can move to
a search engine (docs/search.md says when) by writing one class. The default,
`DatabaseSearch`, stays on the database's own full-text indexes (`records.fulltext`: FTS5 on
SQLite, full-text and trigram on PostgreSQL):

- A record is found by every word of the query, each in any of its own search fields or in
  the rows named by its kind's `Search.related`: a meeting by its participants, the offices
  they held there, its body's names and abbreviations, its outcomes; an official by the
  offices held; a project by its figures, milestones and organizations.
- Words in Urdu or Chinese are looked up in the names indexes as substrings, as
  `RecordQuerySet.search` does.
- Ranked (`Rank`): the query is one of the record's names, aliases or abbreviations; every
  word is in its names or title; then the body: the kinds in their listed order, in each
  those with every word in their own text before those found through related rows (a
  meeting's record before the article that reports it, the meeting held in Islamabad before
  the one whose outcome mentions it). Otherwise each kind in its own list order.
- Typos: when nothing matches, each word that starts no word of any record's names is
  replaced by the names' words closest to it in spelling, and the search runs again.
"""

import difflib
import enum
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import models
from django.db.models import Q
from django.utils.module_loading import import_string

from cpec_tracker.caching import dataversion
from cpec_tracker.records import registry
from cpec_tracker.records.fulltext import WORD, native_search_words, search_words, word_condition

# At most this many matching records of each kind are ranked and counted in the facets.
CANDIDATES_PER_KIND = 200
# A word is corrected to names' words at least this close in spelling (difflib's ratio)…
CORRECTION_CUTOFF = 0.75
# …and to this many of them at most; shorter words are never corrected.
CORRECTIONS_PER_WORD = 3
CORRECTED_WORD_MIN_LENGTH = 4


class Rank(enum.IntEnum):
    NAME = 0  # the query is one of its names, aliases or abbreviations
    TITLE = 1  # every word is in its names or title (or its series' names: `Search.named_by`)
    # The body: its own text, then (within each kind) what its related rows say.
    TEXT = 2  # every word is in its own search fields
    RELATED = 3  # found through its related rows (participants, outcomes, offices…)


@dataclass(frozen=True)
class Hit:
    """One record found, with its kind and rank."""

    record: models.Model
    kind: registry.RecordKind
    rank: Rank

    @property
    def year(self):
        field = self.kind.search.date_field
        date = getattr(self.record, field) if field else None
        return date.year if date else None

    @property
    def status(self):
        field = self.kind.search.status_field
        return getattr(self.record, field) if field else ""

    @property
    def status_label(self):
        field = self.kind.search.status_field
        return getattr(self.record, f"get_{field}_display")() if field else ""


@dataclass(frozen=True)
class SearchResults:
    hits: list
    # The query as corrected for spelling when the typed one found nothing ("" if it was not).
    corrected_query: str = ""


class SearchBackend:
    """What the search page asks of a search engine."""

    def search(self, query):
        """The published records matching `query`, best first (`SearchResults`)."""
        raise NotImplementedError


def search_backend():
    """The backend `CPEC_SEARCH_BACKEND` names (a dotted path to a `SearchBackend` class)."""
    return import_string(settings.CPEC_SEARCH_BACKEND)()


def searched_kinds():
    """The kinds site-wide search finds, in their listed order."""
    return [kind for kind in registry.listed() if kind.search is not None]


@dataclass(frozen=True)
class Term:
    """One word of the query: its spellings (each a tuple of index words, found together)
    and, for a query beyond the Latin script, the word for the names indexes."""

    typed: str
    spellings: tuple
    native: tuple = ()


def query_terms(query):
    """The terms of `query`: its words, or, with letters beyond the Latin script, its runs
    of letters and marks (an Urdu word holds marks `search_words` would split it at)."""
    native = native_search_words(query)
    if native:
        return [Term(word, (tuple(search_words(word)),), (word,)) for word in native]
    return [Term(word, ((word,),)) for word in search_words(query)]


def related_model(model, path):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def path_back(model, path):
    """The lookup from the rows `path` leads to back to `model`: "project" for a project's
    "milestones", "project_roles__project" for its "roles__organization"."""
    steps = []
    for name in path.split("__"):
        field = model._meta.get_field(name)
        # A reverse relation's way back is the field that made it; a field's, its query name.
        steps.append(field.field.name if field.auto_created else field.related_query_name())
        model = field.related_model
    return "__".join(reversed(steps))


def matching(queryset, term):
    """The rows of `queryset` holding `term` in their indexed fields."""
    condition = Q(pk__in=[])
    for words in term.spellings:
        queryset, found = word_condition(queryset, list(words), native_words=term.native)
        condition |= found
    return queryset.filter(condition)


def linked_condition(model, path, term):
    """A condition on `model`'s records: one of the published rows `path` leads to holds
    `term`.

    Through a foreign key, the key is matched against the rows found. Otherwise the rows
    found give the ids of their records (`path_back`), in one subquery: a subquery of the
    records joined to the rows found would read every record and every row to join them
    (PostgreSQL, 100,000 projects: 250 ms for the projects whose milestones say "port",
    against 80 ms; the projects' search for "gwadar port" 830 ms against 410).
    """
    rows = related_model(model, path)._default_manager.published()
    if "__" not in path and model._meta.get_field(path).many_to_one:
        return Q(**{f"{path}__in": matching(rows, term).values("pk")})
    back = path_back(model, path)
    return Q(pk__in=matching(rows, term).filter(**{f"{back}__isnull": False}).values(back))


def kind_condition(kind, terms):
    """A condition on `kind`'s records: every term in its own fields or its related rows."""
    model = kind.model
    condition = Q()
    for term in terms:
        found = Q(pk__in=matching(model._default_manager.all(), term).values("pk"))
        for path in kind.search.related:
            found |= linked_condition(model, path, term)
        condition &= found
    return condition


def words_of(text):
    """Every word of `text`, lower-cased (`search_words` keeps only a query's first ten)."""
    return WORD.findall((text or "").lower())


def record_names(record):
    """Everything a record is called: its name or title in each language, aliases and
    abbreviations."""
    fields = getattr(record, "name_fields", None) or [
        record.search_fields[0],
        *getattr(record, "native_search_fields", ()),
    ]
    names = [getattr(record, field) for field in fields]
    for field in ("aliases", "abbreviations"):
        names.extend(getattr(record, field, "").splitlines())
    return [name for name in names if name and name.strip()]


def holds_every_term(texts, terms):
    """Whether every term is in `texts`: its words as word prefixes, or its native word as a
    substring (as the indexes match them)."""
    words = {word for text in texts for word in words_of(text)}
    joined = " ".join(texts).casefold()

    def holds(term):
        return any(
            all(any(word.startswith(part) for word in words) for part in spelling)
            for spelling in term.spellings
            if spelling
        ) or any(native in joined for native in term.native)

    return all(holds(term) for term in terms)


def rank_of(record, kind, terms, query):
    names = record_names(record)
    spelled = {" ".join(words_of(name)) for name in names}
    typed = " ".join(search_words(query))
    lowered = {name.strip().casefold() for name in names}
    if typed in spelled or typed.replace(" ", "") in spelled or query.casefold() in lowered:
        return Rank.NAME
    for relation in kind.search.named_by:
        named_by = getattr(record, relation)
        names += record_names(named_by) if named_by is not None else []
    if holds_every_term(names, terms):
        return Rank.TITLE
    own = [getattr(record, field) or "" for field in record.search_fields]
    own += [getattr(record, field) or "" for field in getattr(record, "native_search_fields", ())]
    return Rank.TEXT if holds_every_term(own, terms) else Rank.RELATED


class DatabaseSearch(SearchBackend):
    """Search on the database's own full-text indexes (see the module's docstring)."""

    def search(self, query):
        terms = query_terms(query)
        if not terms:
            return SearchResults([])
        hits = self.hits(terms, query)
        if hits:
            return SearchResults(hits)
        corrected = corrected_terms(terms)
        if corrected == terms:
            return SearchResults([])
        corrected_query = " ".join(term.spellings[0][0] for term in corrected)
        return SearchResults(self.hits(corrected, corrected_query), corrected_query)

    def hits(self, terms, query):
        hits = []
        for kind in searched_kinds():
            records = (
                kind.model._default_manager.published()
                .select_related(*kind.search.select_related)
                .filter(kind_condition(kind, terms))[:CANDIDATES_PER_KIND]
            )
            hits.extend(
                Hit(record, kind, rank_of(record, kind, terms, query)) for record in records
            )
        # sorted() keeps the kinds' order and each kind's list order within a rank.
        return sorted(hits, key=body_order(searched_kinds()))


def body_order(kinds):
    """The sort key of hits: rank, except that the body's two ranks go kind by kind."""
    positions = {kind.name: position for position, kind in enumerate(kinds)}

    def key(hit):
        if hit.rank < Rank.TEXT:
            return (hit.rank, 0, 0)
        return (Rank.TEXT, positions[hit.kind.name], hit.rank)

    return key


def corrected_terms(terms):
    """`terms` with each Latin word that starts no word of the names spelled as the names'
    closest words (`CORRECTION_CUTOFF`): "balouch" as "baloch"."""
    vocabulary = names_vocabulary()
    corrected = []
    for term in terms:
        word = term.typed
        if (
            term.native
            or len(word) < CORRECTED_WORD_MIN_LENGTH
            or any(known.startswith(word) for known in vocabulary)
        ):
            corrected.append(term)
            continue
        closest = difflib.get_close_matches(
            word, vocabulary, n=CORRECTIONS_PER_WORD, cutoff=CORRECTION_CUTOFF
        )
        corrected.append(Term(word, tuple((match,) for match in closest)) if closest else term)
    return corrected


def names_vocabulary():
    """The words of every published record's names and short text fields (a meeting's city,
    an office's title), worked out once per data version."""
    version = dataversion.current()
    if version is None:
        return _names_vocabulary()
    cache = caches[settings.CPEC_PAGE_CACHE_ALIAS]
    key = f"search-vocabulary:{version}"
    vocabulary = cache.get(key)
    if vocabulary is None:
        vocabulary = _names_vocabulary()
        cache.set(key, vocabulary, settings.CPEC_PAGE_CACHE_SECONDS)
    return vocabulary


def _names_vocabulary():
    words = set()
    models_searched = []
    for kind in searched_kinds():
        models_searched.append(kind.model)
        models_searched.extend(related_model(kind.model, path) for path in kind.search.related)
    for model in dict.fromkeys(models_searched):
        fields = [
            name
            for name in model.search_fields
            if isinstance(model._meta.get_field(name), models.CharField)
            or name in ("aliases", "abbreviations")
        ]
        if not fields:
            continue
        for row in model._default_manager.published().values_list(*fields):
            for text in row:
                words.update(word for word in words_of(text) if len(word) >= 3 and word.isalpha())
    return sorted(words)
