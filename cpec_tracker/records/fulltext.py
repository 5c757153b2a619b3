"""Full-text search behind `RecordQuerySet.search`: a real index on both databases.

- PostgreSQL: a GIN index over `to_tsvector('simple', <the model's search_fields>)`, queried
  with the very same expression so the planner uses it.
- SQLite: an FTS5 table `<table>_fts` holding the search fields (external content: the text
  stays in the model's table), kept in step by triggers.

Both match every word of the query as a word prefix, case-insensitively: "chash nucl" finds
"Chashma nuclear power plant". The `simple` configuration and FTS5's `unicode61` tokenizer
split text the same way (letters and digits; everything else separates words) and neither
stems, so the two databases answer alike.

A migration creates the index for each searchable model with `CreateSearchIndex`, freezing
the columns it indexes; change a model's `search_fields` together with a migration.

Names in Urdu and Chinese have a second index, over the model's `native_search_fields` (its
names in those languages and its aliases). Chinese puts no spaces between words, so "朝旭"
must find "马朝旭": words there match as substrings, through trigrams.

- PostgreSQL: a GIN index with pg_trgm's `gin_trgm_ops` over the lower-cased columns joined
  by spaces, queried with `LIKE '%word%'` on the same expression.
- SQLite: an FTS5 table `<table>_names` with the `trigram` tokenizer (case-insensitive),
  kept in step by triggers like the first; words of three characters or more go through
  `MATCH`, shorter ones (a two-character Chinese name, 李强) through `LIKE` on that table.

Both are consulted only when the query holds a letter outside the Latin script, so English
searches cost what they did; a record matches if every word is found by either index.
`CreateNativeSearchIndex` creates it in a migration.
"""

import re
import unicodedata

from django.apps import apps as global_apps
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.migrations.operations.base import Operation
from django.db.models import F, Func, IntegerField, Q, TextField, Value
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "simple"
# A search looks at this many words of what was typed, at most; the rest is ignored.
SEARCH_MAX_WORDS = 10
# Longer words are cut (PostgreSQL refuses lexemes over 2 KB); they match as prefixes anyway.
SEARCH_MAX_WORD_LENGTH = 100
WORD = re.compile(r"[^\W_]+")
# ASCII, Latin-1 and general punctuation, spelled out so the index does not depend on the
# database's locale (in the C locale, `[[:punct:]]` knows only ASCII).
PUNCTUATION = (
    r"[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f]+"
)
# From this many matches on, an SQLite search walks the list's index in order (see
# `filter_by_words`); fewer are fetched by key and sorted.
SQLITE_MANY_MATCHES = 1000
FTS5_OPTIONS = "tokenize='unicode61 remove_diacritics 0', prefix='2 3'"
# The names index: every run of three characters, case folded (SQLite 3.34 and later).
NATIVE_FTS5_OPTIONS = "tokenize='trigram case_sensitive 0'"
# The shortest word the trigram indexes can look up; shorter ones are read row by row.
TRIGRAM_LENGTH = 3
WORDS_SUFFIX = "fts"
NAMES_SUFFIX = "names"


def search_words(terms):
    """The words of `terms` that a search matches: letters and digits, lower-cased."""
    words = WORD.findall(terms.replace("\x00", " ").lower())[:SEARCH_MAX_WORDS]
    return [word[:SEARCH_MAX_WORD_LENGTH] for word in words]


def is_beyond_latin(character):
    """A letter of a script other than Latin: Arabic (Urdu), Han (Chinese), …"""
    return character.isalpha() and "LATIN" not in unicodedata.name(character, "LATIN")


def native_search_words(terms):
    """The words of `terms` the names index looks up, lower-cased; none unless some letter
    is outside the Latin script.

    Words are runs of letters, combining marks and digits (Urdu spells with marks that
    `search_words` would split on), so they hold no quote or LIKE wildcard.
    """
    terms = terms.replace("\x00", " ")
    if not any(is_beyond_latin(character) for character in terms):
        return []
    words, word = [], []
    for character in terms.lower():
        if unicodedata.category(character)[0] in "LMN":
            word.append(character)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return [word[:SEARCH_MAX_WORD_LENGTH] for word in words[:SEARCH_MAX_WORDS]]


def fts_table(db_table, suffix=WORDS_SUFFIX):
    return f"{db_table}_{suffix}"


def index_name(db_table):
    return f"{db_table}_search"


def native_index_name(db_table):
    return f"{db_table}_names_search"


def search_vector(columns):
    """The indexed document: the columns with punctuation made into spaces, so that
    PostgreSQL's parser splits "CPEC-2.0" into cpec, 2, 0 as FTS5 and `search_words` do,
    instead of keeping hyphenated words, versions, e-mail addresses and paths whole."""
    return SearchVector(
        *(
            Func(
                F(column),
                Value(PUNCTUATION),
                Value(" "),
                Value("g"),
                function="REGEXP_REPLACE",
                output_field=TextField(),
            )
            for column in columns
        ),
        config=SEARCH_CONFIG,
    )


def native_document(columns):
    """The names index's document: the columns lower-cased, joined by spaces (the columns
    are NOT NULL, and `||` keeps the expression immutable, as an index needs)."""
    return Func(
        *(F(column) for column in columns),
        function="LOWER",
        arg_joiner=" || ' ' || ",
        output_field=TextField(),
    )


def filter_by_words(queryset, words, *, native_words=()):
    """`queryset` narrowed to rows that contain every word (as a word prefix), or, for a model
    with `native_search_fields`, every one of `native_words` (as a substring) in those."""
    queryset, condition = word_condition(queryset, words, native_words=native_words)
    native_columns = getattr(queryset.model, "native_search_fields", None) if native_words else None
    if connections[queryset.db].vendor == "sqlite" and not native_columns:
        table = fts_table(queryset.model._meta.db_table)
        query = fts5_query(words)
        if matches_many(queryset.db, table, query):
            # SQLite would fetch every match by key and sort them all for a page of 25; with
            # the key hidden from the planner (`+id`) it walks the list's ordering index
            # instead and stops at the page's last row, which is soon when matches are many.
            matching = RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [query])
            key = Func(F("pk"), template="+%(expressions)s", output_field=IntegerField())
            return queryset.alias(search_key=key).filter(search_key__in=matching)
    return queryset.filter(condition)


def fts5_query(words):
    return " ".join(f'"{word}"*' for word in words)


def word_condition(queryset, words, *, native_words=()):
    """(`queryset`, a condition on it) for rows holding every one of `words` as a word prefix,
    or every one of `native_words` as a substring of the names (see `filter_by_words`).

    With no `words`, only the names index answers; a model without one then matches nothing.
    The condition reads the index and nothing else, so it can be combined with others into
    one query (site-wide search asks each kind for its own words and its related rows').
    """
    model = queryset.model
    vendor = connections[queryset.db].vendor
    native_columns = getattr(model, "native_search_fields", None) if native_words else None
    condition = Q(pk__in=[])
    if vendor == "postgresql":
        if words:
            query = " & ".join(f"'{word}':*" for word in words)
            queryset = queryset.alias(search_document=search_vector(model.search_fields))
            condition = Q(
                search_document=SearchQuery(query, search_type="raw", config=SEARCH_CONFIG)
            )
        if native_columns:
            queryset = queryset.alias(native_document=native_document(native_columns))
            condition |= Q(*(Q(native_document__contains=word) for word in native_words))
        return queryset, condition
    if vendor == "sqlite":
        if words:
            table = fts_table(model._meta.db_table)
            matching = RawSQL(
                f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [fts5_query(words)]
            )
            condition = Q(pk__in=matching)
        if native_columns:
            condition |= Q(pk__in=_sqlite_native_match(model, native_columns, native_words))
        return queryset, condition
    raise NotImplementedError(f"No full-text search for the {vendor} database.")


def _sqlite_native_match(model, columns, words):
    """The rowids of the names index holding every word: through MATCH where the trigram
    index can look it up, LIKE (a scan of the names) for words of one or two characters."""
    table = fts_table(model._meta.db_table, NAMES_SUFFIX)
    long_words = [word for word in words if len(word) >= TRIGRAM_LENGTH]
    clauses, params = [], []
    if long_words:
        clauses.append(f'"{table}" MATCH %s')
        params.append(" AND ".join(f'"{word}"' for word in long_words))
    for word in words:
        if len(word) < TRIGRAM_LENGTH:
            clauses.append("(" + " OR ".join(f'"{column}" LIKE %s' for column in columns) + ")")
            params.extend([f"%{word}%"] * len(columns))
    return RawSQL(f'SELECT rowid FROM "{table}" WHERE {" AND ".join(clauses)}', params)


def matches_many(using, table, query):
    """Whether an FTS5 `query` matches at least SQLITE_MANY_MATCHES rows (counted no further)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM (SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s '
            f"LIMIT {SQLITE_MANY_MATCHES})",
            [query],
        )
        return cursor.fetchone()[0] >= SQLITE_MANY_MATCHES


# SQLite: the FTS5 table and the triggers that keep it in step with the model's table.


def _sqlite_triggers(table, columns, suffix=WORDS_SUFFIX):
    fts = fts_table(table, suffix)
    names = ", ".join(f'"{column}"' for column in columns)
    new = ", ".join(f'new."{column}"' for column in columns)
    old = ", ".join(f'old."{column}"' for column in columns)
    insert = f'INSERT INTO "{fts}" (rowid, {names}) VALUES (new.id, {new});'
    delete = f'INSERT INTO "{fts}" ("{fts}", rowid, {names}) VALUES (\'delete\', old.id, {old});'
    return {
        f"{fts}_insert": f'AFTER INSERT ON "{table}" BEGIN {insert} END',
        f"{fts}_delete": f'AFTER DELETE ON "{table}" BEGIN {delete} END',
        f"{fts}_update": f'AFTER UPDATE OF {names} ON "{table}" BEGIN {delete} {insert} END',
    }


FTS5_OPTIONS_BY_SUFFIX = {WORDS_SUFFIX: FTS5_OPTIONS, NAMES_SUFFIX: NATIVE_FTS5_OPTIONS}


def install_sqlite_fulltext(cursor, table, columns, suffix=WORDS_SUFFIX):
    """Create the FTS5 table and its triggers where missing; reindex when a trigger was missing.

    Safe to run again. SQLite drops a table's triggers when a migration rebuilds the table,
    so this also runs after every migrate (see `reinstall_sqlite_triggers`). `suffix` says
    which index: the words (`fts`) or the names (`names`).
    """
    fts = fts_table(table, suffix)
    names = ", ".join(f'"{column}"' for column in columns)
    cursor.execute(
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({names}, '
        f"content='{table}', content_rowid='id', {FTS5_OPTIONS_BY_SUFFIX[suffix]})"
    )
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
    )
    existing = {row[0] for row in cursor.fetchall()}
    triggers = _sqlite_triggers(table, columns, suffix)
    missing = {name: body for name, body in triggers.items() if name not in existing}
    for name, body in missing.items():
        cursor.execute(f'CREATE TRIGGER "{name}" {body}')
    if missing:
        cursor.execute(f'INSERT INTO "{fts}" ("{fts}") VALUES (\'rebuild\')')


def drop_sqlite_fulltext(cursor, table, suffix=WORDS_SUFFIX):
    fts = fts_table(table, suffix)
    for name in _sqlite_triggers(table, [], suffix):
        cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    cursor.execute(f'DROP TABLE IF EXISTS "{fts}"')


def reinstall_sqlite_triggers(sender, *, using, apps=global_apps, **kwargs):
    """post_migrate receiver: put back FTS triggers that a table rebuild dropped."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for suffix in FTS5_OPTIONS_BY_SUFFIX:
                if fts_table(table, suffix) in existing:
                    cursor.execute(f'PRAGMA table_info("{fts_table(table, suffix)}")')
                    columns = [row[1] for row in cursor.fetchall()]
                    install_sqlite_fulltext(cursor, table, columns, suffix)


class SearchIndexOperation(Operation):
    """What the index operations share: they change no model state, only the database."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name, columns):
        self.model_name = model_name
        self.columns = list(columns)

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model_name, self.columns], {})

    def state_forwards(self, app_label, state):
        pass


class CreateSearchIndex(SearchIndexOperation):
    """Migration operation: the full-text index of `model_name` over `columns`."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._build(schema_editor, to_state.apps.get_model(app_label, self.model_name))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._build(schema_editor, from_state.apps.get_model(app_label, self.model_name), drop=True)

    def _build(self, schema_editor, model, *, drop=False):
        """Create the index of `model` (drop it with `drop`), as the database does it."""
        table = model._meta.db_table
        if schema_editor.connection.vendor == "postgresql":
            index = GinIndex(search_vector(self.columns), name=index_name(table))
            (schema_editor.remove_index if drop else schema_editor.add_index)(model, index)
        elif schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                if drop:
                    drop_sqlite_fulltext(cursor, table)
                else:
                    install_sqlite_fulltext(cursor, table, self.columns)

    def describe(self):
        return f"Create the full-text index of {self.model_name} over {', '.join(self.columns)}"


class ChangeSearchIndex(Operation):
    """Migration operation: rebuild `model_name`'s full-text index over new `columns`.

    The index is derived data, so dropping and recreating it loses nothing; on SQLite the
    FTS5 table is rebuilt from the model's table.
    """

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name, old_columns, columns):
        self.model_name = model_name
        self.old_columns = list(old_columns)
        self.columns = list(columns)

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [self.model_name, self.old_columns, self.columns],
            {},
        )

    def state_forwards(self, app_label, state):
        pass

    def _replace(self, app_label, schema_editor, state, old_columns, columns):
        old = CreateSearchIndex(self.model_name, old_columns)
        new = CreateSearchIndex(self.model_name, columns)
        old.database_backwards(app_label, schema_editor, state, state)
        new.database_forwards(app_label, schema_editor, state, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._replace(app_label, schema_editor, to_state, self.old_columns, self.columns)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._replace(app_label, schema_editor, from_state, self.columns, self.old_columns)

    def describe(self):
        return f"Rebuild the full-text index of {self.model_name} over {', '.join(self.columns)}"


class CreateNativeSearchIndex(SearchIndexOperation):
    """Migration operation: the names index of `model_name` over `columns` (see the module's
    docstring). On PostgreSQL it needs pg_trgm (`TrigramExtension` earlier in the migration)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        if schema_editor.connection.vendor == "postgresql":
            # Written out: Django's index expressions put an operator class inside the
            # parentheses unless django.contrib.postgres is installed. The expression is
            # `native_document`'s, which the planner matches in queries.
            document = " || ' ' || ".join(f'"{column}"' for column in self.columns)
            schema_editor.execute(
                f'CREATE INDEX "{native_index_name(table)}" ON "{table}" '
                f"USING gin ((LOWER({document})) gin_trgm_ops)"
            )
        elif schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                install_sqlite_fulltext(cursor, table, self.columns, NAMES_SUFFIX)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{native_index_name(table)}"')
        elif schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                drop_sqlite_fulltext(cursor, table, NAMES_SUFFIX)

    def describe(self):
        return f"Create the names index of {self.model_name} over {', '.join(self.columns)}"
