"""/map/: the projects with a place, by status, on a map that ships with the site, filtered
as the project list is; without JavaScript a list of the same projects with their places."""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

from cpec_tracker.site import map_outlines

pytestmark = pytest.mark.django_db

LANGUAGE_PREFIXES = ["", "/ur", "/zh-hans"]
# The budget for the map page's first load: library, outlines, data and page.
FIRST_LOAD_BUDGET = 300 * 1024
LINE = {"type": "LineString", "coordinates": [[74.9, 36.8], [73.1, 33.7]]}


def map_data(response):
    """The features the page hands map.js (its json_script element)."""
    found = re.search(
        r'<script id="map-features" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


@pytest.fixture
def places(make):
    """A port by a point, a road by a line, and a project with no place."""
    port = make.make_project(slug="gwadar-port", title="Gwadar Port", status="operational")
    make.make_location(port, place_name="Gwadar")
    road = make.make_project(
        slug="karakoram-highway", title="Karakoram Highway", status="under_construction"
    )
    make.make_location(road, place_name="Khunjerab to Islamabad", geometry=LINE, precision="exact")
    make.make_project(slug="placeless-plant", title="Placeless Plant", status="planned")
    return port, road


@pytest.mark.parametrize("prefix", LANGUAGE_PREFIXES)
def test_map_page_lists_the_projects_with_their_places_in_each_language(client, places, prefix):
    response = client.get(f"{prefix}/map/")
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if prefix == "/ur" else "ltr"
    assert f'dir="{direction}"' in html
    # The no-JavaScript page: a real list of links with each place, its precision and where.
    assert '<a class="map-project" href="' + places[0].get_absolute_url() + '">' in html
    assert "Gwadar" in html and "25.1216°" in html and "62.3254°" in html
    assert "Khunjerab to Islamabad" in html
    # A project without a place cannot be on the map, so it is not listed either.
    assert "Placeless Plant" not in html
    # The map's own files, all served by the site (no script inline, nothing from a CDN).
    for name in ("leaflet.js", "topojson-client.min.js", "map.js"):
        assert re.search(rf'<script src="/static/[^"]*{name[:-3]}[^"]*\.js" defer>', html), name
    assert re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html) is None
    assert "http://" not in html.split("<main", 1)[1].split("</main>")[0].replace(
        "http://testserver", ""
    )


def test_the_map_is_in_the_main_navigation_and_the_sitemap(client):
    html = client.get("/ur/").content.decode()
    navigation = html.split('<nav aria-label="', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/ur/map/">' in navigation
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/map/</loc>" in sitemap and "/zh-hans/map/</loc>" in sitemap


def test_map_data_names_each_place_and_its_projects_status(client, places):
    features = map_data(client.get("/map/"))["features"]
    by_place = {feature["properties"]["project"]: feature for feature in features}
    assert set(by_place) == {"project-gwadar-port", "project-karakoram-highway"}
    port = by_place["project-gwadar-port"]
    assert port["geometry"] == {"type": "Point", "coordinates": [62.3254, 25.1216]}
    assert port["properties"]["status"] == "operational"
    assert by_place["project-karakoram-highway"]["geometry"] == LINE
    # Each feature's list item is on the page, where the popup takes its link from.
    html = client.get("/map/").content.decode()
    for feature in features:
        assert f'id="{feature["properties"]["project"]}"' in html
        assert f'id="{feature["properties"]["place"]}"' in html


def test_the_project_lists_filters_narrow_the_map(client, places):
    response = client.get("/map/?status=operational")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gwadar Port" in html and "Karakoram Highway" not in html
    assert [f["properties"]["project"] for f in map_data(response)["features"]] == [
        "project-gwadar-port"
    ]
    # The list's filter form, with its counts, is the map's.
    assert 'name="status"' in html and 'name="sector"' in html
    assert "Status: Operational" in html


def test_map_answers_400_naming_a_bad_filter(client, places, page_cache_on_and_off):
    response = client.get("/map/?status=nonsense")
    assert response.status_code == 400
    assert "status" in response.content.decode()
    assert client.get("/map/?page=abc").status_code == 404


def test_draft_projects_and_their_places_are_not_on_the_map(client, places, make):
    draft = make.make_project(slug="draft-dam", title="Draft Dam", publication_status="draft")
    make.make_location(draft, place_name="Secret Valley")
    for prefix in LANGUAGE_PREFIXES:
        response = client.get(f"{prefix}/map/")
        html = response.content.decode()
        assert "Draft Dam" not in html and "Secret Valley" not in html and "draft-dam" not in html
        assert "project-draft-dam" not in json.dumps(map_data(response))


def test_map_queries_do_not_grow_with_projects_or_places(
    client, make, django_assert_max_num_queries, no_page_cache
):
    def add(count):
        for _ in range(count):
            project = make.make_project()
            make.make_location(project)
            make.make_location(project, place_name="Somewhere", geometry=LINE)

    add(3)
    client.get("/map/")  # Django's per-process caches (content types) warmed
    with django_assert_max_num_queries(10) as few:
        assert client.get("/map/?status=planned").status_code == 200
    add(30)
    with django_assert_max_num_queries(10) as many:
        response = client.get("/map/?status=planned")
    print(f"map queries: {len(many.captured_queries)}")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(map_data(response)["features"]) == 66


def test_a_tile_server_is_drawn_only_when_a_deployment_names_one(client, settings, no_page_cache):
    response = client.get("/map/")
    assert 'data-tile-url=""' in response.content.decode()
    # With no tile server the map asks no other origin for images. (The policy's directives
    # come in no fixed order: read by name.)
    policy = response.headers["Content-Security-Policy"]
    directives = dict(directive.strip().split(" ", 1) for directive in policy.split(";"))
    assert directives["img-src"] == "'self' data:"
    settings.CPEC_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.CPEC_MAP_TILE_ATTRIBUTION = "© Example <contributors>"
    html = client.get("/map/").content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-tile-credit="© Example &lt;contributors&gt;"' in html


def test_tile_origin_is_what_the_policy_allows():
    from cpec_tracker.settings import tile_origin

    assert tile_origin("https://tiles.example.org/{z}/{x}/{y}.png") == "https://tiles.example.org"
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org"
    )
    with pytest.raises(Exception, match="CPEC_MAP_TILE_URL"):
        tile_origin("javascript:alert(1)")


def test_the_committed_outlines_are_what_the_command_writes():
    """The base map is made from the vendored world-atlas file by `manage.py map_outlines`."""
    assert map_outlines.OUTLINES.read_text(encoding="utf-8") == map_outlines.outlines_text()
    topology = json.loads(map_outlines.OUTLINES.read_text(encoding="utf-8"))
    names = {
        country["properties"]["name"] for country in topology["objects"]["countries"]["geometries"]
    }
    assert {"Pakistan", "China", "Afghanistan", "India", "Iran"} <= names
    call_command("map_outlines", "--check")


def compressed_size(static_name):
    """The bytes whitenoise sends for a collected static file to a browser that takes
    Brotli (else gzip): the smallest of the compressed files collectstatic wrote."""
    path = Path(staticfiles_storage.path(staticfiles_storage.stored_name(static_name)))
    candidates = [path.with_name(path.name + suffix) for suffix in (".br", ".gz")]
    sizes = [candidate.stat().st_size for candidate in candidates if candidate.exists()]
    return min(sizes) if sizes else path.stat().st_size


def test_the_maps_first_load_is_within_300_kb_compressed(client, places):
    """Everything the page loads before anyone touches it: the page, its style sheets and
    scripts, and the outlines map.js fetches."""
    html = client.get("/map/").content
    total = len(gzip.compress(html, 9))
    static_url = settings.STATIC_URL
    loaded = set(re.findall(rf'(?:href|src)="{static_url}([^"]+\.(?:css|js))"', html.decode()))
    loaded.add(staticfiles_storage.stored_name("cpec_tracker/map/outlines.json"))
    names = {re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", name) for name in loaded}
    assert {
        "cpec_tracker/vendor/leaflet-1.9.4/leaflet.js",
        "cpec_tracker/map.js",
        "cpec_tracker/map/outlines.json",
    } <= names
    total += sum(compressed_size(name) for name in names)
    print(f"map first load: {total} bytes compressed")
    assert total <= FIRST_LOAD_BUDGET


def test_a_new_place_shows_on_the_cached_map_at_once(client, places, make):
    assert "Chashma" not in client.get("/map/").content.decode()
    make.make_location(places[1], place_name="Chashma", longitude=71.38, latitude=32.39)
    assert "Chashma" in client.get("/map/").content.decode()


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=*", "ordering=nonsense", "page=-1", "page=99999", "theme=" + "x" * 5000],
)
def test_bad_values_are_a_4xx_or_ignored_never_a_500(client, places, query):
    assert client.get(f"/map/?{query}").status_code < 500
