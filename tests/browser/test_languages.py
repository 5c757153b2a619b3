"""The site in Urdu and Chinese in real Chromium: every kind of page passes axe-core and fits
a phone without sideways scrolling, Urdu runs right to left in its own font, and the
language switcher works as plain links. Screenshots go to test-artifacts/screenshots/<lang>/
(English's are the ones test_site.py takes)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, SCREENSHOTS
from .test_site import PAGE_TYPES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}


@pytest.mark.parametrize("language, direction", [("ur", "rtl"), ("zh-hans", "ltr")])
def test_every_kind_of_page_in_each_language_passes_axe_and_fits_a_phone(
    page, site, strict_csp, console_errors, language, direction
):
    folder = SCREENSHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    problems = []
    for name, path in PAGE_TYPES.items():
        for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            page.goto(f"{site}/{language}{path}")
            page.evaluate("document.fonts.ready")
            state = page.evaluate(
                "({lang: document.documentElement.lang,"
                " dir: getComputedStyle(document.documentElement).direction,"
                " overflow: document.documentElement.scrollWidth - innerWidth})"
            )
            if (state["lang"], state["dir"]) != (language, direction):
                problems.append(f"{name}: lang {state['lang']}, direction {state['dir']}")
            if state["overflow"] > 0:
                problems.append(f"{name} at {width_name} scrolls sideways by {state['overflow']}px")
            page.screenshot(path=folder / f"{name}-{viewport['width']}.png", full_page=True)
            for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                finding = f"{language} {name} at {width_name}: {violation['impact']} "
                finding += f"{violation['id']} {targets}"
                print("axe:", finding)  # minor findings are reported (pytest -s), not failed
                if violation["impact"] in ("serious", "critical"):
                    problems.append(finding)
    # The 400 and 404 pages log their own status; anything the policy refused is a problem.
    problems.extend(error for error in console_errors if "Failed to load resource" not in error)
    assert problems == []


def test_urdu_is_set_in_the_sites_own_nastaliq_font(page, site, strict_csp, console_errors):
    fonts = []
    page.on("response", lambda response: response.url.endswith(".woff2") and fonts.append(response))
    page.goto(f"{site}/ur/meetings/jwg-icc-5th-meeting/")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        "[...document.fonts].filter(font => font.status === 'loaded').map(font => font.family)"
    )
    assert any("Noto Nastaliq Urdu" in family for family in loaded)
    # Served by the site itself (no CDN), as a static file.
    assert fonts and all(response.url.startswith(f"{site}/static/") for response in fonts)
    assert all(response.status == 200 for response in fonts)
    assert console_errors == []


def test_the_switcher_leads_to_the_same_page_in_another_language(
    page, site, strict_csp, console_errors
):
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/ur/meetings/jwg-icc-5th-meeting/")
    heading = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("navigation", name="زبان").get_by_role("link", name="简体中文").click()
    page.wait_for_url(f"{site}/zh-hans/meetings/jwg-icc-5th-meeting/")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    page.wait_for_url(f"{site}/meetings/jwg-icc-5th-meeting/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert console_errors == []
