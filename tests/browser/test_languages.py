"""The site in Urdu and Chinese in real Chromium: every kind of page passes axe-core and fits
a phone without sideways scrolling, Urdu runs right to left in its own font, Chinese is set in
the site's own font (its interface subset, then slices; the test machine has no CJK font of its
own) within the first load's budget, and the language switcher works as plain links.
Screenshots go to test-artifacts/screenshots/<lang>/ (English's are the ones test_site.py
takes)."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.staticfiles import finders
from playwright.sync_api import expect

from cpec_tracker.site import language_name_fonts
from projects.models import Project

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


CHINESE_FONT_CSS = "cpec_tracker/fonts/noto-sans-sc/noto-sans-sc.css"
CHINESE_SLICE_NAME = re.compile(r"/(noto-sans-sc-[\w-]+-normal)\.(?:\w+\.)?woff2$")


def chinese_slice_ranges():
    """Each slice of the site's Chinese font by file name (no extension): its unicode-range."""
    css = Path(finders.find(CHINESE_FONT_CSS)).read_text()
    faces = re.findall(r'url\("([\w-]+)\.woff2"\).*?unicode-range: ([^;]+);', css, re.DOTALL)
    return dict(faces)


def fonts_drawing_chinese_text(page):
    """The fonts Chromium draws each element's own text in, for the elements whose own text is
    all Chinese (the site name, the menu, labels, headings): read through the DevTools
    protocol, which changes nothing on the page (a change could redraw text and hide a stale
    drawing)."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("DOM.enable")
    devtools.send("CSS.enable")
    elements, fonts = [devtools.send("DOM.getDocument", {"depth": -1})["root"]], {}
    while elements:
        element = elements.pop()
        children = element.get("children", [])
        elements.extend(children)
        own_text = "".join(child["nodeValue"] for child in children if child["nodeType"] == 3)
        if re.fullmatch(r"\s*[\u4e00-\u9fff][\u4e00-\u9fff\s]*", own_text):
            used = devtools.send("CSS.getPlatformFontsForNode", {"nodeId": element["nodeId"]})
            fonts[own_text.strip()] = {font["familyName"] for font in used["fonts"]}
    return fonts


CHASHMA_SLUG = "chashma-nuclear-power-plant-unit-5"
# What a Chinese page's first load may weigh on the wire, as the map page's (issue 21).
CHINESE_FIRST_LOAD_BUDGET = 300 * 1024


@pytest.mark.parametrize("path", ["/", "/meetings/jwg-icc-5th-meeting/"])
def test_chinese_pages_are_set_in_the_sites_own_chinese_font(
    page, site, strict_csp, console_errors, path
):
    """The interface's characters come from one subset of Noto Sans SC; the slices only for
    the records' characters it lacks; the whole first load within the budget."""
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request))
    page.goto(f"{site}/zh-hans{path}")
    page.evaluate("document.fonts.ready")
    page.wait_for_load_state("networkidle")
    loaded = page.evaluate(
        "[...document.fonts].filter(font => font.status === 'loaded').map(font => font.family)"
    )
    assert "CPEC Chinese Interface" in [family.strip('"') for family in loaded]
    # And drawn in it (or a slice), not in boxes of a Latin font: bold and regular, menu and
    # headings.
    drawn_in = fonts_drawing_chinese_text(page)
    assert (
        drawn_in
        and {
            text: fonts
            for text, fonts in drawn_in.items()
            if not all(font.startswith("Noto Sans SC") for font in fonts)
        }
        == {}
    )
    # Served by the site itself (no CDN), as static files.
    sizes = {request.url: request.sizes()["responseBodySize"] for request in fetched}
    fonts = {url: size for url, size in sizes.items() if url.endswith(".woff2")}
    assert fonts and all(url.startswith(f"{site}/static/") for url in fonts)
    slices = [url for url in fonts if CHINESE_SLICE_NAME.search(url)]
    print(
        f"/zh-hans{path}: first load {sum(sizes.values())} bytes on the wire, fonts "
        f"{sum(fonts.values())} bytes: {len(slices)} of {len(chinese_slice_ranges())} slices, "
        f"{sum(fonts[url] for url in slices)} bytes"
    )
    assert sum(sizes.values()) <= CHINESE_FIRST_LOAD_BUDGET
    assert console_errors == []


def test_a_records_character_outside_the_interface_subset_comes_from_its_slice(
    page, site, strict_csp, console_errors
):
    """A Chinese name may hold characters no translation uses: those, and only those, come
    from the slices that hold them, in the same font."""
    name = "恰希玛鼎"
    interface = language_name_fonts.interface_characters()
    outside = "".join(character for character in name if character not in interface)
    assert "鼎" in outside
    Project.objects.filter(slug=CHASHMA_SLUG).update(title_zh_hans=name)
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(f"{site}/zh-hans/projects/{CHASHMA_SLUG}/")
    page.evaluate("document.fonts.ready")
    page.wait_for_load_state("networkidle")
    slices = {match.group(1) for url in fetched if (match := CHINESE_SLICE_NAME.search(url))}
    slices_of_outside = {
        path.name.removesuffix(".woff2")
        for weight in (400, 700)
        for path in language_name_fonts.chinese_sources(outside, weight)
    }
    assert slices and slices <= slices_of_outside
    drawn_in = fonts_drawing_chinese_text(page)[name]
    assert drawn_in and all(font.startswith("Noto Sans SC") for font in drawn_in)
    assert console_errors == []


# A page's fonts in all, on the wire, when its own text is English: the switcher's names in
# their subsets (about 1 KB each) and perhaps a Latin slice, never a script's whole font.
ENGLISH_PAGE_FONT_BUDGET = 20 * 1000


@pytest.mark.parametrize("path", ["/", "/meetings/"])
def test_an_english_page_draws_the_switcher_without_fetching_a_big_font(
    page, site, strict_csp, console_errors, path
):
    fetched = []
    page.on("requestfinished", lambda request: ".woff2" in request.url and fetched.append(request))
    page.goto(site + path)
    page.evaluate("document.fonts.ready")
    page.wait_for_load_state("networkidle")
    sizes = {request.url: request.sizes()["responseBodySize"] for request in fetched}
    print(f"{path}: fonts {sum(sizes.values())} bytes on the wire: {sorted(sizes)}")
    assert sum(sizes.values()) < ENGLISH_PAGE_FONT_BUDGET
    assert not [url for url in sizes if "nastaliq" in url or CHINESE_SLICE_NAME.search(url)]
    # The switcher's names are drawn, in the subsets of the fonts they were drawn in before.
    loaded = page.evaluate(
        "[...document.fonts].filter(font => font.status === 'loaded').map(font => font.family)"
    )
    assert set(loaded) == {"CPEC Language Names"}
    assert fonts_drawing_chinese_text(page) == {"简体中文": {"Noto Sans SC Thin"}}
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
