"""The public changelog (/changes/ and its Atom feed): published states only."""

import html

import pytest

from cpec_tracker.records.models import PublicationStatus

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
PUBLISHED = PublicationStatus.PUBLISHED
# A word no published state ever holds; every draft state carries it.
SECRET = "Quillmoor"


def page(client, url="/changes/"):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def save(record, **fields):
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    return record


def test_a_change_to_a_published_record_shows_field_by_field(client, make):
    project = make.make_project(title="Gwadar East Bay Expressway", status="planned")
    save(project, status="under_construction")

    body = page(client)

    assert "Gwadar East Bay Expressway" in body
    assert project.get_absolute_url() in body
    assert "1 field changed" in body
    assert "Planned" in body and "Under construction" in body


def test_the_new_citations_of_a_change_are_shown_with_their_source(client, make):
    project = make.make_project(title="Karakoram Highway Phase II", status="planned")
    source = make.make_source(publisher="The Nation")
    make.make_citation(
        project, source=source, quote="The meeting was co-chaired", fields=["status"]
    )
    save(project, status="operational")

    body = page(client)

    assert "“The meeting was co-chaired”" in body
    assert f"{source.get_absolute_url()}#quote-" in body
    assert "The Nation" in body


def test_a_draft_never_shows(client, make):
    make.make_project(title=f"{SECRET} Hydel Scheme", publication_status=DRAFT)
    meeting = make.make_meeting(title=f"{SECRET} session", publication_status=DRAFT)
    save(meeting, summary=f"{SECRET} summary")

    body = page(client)
    feed = page(client, "/changes/feed.atom")

    assert SECRET not in body and SECRET not in feed
    assert "No published record has changed yet." in body


def test_a_record_published_then_unpublished_shows_nothing(client, make):
    official = make.make_official(name=f"{SECRET} Vantermere")
    save(official, bio="Served in Beijing.")
    save(official, publication_status=DRAFT)

    assert SECRET not in page(client)
    assert SECRET not in page(client, "/changes/feed.atom")


def test_what_a_published_record_held_as_a_draft_never_shows(client, make):
    """Published as A, unpublished and edited to the secret, then published again as B: the
    change reads A → B, and the draft states leave no trace."""
    project = make.make_project(title="Chashma Unit 5", summary="First words.")
    save(project, publication_status=DRAFT, summary=f"{SECRET} draft wording")
    save(project, title=f"{SECRET} Unit 5")
    save(project, title="Chashma Nuclear Power Plant Unit 5", summary="Final words.")
    save(project, publication_status=PUBLISHED)

    body = page(client)
    feed = page(client, "/changes/feed.atom")

    assert SECRET not in body and SECRET not in feed
    assert "First words." in body and "Final words." in body
    assert "Chashma Unit 5" in body and "Chashma Nuclear Power Plant Unit 5" in body
    assert "2 fields changed" in body


def test_a_link_to_a_draft_record_shows_as_none(client, make):
    draft_body = make.make_organization(name=f"{SECRET} Authority", publication_status=DRAFT)
    meeting = make.make_meeting(title="Sixth JWG session")
    save(meeting, body=draft_body)

    body = page(client)

    assert SECRET not in body
    assert draft_body.slug not in body


def test_the_feed_carries_each_change_once(client, make):
    project = make.make_project(title="ML-1 Railway")
    save(project, status="operational")

    response = client.get("/changes/feed.atom")
    feed = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.count("<entry>") == 2  # first published, then the change
    assert "ML-1 Railway" in feed
    assert "Status: Planned → Operational" in feed


def test_the_list_is_paginated_and_a_bad_page_is_a_404(client, make):
    project = make.make_project(title="Rashakai SEZ")
    for number in range(30):
        save(project, summary=f"Revision {number}")

    first = page(client)
    second = page(client, "/changes/?page=2")

    assert "Revision 29" in first and "Revision 0" not in first
    assert "Page 1 of 2" in first
    assert "Revision 0" in second
    for bad in ("?page=3", "?page=0", "?page=x", "?page=99999999999999999999"):
        assert client.get(f"/changes/{bad}").status_code == 404, bad


def test_the_page_runs_a_bounded_number_of_queries(
    client, make, no_page_cache, django_assert_max_num_queries
):
    organization = make.make_organization()
    for number in range(4):
        project = make.make_project(parent=None)
        make.make_citation(project, fields=["status"])
        save(project, status="operational", summary=f"Now {number}")
        meeting = make.make_meeting(body=organization)
        save(meeting, summary=f"Held {number}")
        save(make.make_official(), bio=f"Bio {number}")
        save(make.make_source(), title=f"Source {number}")
        save(make.make_theme(), description=f"Theme {number}")
        save(make.make_organization(parent=organization), name=f"Body {number}")

    with django_assert_max_num_queries(24):
        assert client.get("/changes/").status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get("/changes/feed.atom").status_code == 200


def test_the_changelog_is_in_the_sitemap_and_the_footer(client, make):
    assert "/changes/" in client.get("/sitemap.xml").content.decode()
    assert 'href="/changes/"' in page(client, "/")
