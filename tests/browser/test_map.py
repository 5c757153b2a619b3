"""/map/ in real Chromium at 360 and 1280 px in each language: the places drawn on the
outlines that ship with the site under the strict policy, a point's popup linking to its
project, the list as the page without JavaScript, axe-core clean, and what the first load
weighs on the wire. Screenshots go to test-artifacts/screenshots/ (map-<lang>-<width>.png,
map-nojs-en-360.png)."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from projects.models import Project

from .conftest import DESKTOP, PHONE, SCREENSHOTS
from .test_languages import AXE_OPTIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHASHMA = "chashma-nuclear-power-plant-unit-5"
KHUNJERAB = "khunjerab-pass-year-round-operation"
FIRST_LOAD_BUDGET = 300 * 1024


@pytest.fixture
def places(site, make):
    """The seed has no places: a plant by its point, a pass road by its line."""
    make.make_location(
        Project.objects.get(slug=CHASHMA),
        place_name="Chashma",
        longitude=Decimal("71.3858"),
        latitude=Decimal("32.3894"),
    )
    make.make_location(
        Project.objects.get(slug=KHUNJERAB),
        place_name="Khunjerab Pass to Sost",
        precision="near",
        geometry={"type": "LineString", "coordinates": [[75.42, 36.85], [74.81, 36.69]]},
    )
    return site


def path_in(language):
    return "/map/" if language == "en" else f"/{language}/map/"


@pytest.mark.parametrize("language", ["en", "ur", "zh-hans"])
def test_the_map_draws_the_places_in_each_language_at_phone_and_desktop_widths(
    page, places, strict_csp, console_errors, language
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(places + path_in(language))
        # The outlines (fetched from the site's static files) and the two places.
        expect(page.locator("path.map-country").first).to_be_attached()
        expect(page.locator("path.map-point")).to_have_count(1)
        expect(page.locator("path.map-shape")).to_have_count(1)
        expect(page.locator("#project-map")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if overflow > 0:
            problems.append(f"{viewport['width']} px: the page scrolls sideways by {overflow}px")
        page.screenshot(
            path=SCREENSHOTS / f"map-{language}-{viewport['width']}.png", full_page=True
        )
        for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(
                f"axe {viewport['width']} px: {violation['impact']} {violation['id']} {targets}"
            )
    # A point's popup links to its project, in the page's direction.
    page.locator("path.map-point").click()
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_have_attribute("href", f"{path_in(language)[:-4]}projects/{CHASHMA}/")
    direction = "rtl" if language == "ur" else "ltr"
    expect(page.locator(".leaflet-popup-content > div").first).to_have_attribute("dir", direction)
    link.click()
    page.wait_for_url(f"**/projects/{CHASHMA}/")
    assert problems == []
    assert console_errors == []


def test_without_javascript_the_map_page_is_the_list_and_keyboard_reaches_it(
    browser, places, console_errors
):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(places + "/map/")
    expect(page.locator("#project-map-figure")).to_be_hidden()
    item = page.locator(f"#project-{KHUNJERAB}")
    expect(item.get_by_role("link")).to_have_attribute("href", f"/projects/{KHUNJERAB}/")
    expect(item).to_contain_text("Khunjerab Pass to Sost")
    expect(item).to_contain_text("Near the site")
    expect(page.locator(f"#project-{CHASHMA}")).to_contain_text("32.3894° N, 71.3858° E")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "map-nojs-en-360.png", full_page=True)
    # By keyboard alone: Tab reaches each project's link in the list and Enter follows it.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('map-project')"):
            break
    else:
        raise AssertionError("Tab never reached a project of the list")
    page.keyboard.press("Enter")
    page.wait_for_url("**/projects/*/")
    context.close()


@pytest.mark.parametrize("prefix", ["", "/ur", "/zh-hans"])
def test_the_first_load_weighs_at_most_300_kb_on_the_wire(page, places, strict_csp, prefix):
    """Everything Chromium fetches for the page until the map is drawn, as sent (compressed):
    the page, its style sheets and scripts, the library, the outlines, the data and the fonts
    (in English, the language switcher's two subsets, about 1 KB each; in Urdu, Nastaliq's
    one weight; in Chinese, the interface's Noto Sans SC subset and the slices of the records'
    characters it lacks)."""
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request))
    page.set_viewport_size(DESKTOP)
    page.goto(places + prefix + "/map/")
    expect(page.locator("path.map-country").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    sizes = {request.url: request.sizes()["responseBodySize"] for request in fetched}
    fonts = sum(size for url, size in sizes.items() if url.endswith(".woff2"))
    total = sum(sizes.values())
    print(f"{prefix}/map/ first load on the wire: {total} bytes, of which fonts {fonts} bytes")
    assert any("outlines" in url for url in sizes) and any("leaflet" in url for url in sizes)
    assert total <= FIRST_LOAD_BUDGET
