"""Search finds what a journalist types: a set of queries with the records each should find
(tests/fixtures/search/queries.toml), measured as recall in the top 5 and mean reciprocal
rank over the seeded site, on the search page as a visitor reads it."""

import re
import tomllib
from pathlib import Path

import pytest

from cpec_tracker.records.models import Organization, derive_abbreviations
from cpec_tracker.records.searching import searched_kinds
from meetings.models import Meeting, Official
from projects.models import Project

pytestmark = pytest.mark.django_db

QUERIES = tomllib.loads(
    (Path(__file__).parents[1] / "fixtures" / "search" / "queries.toml").read_text("utf-8")
)["queries"]
TOP = 5
# Measured on this branch (SQLite and PostgreSQL alike); a change that lowers them fails.
# Before issue 23 (titles and bodies only, grouped by kind): recall@5 0.34, MRR 0.47.
MIN_RECALL_AT_5 = 0.97
MIN_MEAN_RECIPROCAL_RANK = 0.95
RESULTS = re.compile(r'<[ou]l class="[^"]*search-results[^"]*">(.*?)</[ou]l>', re.S)
RESULT_LINK = re.compile(r'<li[^>]*>\s*<a href="(?:/[a-z-]+)?/([a-z]+)/([\w-]+)/"')


@pytest.fixture
def native_names(seeded):
    """Urdu and Chinese names for a few seeded records (the seed has none)."""
    Official.objects.filter(slug="ma-zhaoxu").update(name_zh_hans="马朝旭", name_ur="ما ژاؤشو")
    Official.objects.filter(slug="amna-baloch").update(name_ur="آمنہ بلوچ")
    Project.objects.filter(slug="chashma-nuclear-power-plant-unit-5").update(
        title_zh_hans="恰希玛核电站5号机组"
    )
    Organization.objects.filter(slug="jwg-icc").update(
        name_zh_hans="中巴经济走廊国际合作与协调联合工作组"
    )


def ranked_results(client, query):
    """["kind:slug", …] in the order the search page shows them."""
    return ranked_results_in(client.get("/search/", {"q": query}).content.decode())


def ranked_results_in(page):
    return [
        f"{kind}:{slug}"
        for block in RESULTS.findall(page)
        for kind, slug in RESULT_LINK.findall(block)
    ]


def measure(client, queries):
    """(recall in the top 5, mean reciprocal rank, {query: ranked results}) over `queries`."""
    found = expected = reciprocal_ranks = 0
    answers = {}
    for query in queries:
        results = ranked_results(client, query["q"])
        answers[query["q"]] = results
        wanted = set(query["expect"])
        found += len(wanted & set(results[:TOP]))
        expected += len(wanted)
        first = next((rank for rank, hit in enumerate(results, 1) if hit in wanted), None)
        reciprocal_ranks += 1 / first if first else 0
    return found / expected, reciprocal_ranks / len(queries), answers


def test_the_query_set_is_large_enough_and_covers_every_case():
    assert len(QUERIES) >= 30
    groups = {query["group"] for query in QUERIES}
    assert {"person", "abbreviation", "place", "native", "misspelling"} <= groups


def test_search_finds_what_journalists_type(client, native_names, no_page_cache):
    recall, mean_reciprocal_rank, answers = measure(client, QUERIES)
    print(f"recall@{TOP} {recall:.3f}  MRR {mean_reciprocal_rank:.3f}")
    missed = {
        query["q"]: answers[query["q"]][:TOP]
        for query in QUERIES
        if not set(query["expect"]) <= set(answers[query["q"]][:TOP])
    }
    assert recall >= MIN_RECALL_AT_5, missed
    assert mean_reciprocal_rank >= MIN_MEAN_RECIPROCAL_RANK, missed


def test_the_abbreviation_the_source_uses_finds_the_meetings(client, seeded, no_page_cache):
    results = ranked_results(client, "JWG-ICC")
    assert "meetings:jwg-icc-5th-meeting" in results[:TOP]
    assert "meetings:jwg-icc-4th-meeting" in results[:TOP]


def test_a_person_finds_every_meeting_they_attended(client, seeded, no_page_cache):
    results = ranked_results(client, "Amna Baloch")
    assert results[0] == "officials:amna-baloch"
    assert {
        "meetings:jwg-icc-5th-meeting",
        "meetings:amna-baloch-meets-ma-zhaoxu-2025-01",
    } <= set(results[:TOP])


def test_an_organization_is_found_by_the_abbreviation_of_its_name(make):
    group = make.make_organization(name="Joint Working Group on Gwadar Port Operations")
    assert group.abbreviations == "JWG-GPO\nJWGGPO"
    assert list(Organization.objects.search("JWG-GPO")) == [group]
    assert list(Organization.objects.search("jwggpo")) == [group]


def test_the_abbreviation_follows_a_renamed_record(make):
    project = make.make_project(title="Karachi Lahore Motorway")
    project.title = "Karachi Circular Railway"
    project.save()
    assert list(Project.objects.search("KCR")) == [project]
    assert list(Project.objects.search("KLM")) == []


@pytest.mark.parametrize(
    ("name", "abbreviations"),
    [
        (
            "CPEC Joint Working Group on International Cooperation and Coordination",
            ["JWG-ICC", "JWGICC"],
        ),
        ("China-Pakistan Economic Corridor (CPEC) 2.0", ["CPEC"]),
        ("Oil and Gas Development Company Limited", ["OGDCL"]),
        # A one-word part of a longer name gives no letter of its own; too short, no abbreviation.
        ("Embassy of China in Pakistan", []),
        ("Khunjerab Pass year-round operation", []),
    ],
)
def test_abbreviations_are_derived_from_capitalised_words(name, abbreviations):
    assert derive_abbreviations(name) == abbreviations


def test_the_search_page_reads_one_query_per_kind(
    client, seeded, no_page_cache, django_assert_max_num_queries
):
    with django_assert_max_num_queries(len(searched_kinds())):
        client.get("/search/", {"q": "Amna Baloch"})


def test_a_misspelt_query_is_corrected_with_bounded_queries(
    client, seeded, no_page_cache, django_assert_max_num_queries
):
    client.get("/search/", {"q": "Balouch"})  # the names' words, once per data version
    # The search, the data version, the search again with the corrected words.
    with django_assert_max_num_queries(2 * len(searched_kinds()) + 1):
        page = client.get("/search/", {"q": "Balouch"}).content.decode()
    assert "showing results for “baloch”" in page
    assert "<bdi>Amna <mark>Baloch</mark></bdi>" in page
    assert "officials:amna-baloch" in [f"{k}:{s}" for k, s in RESULT_LINK.findall(page)]


def test_facets_count_and_narrow_the_results(client, seeded, no_page_cache):
    page = client.get("/search/", {"q": "Baloch"}).content.decode()
    assert re.search(
        r'<a href="/search/\?q=Baloch&amp;kind=meetings">Meetings</a> '
        r'<span class="meta">\(2\)</span>',
        page,
    )
    assert re.search(
        r'<a href="/search/\?q=Baloch&amp;year=2025">2025</a> '
        r'<span class="meta">\(3\)</span>',
        page,
    )
    narrowed = client.get("/search/", {"q": "Baloch", "kind": "meetings"}).content.decode()
    assert ranked_results_in(narrowed) == [
        "meetings:amna-baloch-meets-ma-zhaoxu-2025-01",
        "meetings:jwg-icc-5th-meeting",
    ]
    assert 'href="/search/?q=Baloch" aria-current="true">Meetings</a>' in narrowed
    assert '<a href="/meetings/?q=Baloch">All meetings matching “Baloch”</a>' in narrowed
    held = client.get("/search/", {"q": "Baloch", "status": "held", "year": "2025"})
    assert len(ranked_results_in(held.content.decode())) == 2


def test_a_facet_value_that_is_none_is_refused_with_a_message(client, seeded, no_page_cache):
    response = client.get("/search/", {"q": "Baloch", "year": "x" * 50, "kind": "dragons"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number." in page
    assert "Select a valid choice. dragons is not one of the available choices." in page
    assert "officials:amna-baloch" in ranked_results_in(page)


def test_drafts_are_never_found_nor_counted(client, seeded, make, no_page_cache):
    draft = make.make_official(name="Amna Balochistani", publication_status="draft")
    meeting = Meeting.objects.get(slug="jwg-icc-4th-meeting")
    make.make_participation(meeting=meeting, official=draft)
    page = client.get("/search/", {"q": "Balochistani"}).content.decode()
    assert ranked_results_in(page) == []
