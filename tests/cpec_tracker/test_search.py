"""Search goes through the full-text index on both databases and keeps its rules."""

import re

import pytest
from django.apps import apps
from django.db import connection

from cpec_tracker.records import fulltext
from cpec_tracker.records.models import Organization, Source, Theme
from cpec_tracker.records.searching import kind_condition, query_terms, searched_kinds
from meetings.models import Meeting, Official
from projects.filters import ProjectFilterSet
from projects.models import Project

pytestmark = pytest.mark.django_db

FACTORIES = {
    Source: "make_source",
    Organization: "make_organization",
    Theme: "make_theme",
    Official: "make_official",
    Meeting: "make_meeting",
    Project: "make_project",
}
EVERY_SEARCH_FIELD = [
    pytest.param(model, field, id=f"{model.__name__}.{field}")
    for model in FACTORIES
    for field in model.search_fields
    # Derived from the name on every save: tested in test_search_quality.py.
    if field != "abbreviations"
]


@pytest.mark.parametrize(("model", "field"), EVERY_SEARCH_FIELD)
def test_search_finds_a_word_in_each_search_field(make, model, field):
    if model is Source and field == "text":
        record = make.make_source(text=make.SOURCE_TEXT + " Zanzibarish findings.")
    else:
        record = getattr(make, FACTORIES[model])(**{field: "Zanzibarish findings"})
    getattr(make, FACTORIES[model])()
    assert list(model.objects.search("zanzibarish")) == [record]


def test_every_word_must_match(make):
    plant = make.make_project(title="Chashma Nuclear Power Plant Unit 5")
    make.make_project(title="Karachi nuclear medicine centre")
    assert list(Project.objects.search("nuclear chashma")) == [plant]
    assert list(Project.objects.search("chashma wind")) == []


def test_words_match_as_case_insensitive_prefixes(make):
    plant = make.make_project(title="Chashma Nuclear Power Plant", location="Mianwali")
    assert list(Project.objects.search("CHASH nucl mianw")) == [plant]
    assert list(Project.objects.search("hashma")) == []


def test_punctuation_and_operators_are_words_not_syntax(make):
    project = make.make_project(title='CPEC-2.0 "and" OR NOT near(x)')
    assert list(Project.objects.search("cpec 2.0")) == [project]
    assert list(Project.objects.search('"or" NOT near( * ^ :')) == [project]


def test_typographic_punctuation_separates_words(make):
    project = make.make_project(title="Pakistan’s Gwadar–Karachi “coastal” link_road")
    assert list(Project.objects.search("karachi coastal road pakistan")) == [project]


@pytest.mark.parametrize(
    "terms",
    [
        pytest.param("nul\x00byte", id="nul-byte"),
        pytest.param("x" * 10_000, id="one-10000-char-word"),
        pytest.param("word " * 2_000, id="10000-chars-of-words"),
        pytest.param("'\"\\%_:*&|!()<>", id="quotes-and-operators"),
    ],
)
def test_hostile_terms_do_not_error(make, terms):
    make.make_project(title="Gwadar port")
    assert list(Project.objects.search(terms)) == []


def test_empty_terms_match_everything_and_symbols_nothing(make):
    make.make_project()
    assert Project.objects.search("  ").count() == 1
    assert Project.objects.search("\x00" * 50).count() == 1
    assert Project.objects.search("!!! ---").count() == 0


def test_only_the_first_ten_words_count(make):
    project = make.make_project(title="one two three four five six seven eight nine ten")
    assert list(Project.objects.search("one two three four five six seven eight nine ten zzz")) == [
        project
    ]


def test_index_follows_edits_and_deletes(make):
    project = make.make_project(title="Thar coal block")
    project.title = "Thar solar park"
    project.save()
    assert list(Project.objects.search("solar")) == [project]
    assert list(Project.objects.search("coal")) == []
    Project.objects.filter(pk=project.pk).update(summary="Updated in bulk")
    assert list(Project.objects.search("bulk")) == [project]
    project.delete()
    assert list(Project.objects.search("solar")) == []


def test_search_composes_with_published_and_the_filterset(make):
    published = make.make_project(title="Gwadar port", status="operational")
    make.make_project(title="Gwadar airport", publication_status="draft")
    make.make_project(title="Gwadar hospital", status="planned")
    filterset = ProjectFilterSet(
        {"q": "gwadar", "status": "operational"}, queryset=Project.objects.published()
    )
    assert list(filterset.qs) == [published]
    assert Project.objects.published().search("gwadar").count() == 2


def test_search_uses_the_full_text_index(make):
    make.make_project(title="Gwadar port")
    queryset = Project.objects.search("gwadar")
    if connection.vendor == "sqlite":
        assert "MATCH" in str(queryset.query)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        assert fulltext.index_name("projects_project") in queryset.explain()


# How often each kind's search reads the kind's own table (once for the result, once for its
# own text, the rest in related paths that pass through the records), pinned exactly so that
# one path going back to the join shows. With the join of every record to every related row
# these were 8, 5 and 7 for meetings, officials and projects.
READS_OF_THE_KINDS_TABLE = {
    "meetings": 4,
    "officials": 3,
    "projects": 4,
    "sources": 2,
    "organizations": 2,
    "themes": 2,
}


@pytest.mark.parametrize("kind", searched_kinds(), ids=lambda kind: kind.name)
def test_site_search_reads_related_rows_without_joining_the_records_again(kind):
    """Related rows give their records' ids in a subquery of their own, never a join of every
    record to every related row (at 100,000 projects on PostgreSQL, that join made the
    projects' search for "gwadar port" 830 ms instead of 410)."""
    condition = kind_condition(kind, query_terms("port"))
    sql = str(kind.model._default_manager.published().filter(condition).query)
    table = kind.model._meta.db_table
    reads = len(re.findall(rf'(?:FROM|JOIN) "{table}"', sql))
    assert reads == READS_OF_THE_KINDS_TABLE[kind.name]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers on rebuild")
def test_sqlite_triggers_dropped_by_a_table_rebuild_come_back_after_migrate(make):
    project = make.make_project(title="Lahore metro")
    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER "projects_project_fts_update"')
    Project.objects.filter(pk=project.pk).update(title="Lahore orange line")
    fulltext.reinstall_sqlite_triggers(None, using="default", apps=apps)
    assert list(Project.objects.search("orange")) == [project]
    Project.objects.filter(pk=project.pk).update(title="Lahore green line")
    assert list(Project.objects.search("green")) == [project]
