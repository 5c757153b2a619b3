"""Follow a record, a list or a search: the Atom feed of its published changes.

Each is the changelog (/changes/) narrowed, read by its one implementation; these tests parse
the feeds with the standard library's XML parser, as a feed reader would.
"""

import html
import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cpec_tracker.records.models import PublicationStatus

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DRAFT = PublicationStatus.DRAFT
SECRET = "Quillmoor"
LISTS = ("meetings", "officials", "projects", "sources", "financing")


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(root):
    return root.findall(f"{ATOM}entry")


def text_of(root):
    return html.unescape(ET.tostring(root, encoding="unicode"))


def save(record, **fields):
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    return record


def test_a_record_feed_carries_its_changes_from_what_to_what_with_the_source(client, make):
    project = make.make_project(title="Gwadar East Bay Expressway", status="planned")
    make.make_project(title="Another project")
    source = make.make_source(publisher="The Nation", title="Expressway opened")
    make.make_citation(project, source=source, quote="The expressway opened", fields=["status"])
    save(project, status="operational")

    root = feed(client, f"/changes/feed.atom?record=projects/{project.slug}")

    assert [entry.find(f"{ATOM}title").text for entry in entries(root)] == [
        "Project: Gwadar East Bay Expressway"
    ] * 2
    newest = entries(root)[0].find(f"{ATOM}summary").text
    assert "Status: Planned → Operational" in newest
    assert "“The expressway opened” — The Nation, Expressway opened" in newest
    assert "Another project" not in text_of(root)
    # Required elements, and entry ids that do not move between requests.
    for element in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{element}").text
    for entry in entries(root):
        for element in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{element}").text
    again = feed(client, f"/changes/feed.atom?record=projects/{project.slug}&page=2")
    assert [e.find(f"{ATOM}id").text for e in entries(again)] == [
        e.find(f"{ATOM}id").text for e in entries(root)
    ]
    self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link.endswith(f"/changes/feed.atom?record=projects/{project.slug}")


def test_a_record_page_links_its_feed_in_head_and_visibly(client, make):
    meeting = make.make_meeting()
    body = client.get(meeting.get_absolute_url()).content.decode()
    url = f"/changes/feed.atom?record=meetings/{meeting.slug}"
    label = "Follow: Atom feed of its changes"
    head = f'<link rel="alternate" type="application/atom+xml" title="{label}" href="{url}">'
    assert head in body
    assert f'<a href="{url}" type="application/atom+xml">{label}</a>' in body


@pytest.mark.parametrize("value", ["", "projects", "projects/", "nope/x", "projects/\x00", "a/b/c"])
def test_a_record_feed_of_no_published_record_is_a_404(client, make, value):
    assert client.get("/changes/feed.atom", {"record": value}).status_code == 404


def test_a_draft_record_has_no_feed_and_its_content_never_shows(client, make):
    draft = make.make_project(title=f"{SECRET} scheme", publication_status=DRAFT)
    assert client.get(f"/changes/feed.atom?record=projects/{draft.slug}").status_code == 404
    # What a published record held as a draft never shows in its feed either.
    project = make.make_project(title=f"{SECRET} first title", publication_status=DRAFT)
    save(project, title="Published title", publication_status=PublicationStatus.PUBLISHED)
    root = feed(client, f"/changes/feed.atom?record=projects/{project.slug}")
    assert SECRET not in text_of(root)
    assert entries(feed(client, f"/projects/feed.atom?q={SECRET}")) == []
    assert SECRET not in text_of(feed(client, "/projects/feed.atom"))


def test_a_list_feed_follows_the_records_its_filters_select(client, make):
    energy = make.make_project(title="Thar coal block", sector="energy", status="planned")
    make.make_project(title="Karakoram road", sector="transport", status="planned")
    save(energy, status="operational")

    root = feed(client, "/projects/feed.atom?sector=energy&unknown=1")

    assert {entry.find(f"{ATOM}title").text for entry in entries(root)} == {
        "Project: Thar coal block"
    }
    assert "Status: Planned → Operational" in text_of(root)
    assert root.find(f"{ATOM}title").text == "CPEC Tracker: Projects (Sector: Energy)"
    assert (
        root.find(f"{ATOM}link[@rel='alternate']").get("href").endswith("/projects/?sector=energy")
    )
    # A different filter is a different feed, with its own id.
    other = feed(client, "/projects/feed.atom?sector=transport")
    assert other.find(f"{ATOM}id").text != root.find(f"{ATOM}id").text
    assert "Karakoram road" in text_of(other) and "Thar" not in text_of(other)


def test_a_list_page_links_its_feed_with_its_filters(client, make):
    make.make_project(sector="energy")
    body = html.unescape(client.get("/projects/?sector=energy&page=1").content.decode())
    label = "Follow: Atom feed of the changes in this list"
    url = "/projects/feed.atom?sector=energy"
    assert f'type="application/atom+xml" title="{label}" href="{url}"' in body
    assert f'<a href="{url}" type="application/atom+xml">{label}</a>' in body


@pytest.mark.parametrize(
    "query",
    ["sector=coal", "status=\x00", "province=mars", "parent=no-such-programme", "ordering=nope"],
)
def test_a_list_feed_refuses_what_its_list_refuses(client, make, query):
    list_status = client.get(f"/projects/?{query}").status_code
    response = client.get(f"/projects/feed.atom?{query}")
    assert response.status_code == list_status == 400, query
    assert query.split("=")[0] in response.content.decode()


def test_every_list_has_a_feed(client, make):
    for name in LISTS:
        root = feed(client, f"/{name}/feed.atom")
        assert root.find(f"{ATOM}id").text, name


def test_a_search_feed_follows_the_records_found(client, make):
    found = make.make_project(title="Sindh coal power plant", status="planned")
    make.make_project(title="Gwadar port", status="planned")
    save(found, status="operational")

    root = feed(client, "/search/feed.atom?q=coal&kind=projects")

    assert {entry.find(f"{ATOM}title").text for entry in entries(root)} == {
        "Project: Sindh coal power plant"
    }
    assert "Gwadar" not in text_of(root)
    assert root.find(f"{ATOM}title").text == "CPEC Tracker: search for “coal”"
    body = html.unescape(client.get("/search/?q=coal").content.decode())
    assert 'href="/search/feed.atom?q=coal"' in body
    assert client.get("/search/feed.atom?q=coal&kind=nope").status_code == 400
    assert client.get("/search/feed.atom?q=coal&year=x").status_code == 400
    assert entries(feed(client, "/search/feed.atom")) == []


def test_feeds_are_in_the_language_of_their_address(client, make):
    project = make.make_project(title="Thar coal block")
    root = feed(client, f"/ur/changes/feed.atom?record=projects/{project.slug}")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ur"
    assert "/ur/projects/" in root.find(f"{ATOM}link[@rel='alternate']").get("href")
    chinese = feed(client, "/zh-hans/projects/feed.atom")
    assert chinese.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-hans"
    # The list's name from the catalogue (the feed's own words come with the fragments).
    assert "项目" in chinese.find(f"{ATOM}title").text


def test_feeds_carry_at_most_fifty_entries(client, make):
    project = make.make_project()
    for number in range(55):
        save(project, summary=f"Revision {number}")
    assert len(entries(feed(client, f"/changes/feed.atom?record=projects/{project.slug}"))) == 50
    assert len(entries(feed(client, "/projects/feed.atom"))) == 50


def test_feeds_run_a_bounded_number_of_queries(
    client, make, no_page_cache, django_assert_max_num_queries
):
    organization = make.make_organization()
    for number in range(4):
        project = make.make_project(parent=None, sector="energy")
        make.make_citation(project, fields=["status"])
        save(project, status="operational", summary=f"Now {number}")
        meeting = make.make_meeting(body=organization)
        save(meeting, summary=f"Held {number} coal")
        # Parts of every kind, each changed and cited: the record feeds read them.
        for part in (
            make.make_milestone(project, kind="agreement"),
            make.make_key_figure(project),
            make.make_project_role(project, organization),
            make.make_financing(project, organization),
            make.make_outcome(meeting),
            make.make_participation(meeting, make.make_official()),
        ):
            make.make_citation(part)
            part.save()
    # Measured: 19, 14, 20, 5, 12 and 6. A record's feed adds three queries per kind of part
    # it has (their states, the states before them, the rows), never one per row.
    bounds = {
        f"/changes/feed.atom?record=projects/{project.slug}": 20,
        f"/changes/feed.atom?record=meetings/{meeting.slug}": 16,
        f"/changes/?record=projects/{project.slug}": 22,
        "/projects/feed.atom?sector=energy": 8,
        "/search/feed.atom?q=coal": 14,
        "/financing/feed.atom": 8,
    }
    for url, bound in bounds.items():
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200, url


def test_a_record_feed_carries_its_parts_added_and_changed(client, make):
    project = make.make_project(title="Thar coal block")
    milestone = make.make_milestone(project, kind="groundbreaking", description="Ceremony held")
    source = make.make_source(publisher="Dawn", title="Thar ground broken")
    make.make_citation(milestone, source=source, quote="Ground was broken")
    save(milestone, description="Ceremony held in Thar")

    root = feed(client, f"/changes/feed.atom?record=projects/{project.slug}")

    titles = [entry.find(f"{ATOM}title").text for entry in entries(root)]
    assert titles == [
        "Project: Thar coal block · Milestone",
        "Project: Thar coal block · Milestone",
        "Project: Thar coal block",
    ]
    changed, added = (entry.find(f"{ATOM}summary").text for entry in entries(root)[:2])
    assert "Ceremony held → Ceremony held in Thar" in changed
    assert "“Ground was broken” — Dawn, Thar ground broken" in changed
    assert added.startswith("Added\n") and "Groundbreaking" in added
    page = html.unescape(client.get(f"/changes/?record=projects/{project.slug}").content.decode())
    assert "· Milestone" in page and "Ceremony held in Thar" in page


def test_a_part_held_while_its_record_was_a_draft_or_linked_to_a_draft_never_shows(client, make):
    meeting = make.make_meeting(publication_status=DRAFT)
    make.make_outcome(meeting, text=f"{SECRET} agreed in draft")
    save(meeting, publication_status=PublicationStatus.PUBLISHED)
    envoy = make.make_official(name=f"{SECRET} Envoy", publication_status=DRAFT)
    make.make_participation(meeting, envoy)

    root = feed(client, f"/changes/feed.atom?record=meetings/{meeting.slug}")

    assert SECRET not in text_of(root)
    assert len(entries(root)) == 1  # its publication


def test_a_financing_commitment_has_its_own_feed_and_list_feed(client, make):
    project = make.make_project(title="Port Qasim power plant")
    financing = make.make_financing(project, amount=2000, status="pledged")
    save(financing, status="committed")

    url = f"/changes/feed.atom?record=financing/{financing.pk}"
    assert "Status: Pledged → Committed" in text_of(feed(client, url))
    assert f'href="{url}"' in client.get(financing.get_absolute_url()).content.decode()
    history = client.get(f"/changes/?record=financing/{financing.pk}")
    assert "Committed" in html.unescape(history.content.decode())
    assert "Pledged → Committed" in text_of(feed(client, "/financing/feed.atom?status=committed"))
    assert entries(feed(client, "/financing/feed.atom?status=cancelled")) == []
    listed = client.get("/financing/?status=committed").content.decode()
    assert '<a href="/financing/feed.atom?status=committed" type="application/atom+xml">' in listed
    for bad in ("financing/abc", "financing/99999999999999999999", "financing/0"):
        assert client.get("/changes/feed.atom", {"record": bad}).status_code == 404


def test_a_feed_is_served_from_the_page_cache_until_the_data_changes(client, make):
    project = make.make_project(title="Thar coal block", status="planned")
    url = f"/changes/feed.atom?record=projects/{project.slug}"
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    save(project, status="operational")
    fresh = client.get(url)
    assert fresh["X-Cache"] == "miss"
    assert len(entries(ET.fromstring(fresh.content))) == 2


def hostile_battery():
    """The CI's battery (.ci/hostile_battery.py), read for its values and its discovery."""
    path = Path(__file__).resolve().parents[2] / ".ci" / "hostile_battery.py"
    spec = importlib.util.spec_from_file_location("hostile_battery", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_hostile_battery_finds_every_list_feeds_filters_and_none_is_a_500(
    client, make, no_page_cache
):
    battery = hostile_battery()
    make.make_project(sector="energy")
    # Found as discover_pages() finds a list's filters: its route's callback's view_class.
    feeds = {
        "/" + route: callback.view_class.filterset_class
        for route, _namespace, callback in battery.url_patterns()
        if route.endswith("/feed.atom") and hasattr(callback, "view_class")
    }
    assert set(feeds) == {f"/{name}/feed.atom" for name in LISTS}
    # Two of them: every list's feed reads its filters through the same code.
    for path in ("/projects/feed.atom", "/financing/feed.atom"):
        filterset = feeds[path]
        for request in battery.parameter_requests(path, battery.filterset_parameters(filterset)):
            target = urlsplit(request.target)
            response = client.get(target.path, QUERY_STRING=target.query)
            assert response.status_code < 500, request.target
