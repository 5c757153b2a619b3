"""A record's API detail kept as a stored document (`cpec_tracker.api.documents`): the same
bytes as a rendered answer, one query when nothing changed, and never a stale or draft answer."""

import pytest
from django.core.cache import cache

from projects.models import Location, Project
from tests.api.helpers import get_json, queries_for

pytestmark = pytest.mark.django_db

# (query string, request headers): the language and format variants of one detail.
VARIANTS = [
    ("", {}),
    ("?lang=ur", {}),
    ("?lang=zh-hans", {}),
    ("", {"HTTP_ACCEPT_LANGUAGE": "ur-PK"}),
    ("", {"HTTP_ACCEPT_LANGUAGE": "zh-CN,en;q=0.5"}),
    ("?lang=en", {"HTTP_ACCEPT_LANGUAGE": "ur"}),
    ("", {"HTTP_ACCEPT": "application/json; indent=2"}),
]


@pytest.fixture
def documents_on(settings):
    settings.CPEC_DOCUMENT_CACHE = True


def cited_project(make, **fields):
    project = make.make_project(title_ur="چشمہ", title_zh_hans="恰希玛", **fields)
    organization = make.make_organization(slug="the-bank", name="The Bank")
    make.make_project_role(project, organization, role="financier")
    make.make_citation(project, source=make.make_source(slug="the-report", title="A report"))
    make.make_key_figure(project)
    return project


def answer(client, url, headers):
    response = client.get(url, **headers)
    return response.status_code, response.content, sorted(response.headers.items())


@pytest.mark.parametrize(("query", "headers"), VARIANTS)
def test_a_stored_detail_is_the_rendered_answer_byte_for_byte(
    client, make, settings, no_page_cache, query, headers
):
    project = cited_project(make)
    url = f"/api/v1/projects/{project.slug}/{query}"
    settings.CPEC_DOCUMENT_CACHE = False
    rendered = answer(client, url, headers)
    settings.CPEC_DOCUMENT_CACHE = True
    stored_then_served = [answer(client, url, headers) for _ in range(2)]
    assert rendered[0] == 200
    assert stored_then_served == [rendered, rendered]


def test_each_language_has_its_own_document(client, make, documents_on):
    project = cited_project(make)
    url = f"/api/v1/projects/{project.slug}/"
    titles = [
        get_json(client, url + query, **headers)["title"]
        for query, headers in VARIANTS[:5] + VARIANTS[:5]
    ]
    assert titles == [project.title, "چشمہ", "恰希玛", "چشمہ", "恰希玛"] * 2


def test_a_stored_detail_is_served_in_one_query(client, make, no_page_cache, documents_on):
    project = cited_project(make)
    url = f"/api/v1/projects/{project.slug}/"
    assert queries_for(client, url) > 5  # read and stored
    # The tables' versions, and nothing else.
    assert queries_for(client, url) == 1


def test_a_document_is_kept_in_the_cache_not_the_database(client, make, documents_on):
    project = cited_project(make)
    cache.clear()
    client.get(f"/api/v1/projects/{project.slug}/")
    assert any("cpec-document:" in key for key in keys())


def keys():
    return list(getattr(cache, "_cache", {}))


@pytest.fixture(params=["page cache on", "page cache off"])
def served_twice(request, client, settings, make):
    """The detail of a cited project, asked for until it is served from its document (and,
    with the page cache on, from the page cache): a function giving the next answer."""
    settings.CPEC_DOCUMENT_CACHE = True
    settings.CPEC_PAGE_CACHE = request.param == "page cache on"
    project = cited_project(make)
    url = f"/api/v1/projects/{project.slug}/"

    def next_answer(status=200):
        return get_json(client, url, status=status)

    next_answer()
    next_answer()
    return project, next_answer


def test_an_edit_to_the_project_is_in_the_next_answer(served_twice):
    project, next_answer = served_twice
    project.summary = "Now with a summary."
    project.save()
    assert next_answer()["summary"] == "Now with a summary."
    # A bulk update, which no signal sees.
    Project.objects.filter(pk=project.pk).update(status="operational")
    assert next_answer()["status"] == "operational"


def test_an_edit_to_a_related_organization_or_source_is_in_the_next_answer(served_twice):
    project, next_answer = served_twice
    organization = project.roles.get().organization
    organization.name = "The Renamed Bank"
    organization.save()
    assert next_answer()["roles"][0]["organization"]["name"] == "The Renamed Bank"
    source = project.citations.get().source
    source.slug = "the-corrected-report"
    source.save()
    assert next_answer()["citations"][0]["source"] == "the-corrected-report"
    source.publication_status = "draft"
    source.save()
    assert next_answer()["citations"] == []


def test_a_place_added_moved_or_removed_is_in_the_next_answer(served_twice, make):
    project, next_answer = served_twice
    place = make.make_location(project)
    assert next_answer()["locations"][0]["geometry"]["coordinates"] == [62.3254, 25.1216]
    # A bulk update, which no signal sees.
    Location.objects.filter(pk=place.pk).update(longitude=62.33)
    assert next_answer()["locations"][0]["geometry"]["coordinates"] == [62.33, 25.1216]
    make.make_citation(place, source=project.citations.get().source)
    assert next_answer()["locations"][0]["citations"][0]["source"] == "the-report"
    place.delete()
    assert next_answer()["locations"] == []


def test_a_related_record_made_a_draft_leaves_the_next_answer(served_twice):
    project, next_answer = served_twice
    organization = project.roles.get().organization
    organization.publication_status = "draft"
    organization.save()
    assert next_answer()["roles"] == []


def test_a_project_made_a_draft_is_not_served_from_its_document(served_twice):
    project, next_answer = served_twice
    project.publication_status = "draft"
    project.save()
    assert next_answer(status=404)["errors"] == {}
    assert next_answer(status=404)["errors"] == {}


def test_a_draft_project_is_never_stored(client, make, no_page_cache, documents_on):
    project = cited_project(make, publication_status="draft")
    cache.clear()
    for _ in range(2):
        get_json(client, f"/api/v1/projects/{project.slug}/", status=404)
    assert not any("cpec-document:" in key for key in keys())


def test_the_store_can_be_switched_off(client, make, no_page_cache, settings):
    settings.CPEC_DOCUMENT_CACHE = False
    project = cited_project(make)
    url = f"/api/v1/projects/{project.slug}/"
    assert queries_for(client, url) == queries_for(client, url) > 1


# Every collection's detail goes through the same store (`PublishedViewSet`): (collection,
# factory, the field an edit changes).
EVERY_KIND = [
    ("meetings", "make_meeting", "title"),
    ("officials", "make_official", "name"),
    ("sources", "make_source", "title"),
    ("organizations", "make_organization", "name"),
    ("themes", "make_theme", "name"),
]


@pytest.mark.parametrize(("collection", "factory", "field"), EVERY_KIND)
def test_every_kinds_detail_is_stored_and_an_edit_is_in_the_next_answer(
    client, make, no_page_cache, documents_on, collection, factory, field
):
    record = getattr(make, factory)()
    url = f"/api/v1/{collection}/{record.slug}/"
    assert queries_for(client, url) > 1  # read and stored
    assert queries_for(client, url) == 1  # served from its document
    type(record).objects.filter(pk=record.pk).update(**{field: "Edited since it was stored"})
    assert get_json(client, url)[field] == "Edited since it was stored"
