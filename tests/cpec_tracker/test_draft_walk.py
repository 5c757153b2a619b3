"""Drafts stay private: a walk over every public page, feed and API answer finds no trace.

The walk starts from the home page and from fixed entry points (the API, feeds, calendar,
sitemap, search and every list page), follows every same-site link it finds in HTML, XML,
calendars and JSON, and reads each answer for the drafts' slugs and titles. An entry point
that does not exist answers 404, which is fine; nothing may answer 500.
"""

import html
import io
import re
import sqlite3
import zipfile
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest

from cpec_tracker.records import registry
from cpec_tracker.records.models import Organization, PublicationStatus, Source
from cpec_tracker.site import datafiles
from meetings.models import Meeting
from projects.models import Location, Project

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
# A word no published record uses; every draft's title carries it.
MARKER = "Zorblax"
# The amounts of financing that must stay private, as written in files and pages.
FINANCING_AMOUNT = 424242424
# The place of a draft project.
DRAFT_PLACE = f"{MARKER} Landing"
# An email alert's subscriber (cpec_tracker/site/alerts): no public answer shows an address.
SUBSCRIBER = "zorblax.reader@example.org"
COLLECTIONS = [
    "meetings",
    "officials",
    "projects",
    "organizations",
    "themes",
    "sources",
    "financing",
]
ENTRY_POINTS = [
    "/",
    "/api/v1/",
    *(f"/api/v1/{name}/" for name in COLLECTIONS),
    *(f"/api/v1/{name}/?q={MARKER}" for name in COLLECTIONS),
    *(f"/{name}/" for name in COLLECTIONS),
    *(f"/{name}/?q={MARKER}" for name in COLLECTIONS),
    "/feeds/meetings.atom",
    "/feeds/updates.atom",
    "/changes/",
    "/changes/feed.atom",
    # Following a record, a list or a search (feeds.py): the published records' feeds, and
    # those of lists and searches that would find the drafts.
    "/changes/feed.atom?record=meetings/jwg-icc-5th-meeting",
    "/changes/feed.atom?record=projects/cpec-2-0",
    "/changes/feed.atom?record=organizations/jwg-icc",
    *(f"/{name}/feed.atom" for name in ("meetings", "officials", "projects", "sources")),
    *(f"/{name}/feed.atom?q={MARKER}" for name in ("meetings", "officials", "projects", "sources")),
    f"/search/feed.atom?q={MARKER}",
    "/search/feed.atom?q=corridor",
    "/meetings.ics",
    "/sitemap.xml",
    "/robots.txt",
    f"/search/?q={MARKER}",
    "/data/",
    "/data/dictionary/",
    # Charts name lenders and years: a draft lender's name must not be among them.
    "/figures/",
    # The map lists the projects with a place, and hands their places to its script.
    "/map/",
    f"/map/?q={MARKER}",
    "/alerts/sent/",
]
# The walk reads at most this many answers, and this many query-string variants of one path
# (list pages link to every filter and sort order).
MAX_PAGES = 600
MAX_VARIANTS_PER_PATH = 12
SKIPPED_PREFIXES = ("/admin/", "/static/")

HREF = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""")
ABSOLUTE = re.compile(r"""http://testserver(/[^\s"'<>\\]*)""")


@pytest.fixture
def drafts(seeded, make):
    """One draft of each public kind, tied to published records the way editors would."""
    series = Organization.objects.get(slug="jwg-icc")
    umbrella = Project.objects.get(slug="cpec-2-0")
    published_meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    seed_source = Source.objects.get(slug="dawn-2025-01-12-cpec-jwg-icc")
    theme = published_meeting.themes.first()

    meeting = make.make_meeting(
        slug="zorblax-sixth-session",
        title=f"{MARKER} Sixth Session",
        summary=f"{MARKER} summary",
        body=series,
        sequence_number=6,
        publication_status=DRAFT,
    )
    meeting.themes.add(theme)
    make.make_citation(meeting, source=seed_source, quote=seed_source.text.split(".")[0])
    official = make.make_official(
        slug="zorblax-vantermere", name=f"{MARKER} Vantermere", publication_status=DRAFT
    )
    make.make_appointment(official, title=f"{MARKER} Envoy", organization=series)
    make.make_participation(meeting, official)
    project = make.make_project(
        slug="zorblax-hydel-scheme",
        title=f"{MARKER} Hydel Scheme",
        parent=umbrella,
        publication_status=DRAFT,
    )
    project.meetings.add(published_meeting)
    project.themes.add(theme)
    source = make.make_source(
        slug="zorblax-gazette-report", title=f"{MARKER} Gazette report", publication_status=DRAFT
    )
    organization = make.make_organization(
        slug="zorblax-authority",
        name=f"{MARKER} Authority",
        parent=series,
        publication_status=DRAFT,
    )
    draft_theme = make.make_theme(
        slug="zorblax-corridor", name=f"{MARKER} corridor", publication_status=DRAFT
    )
    # Published once, then taken back: its history holds a published state, but it is a
    # draft now, so the changelog must not show it.
    withdrawn = make.make_project(slug="zorblax-withdrawn-scheme", title=f"{MARKER} Withdrawn")
    withdrawn.summary = "Revised before it was withdrawn."
    withdrawn.save()
    withdrawn.publication_status = DRAFT
    withdrawn.save()
    # Financing of the draft project, and a draft lender's financing of a published project:
    # neither row may show (their amounts are the traces looked for).
    lender = Organization.objects.get(slug="jwg-icc")
    make.make_citation(
        make.make_financing(project, lender, amount=FINANCING_AMOUNT),
        source=seed_source,
        quote=seed_source.text.split(".")[0],
    )
    make.make_financing(umbrella, organization, amount=FINANCING_AMOUNT + 1)
    # A published row beside them, so the walk reads the financing pages with a row in them.
    make.make_financing(umbrella, lender, amount=1000)
    # The draft project's place (its name is a trace looked for), beside a published one's.
    make.make_location(project, place_name=DRAFT_PLACE)
    make.make_location(umbrella, place_name="Gwadar")
    # A confirmed email alert on a published project, with a change delivered to it.
    from cpec_tracker.site.alerts import services

    alert = services.subscription_request(
        email=SUBSCRIBER,
        feed_url="/changes/feed.atom?record=projects/cpec-2-0",
        frequency="each",
        language="en",
    ).subscription
    services.subscription_confirm(subscription=alert)
    alert.deliveries.create(
        model_label="projects.project", history_id=1, changed_at=alert.created_at
    )
    return [meeting, official, project, source, organization, draft_theme, withdrawn]


def traces(drafts):
    """What must never appear publicly: each draft's slug and full title, and the amounts of
    the financing rows tied to drafts."""
    found = set()
    for record in drafts:
        found.add(record.slug)
        found.add(getattr(record, "title", None) or record.name)
    found |= {str(FINANCING_AMOUNT), f"{FINANCING_AMOUNT:,}"}
    found |= {str(FINANCING_AMOUNT + 1), f"{FINANCING_AMOUNT + 1:,}"}
    found.add(DRAFT_PLACE)
    found |= {SUBSCRIBER, SUBSCRIBER.split("@")[0]}
    return found


def links_in(body, base):
    for match in HREF.finditer(body):
        yield urljoin(base, html.unescape(match.group(1)))
    for match in ABSOLUTE.finditer(body):
        yield html.unescape(match.group(1)).replace("\\/", "/")


def walk(client, entry_points=ENTRY_POINTS):
    """Yield (url, response) for every same-site answer reachable from the entry points."""
    queue = deque(entry_points)
    seen = set(entry_points)
    variants = Counter()
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        pages += 1
        # The API answers as its clients read it: JSON (its browsable HTML shows the same).
        accept = "application/json" if url.startswith("/api/") else "text/html,*/*;q=0.8"
        response = client.get(url, HTTP_ACCEPT=accept)
        yield url, response
        if response.status_code >= 300 or response.streaming:
            continue
        body = response.content.decode(errors="replace")
        for link in links_in(body, url):
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or parts.path.startswith(SKIPPED_PREFIXES):
                continue
            if parts.query:
                variants[parts.path] += 1
                if variants[parts.path] > MAX_VARIANTS_PER_PATH:
                    continue
            seen.add(target)
            queue.append(target)


def test_no_public_page_feed_or_api_answer_shows_a_draft(client, drafts):
    secrets = traces(drafts)
    visited = []
    for url, response in walk(client):
        assert response.status_code < 500, url
        visited.append(url)
        if response.streaming:
            continue
        body = html.unescape(response.content.decode(errors="replace"))
        leaked = sorted(secret for secret in secrets if secret in body)
        assert not leaked, f"{url} shows drafts: {leaked}"

    # The walk reached the published records, so it looked where the drafts would be.
    assert "/meetings/jwg-icc-5th-meeting/" in visited
    assert "/projects/cpec-2-0/" in visited
    assert "/changes/" in visited
    assert "/projects/feed.atom" in visited
    assert "/changes/feed.atom?record=projects/cpec-2-0" in visited
    # The map shows the published project's place, so it was read where the draft's would be.
    assert "/map/" in visited
    assert "Gwadar" in client.get("/map/").content.decode()


def test_no_export_shows_a_draft(client, drafts):
    """The exports stream (the walk does not read them): each format of each list, read whole."""
    secrets = traces(drafts)
    exports = [
        f"/api/v1/{name}/?format={format}" for name in COLLECTIONS for format in ("csv", "jsonl")
    ]
    exports.append("/api/v1/projects/?format=geojson")
    for url in exports:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content).decode()
        leaked = sorted(secret for secret in secrets if secret in body)
        assert not leaked, f"{url} shows drafts: {leaked}"
    # The published project's place is there, so the GeoJSON was read where a draft would be.
    assert "cpec-2-0" in body and "Gwadar" in body


def test_every_address_of_a_draft_is_a_404(client, drafts, page_cache_on_and_off):
    for record in drafts:
        assert client.get(record.get_absolute_url()).status_code == 404, record
    for collection, record in zip(COLLECTIONS, drafts[:3], strict=False):
        assert client.get(f"/api/v1/{collection}/{record.slug}/").status_code == 404
    assert client.get(f"/api/v1/sources/{drafts[3].slug}/").status_code == 404
    assert client.get(f"/api/v1/organizations/{drafts[4].slug}/").status_code == 404
    assert client.get(f"/api/v1/themes/{drafts[5].slug}/").status_code == 404
    # Nor has a draft a feed of its changes, not even one published once and withdrawn.
    for record in drafts:
        kind = registry.kind_of(type(record)).name
        feed = client.get(f"/changes/feed.atom?record={kind}/{record.slug}")
        assert feed.status_code == 404, record


def readable_text(name, body, tmp_path):
    """What a /data/ file says, as text: a ZIP's members and an SQLite file's rows included."""
    if name.endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(body))
        return "\n".join(archive.read(member).decode() for member in archive.namelist())
    if name.endswith(".sqlite"):
        path = tmp_path / "walk.sqlite"
        path.write_bytes(body)
        with sqlite3.connect(path) as database:
            return "\n".join(database.iterdump())
    return body.decode()


def test_no_file_of_the_dataset_holds_a_draft(client, drafts, tmp_path):
    secrets = traces(drafts)
    page = client.get("/data/").content.decode()
    linked = set(re.findall(r'href="/data/([^"]+)"', page)) - {"dictionary/"}
    # Every file of the build is linked from /data/ and read here.
    assert linked == {entry["name"] for entry in datafiles.current_build().files}
    for name in sorted(linked):
        response = client.get(f"/data/{name}")
        assert response.status_code == 200, name
        text = readable_text(name, b"".join(response.streaming_content), tmp_path)
        leaked = sorted(secret for secret in secrets if secret in text)
        assert not leaked, f"/data/{name} shows drafts: {leaked}"
        # The files hold the published records the drafts are tied to, so the walk looked
        # where a draft would be.
        if "meeting" in name or name.endswith((".zip", ".sqlite", "popolo.json")):
            assert "jwg-icc-5th-meeting" in text, name


# A pending change's values: proposed by an editor for published records, not yet approved.
PENDING_MARKER = "Quintellor"
LANGUAGE_PREFIXES = ["", "/ur", "/zh-hans"]


@pytest.fixture
def pending_changes(seeded, editor_client, chief_editor_client, make):
    """Changes waiting for review on published records, each made through the admin as
    editors make them: a meeting's title and a new outcome, a project's title, status and a
    new key figure, a citation added, a record's unpublishing, and a draft's publishing
    proposed by the chief editor who wrote it."""
    from cpec_tracker.editing.models import PendingChange
    from tests.admin_forms import change_form_data

    def admin_change(record, client=editor_client, **values):
        opts = record._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/change/"
        data = change_form_data(client.get(url))
        data.update(values)
        response = client.post(url, data)
        assert response.status_code == 302, (
            response.context["adminform"].form.errors,
            [f.formset.errors for f in response.context["inline_admin_formsets"]],
        )

    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    admin_change(
        meeting,
        title=f"{PENDING_MARKER} meeting title",
        **{
            "outcomes-TOTAL_FORMS": str(meeting.outcomes.count() + 1),
            f"outcomes-{meeting.outcomes.count()}-text": f"{PENDING_MARKER} outcome.",
            f"outcomes-{meeting.outcomes.count()}-order": "99",
        },
    )
    project = Project.objects.get(slug="cpec-2-0")
    figures = project.key_figures.count()
    places = project.locations.count()
    admin_change(
        project,
        title=f"{PENDING_MARKER} corridor",
        status="completed",
        **{
            "key_figures-TOTAL_FORMS": str(figures + 1),
            f"key_figures-{figures}-kind": "cost",
            f"key_figures-{figures}-value": "987654321",
            f"key_figures-{figures}-unit": f"{PENDING_MARKER} dollars",
            f"key_figures-{figures}-as_of": "2025-01-12",
            f"key_figures-{figures}-as_of_precision": "day",
            # A new place, which must not show on the map, in the detail's `locations` nor in
            # the GeoJSON until approved.
            "locations-TOTAL_FORMS": str(places + 1),
            f"locations-{places}-place_name": f"{PENDING_MARKER} landing",
            f"locations-{places}-precision": "exact",
            f"locations-{places}-country": "PK",
            f"locations-{places}-longitude": "67.0104",
            f"locations-{places}-latitude": "24.8608",
        },
    )
    organization = Organization.objects.get(slug="jwg-icc")
    admin_change(organization, name=f"{PENDING_MARKER} working group")
    draft = make.make_meeting(
        slug="quintellor-draft", title=f"{PENDING_MARKER} draft", publication_status=DRAFT
    )
    make.make_citation(draft)
    admin_change(draft, client=chief_editor_client, summary="Written by the chief editor.")
    chief_editor_client.post(
        "/admin/meetings/meeting/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert PendingChange.objects.pending().count() == 4
    return meeting


def test_no_public_surface_shows_a_pending_change_in_any_language(
    client, pending_changes, tmp_path
):
    entry_points = [
        f"{prefix}{path}"
        for prefix in LANGUAGE_PREFIXES
        for path in (
            "/",
            "/meetings/jwg-icc-5th-meeting/",
            "/projects/cpec-2-0/",
            "/api/v1/projects/cpec-2-0/",
            "/api/v1/projects/?format=geojson",
            "/organizations/jwg-icc/",
            "/changes/",
            "/changes/feed.atom",
            "/changes/feed.atom?record=meetings/jwg-icc-5th-meeting",
            "/changes/feed.atom?record=projects/cpec-2-0",
            "/changes/feed.atom?record=organizations/jwg-icc",
            "/projects/feed.atom",
            "/meetings/feed.atom",
            "/search/feed.atom?q=corridor",
            "/search/?q=corridor",
            "/search/?q=meeting",
            "/map/",
        )
    ]
    visited = []
    for url, response in walk(client, entry_points=[*ENTRY_POINTS, *entry_points]):
        assert response.status_code < 500, url
        visited.append(url)
        if response.streaming:
            continue
        body = html.unescape(response.content.decode(errors="replace"))
        assert PENDING_MARKER not in body, url
        assert "987654321" not in body and "987,654,321" not in body, url
    for page in ("/meetings/jwg-icc-5th-meeting/", "/projects/cpec-2-0/", "/map/"):
        assert all(f"{prefix}{page}" in visited for prefix in LANGUAGE_PREFIXES)
    # The place waits for review: on no map, in no file.
    assert not Location.objects.filter(place_name__startswith=PENDING_MARKER).exists()

    for name in (entry["name"] for entry in datafiles.current_build().files):
        response = client.get(f"/data/{name}")
        text = readable_text(name, b"".join(response.streaming_content), tmp_path)
        assert PENDING_MARKER not in text, name
