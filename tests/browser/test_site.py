"""A visitor's journeys through the site in real Chromium, by mouse and by keyboard alone,
with an axe-core check and phone and desktop screenshots of every kind of page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, SCREENSHOTS

# serialized_rollback: the flush after each test would otherwise erase the groups that
# migrations create, which later tests rely on.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHASHMA = "Chashma Nuclear Power Plant Unit 5"
KHUNJERAB = "Khunjerab Pass year-round operation"
# The quote a footnote leads to: its mark, or the mark of the same words cited first.
TARGET_QUOTE = "mark.quote:target, mark.quote:has(> .quote-anchor:target)"
# The highlight colour of the quote a footnote leads to (mark.quote:target in site.css).
TARGET_HIGHLIGHT = "rgb(255, 213, 79)"

PAGE_TYPES = {
    "home": "/",
    "meeting-list": "/meetings/?year=2025",
    "meeting-detail": "/meetings/jwg-icc-5th-meeting/",
    "official-list": "/officials/",
    "official-detail": "/officials/amna-baloch/",
    "project-list": "/projects/?status=under_construction",
    "project-detail": "/projects/chashma-nuclear-power-plant-unit-5/",
    "source-list": "/sources/",
    "source-detail": "/sources/dawn-2025-01-12-cpec-jwg-icc/",
    "organization-detail": "/organizations/jwg-icc/",
    "theme-detail": "/themes/clean-energy/",
    "search": "/search/?q=Khunjerab",
    "bad-filter": "/meetings/?year=abc",
    "not-found": "/no-such-page/",
}


def assert_on_highlighted_quote(page):
    """The page is a source, scrolled to the quote its address names, which is highlighted."""
    assert re.search(r"/sources/[\w-]+/#quote-\d+$", page.url)
    mark = page.locator(TARGET_QUOTE)
    expect(mark).to_have_count(1)
    expect(mark).to_be_in_viewport()
    assert mark.evaluate("element => getComputedStyle(element).backgroundColor") == (
        TARGET_HIGHLIGHT
    )


def test_visitor_follows_a_project_to_its_source_and_searches(
    page, site, strict_csp, console_errors
):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("CPEC Tracker")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_label("Status").select_option("under_construction")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"/projects/\?.*status=under_construction"))
    expect(page.get_by_text("Status: Under construction")).to_be_visible()
    expect(page.get_by_role("link", name=KHUNJERAB)).to_have_count(0)

    page.get_by_role("link", name=CHASHMA).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CHASHMA)

    page.get_by_role("link", name="Source 1").click()
    expect(page.locator("#note-1")).to_be_in_viewport()
    page.locator("#note-1").get_by_role("link").click()
    assert_on_highlighted_quote(page)
    # The footnote's own quote: the sentence's other quotes are highlights of their own.
    expect(page.locator(TARGET_QUOTE)).to_contain_text("Chashma Nuclear Power Plant Unit 5")

    page.get_by_role("searchbox", name="Search").first.fill("Khunjerab")
    page.get_by_role("searchbox", name="Search").first.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Khunjerab"))
    result = page.get_by_role("link", name=KHUNJERAB)
    expect(result.locator("mark")).to_have_text("Khunjerab")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(KHUNJERAB)
    assert console_errors == []


def tab_to(page, matches, *, key="Tab", limit=80):
    """Press Tab (or `key`) until the focused element satisfies the JS predicate `matches`."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {matches}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {matches}")


def test_the_same_journey_by_keyboard_alone(page, site, strict_csp, console_errors):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible

    tab_to(page, "el.getAttribute('href') === '/projects/'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/projects/$"))
    tab_to(page, "el.name === 'status'")
    page.keyboard.type("Under")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent === 'Apply'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"status=under_construction"))

    tab_to(page, f"el.textContent === '{CHASHMA}'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/projects/chashma-nuclear-power-plant-unit-5/$"))

    tab_to(page, "(el.getAttribute('href') || '').includes('#quote-')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#quote-\d+$"))
    assert_on_highlighted_quote(page)

    # Back up from the quote to the search box in the header.
    tab_to(page, "el.id === 'site-search-q'", key="Shift+Tab")
    page.keyboard.type("Khunjerab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Khunjerab"))
    tab_to(page, "el.getAttribute('href') === '/projects/khunjerab-pass-year-round-operation/'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/projects/khunjerab-pass-year-round-operation/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(KHUNJERAB)
    assert console_errors == []


def test_every_kind_of_page_passes_axe_and_fits_phone_and_desktop(
    page, site, strict_csp, console_errors
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    options = {
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        }
    }
    problems = []
    for name, path in PAGE_TYPES.items():
        for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            page.goto(site + path)
            overflow = page.evaluate("document.documentElement.scrollWidth") - viewport["width"]
            if overflow > 0:
                problems.append(f"{name} at {width_name} scrolls sideways by {overflow}px")
            page.screenshot(path=SCREENSHOTS / f"{name}-{viewport['width']}.png", full_page=True)
            results = axe.run(page, options=options)
            for violation in results.response["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                finding = (
                    f"{name} at {width_name}: {violation['impact']} {violation['id']} {targets}"
                )
                print("axe:", finding)  # minor findings are reported (pytest -s), not failed
                if violation["impact"] in ("serious", "critical"):
                    problems.append(finding)
    # The 400 and 404 pages log their own status; anything the policy refused is a problem.
    problems.extend(error for error in console_errors if "Failed to load resource" not in error)
    assert problems == []
