"""Search finds records by their Urdu and Chinese names and aliases, on SQLite and PostgreSQL:
Chinese by any run of characters (no spaces between its words), Urdu by its words."""

import pytest
from django.db import connection

from cpec_tracker.records.fulltext import native_search_words
from cpec_tracker.records.models import Organization, Theme
from meetings.models import Meeting, Official
from projects.models import Project

pytestmark = pytest.mark.django_db

MA_ZHAOXU = "马朝旭"
AMNA_BALOCH = "آمنہ بلوچ"


@pytest.fixture
def officials(make):
    return {
        "ma": make.make_official(name="Ma Zhaoxu", name_zh_hans=MA_ZHAOXU, country="CN"),
        "amna": make.make_official(name="Amna Baloch", name_ur=AMNA_BALOCH),
        "li": make.make_official(name="Li Qiang", aliases="李强\nPremier Li", country="CN"),
        "other": make.make_official(name="Sun Weidong", name_zh_hans="孙卫东", country="CN"),
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        (MA_ZHAOXU, ["ma"]),
        ("朝旭", ["ma"]),  # the given name alone: a substring of three characters' run
        ("马", ["ma"]),  # one character
        ("李强", ["li"]),  # two characters, from an alias
        (AMNA_BALOCH, ["amna"]),
        ("بلوچ", ["amna"]),
        ("آمنہ، بلوچ", ["amna"]),  # Urdu punctuation separates words
        ("马朝旭 آمنہ", []),  # every word must match
        ("卫东", ["other"]),
        ("习近平", []),
    ],
)
def test_search_finds_officials_by_native_names_and_aliases(officials, query, found):
    results = Official.objects.published().search(query)
    assert sorted(results, key=str) == sorted((officials[key] for key in found), key=str)


@pytest.mark.parametrize(
    ("factory", "model", "field"),
    [
        ("make_organization", Organization, "name_zh_hans"),
        ("make_theme", Theme, "name_zh_hans"),
        ("make_meeting", Meeting, "title_zh_hans"),
        ("make_project", Project, "title_zh_hans"),
        ("make_project", Project, "title_ur"),
        ("make_organization", Organization, "aliases"),
    ],
)
def test_every_named_model_is_found_by_its_native_names(make, factory, model, field):
    value = "گوادر بندرگاہ" if field.endswith("_ur") else "中巴经济走廊联合合作委员会"
    record = getattr(make, factory)(**{field: value})
    getattr(make, factory)()
    query = "بندرگاہ" if field.endswith("_ur") else "联合合作"
    assert list(model.objects.search(query)) == [record]


def test_the_names_index_follows_edits_and_deletions(make):
    official = make.make_official(name="Ma Zhaoxu", name_zh_hans=MA_ZHAOXU)
    official.name_zh_hans = "马朝"
    official.save()
    assert list(Official.objects.search("朝旭")) == []
    assert list(Official.objects.search("马朝")) == [official]
    official.delete()
    assert list(Official.objects.search("马朝")) == []


def test_english_searches_do_not_consult_the_names_index(officials):
    assert native_search_words("Ma Zhaoxu") == []
    assert native_search_words("Gwādar") == []
    assert list(Official.objects.search("zhaoxu")) == [officials["ma"]]


def test_native_words_hold_no_query_syntax():
    assert native_search_words('马朝旭" OR * % _ \\ آمنہ') == ["马朝旭", "or", "آمنہ"]


def test_the_names_index_exists_on_this_database(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname = %s",
                ["meetings_official_names_search"],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'meetings_official_names'")
        assert cursor.fetchone() is not None


def test_search_page_finds_and_marks_a_chinese_name(
    client, officials, no_page_cache, django_assert_max_num_queries
):
    # One query for each kind searched (meetings, officials, projects, sources,
    # organizations, themes).
    with django_assert_max_num_queries(6):
        response = client.get("/search/", {"q": "朝旭"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ma Zhaoxu" in page
    assert '<span class="other-name" lang="zh-Hans" dir="ltr">马<mark>朝旭</mark></span>' in page


def test_search_page_finds_an_urdu_name(client, officials, no_page_cache):
    page = client.get("/search/", {"q": "بلوچ"}).content.decode()
    assert '<a href="/officials/' in page and "Amna Baloch" in page
    assert 'lang="ur" dir="rtl">آمنہ <mark>بلوچ</mark></span>' in page


def test_api_q_finds_by_native_name_with_bounded_queries(
    client, officials, no_page_cache, django_assert_max_num_queries
):
    # The list's own queries; what its facets cost is bounded in test_api_facets.py.
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/officials/", {"q": "李强", "facets": "false"})
    assert [row["slug"] for row in response.json()["results"]] == [officials["li"].slug]
