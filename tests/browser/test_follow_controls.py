"""The follow controls (the page's Atom feed and "Email me when this changes") on a project's
page and on the projects list, in real Chromium at 360 and 1280 px in each language: opened,
axe-core finds nothing in them, the page does not scroll sideways, the form starts at the
inline start (the right in Urdu), its fields have labels and keyboard focus shows. Screenshots
go to test-artifacts/screenshots/ (follow-<page>-<lang>-<width>.png)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, SCREENSHOTS
from .test_languages import AXE_OPTIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = {
    "project": "/projects/chashma-nuclear-power-plant-unit-5/",
    "project-list": "/projects/",
}
LANGUAGE_PREFIXES = {"en": "", "ur": "/ur", "zh-hans": "/zh-hans"}


def inline_start_offset(page, direction):
    """How far the open form starts from the inline start of the controls' box, in px."""
    return page.evaluate(
        """direction => {
            const form = document.querySelector('.follow-email form').getBoundingClientRect();
            const box = document.querySelector('.follow-controls').getBoundingClientRect();
            return direction === 'rtl' ? box.right - form.right : form.left - box.left;
        }""",
        direction,
    )


@pytest.mark.parametrize("language", LANGUAGE_PREFIXES)
@pytest.mark.parametrize("page_name", PAGES)
def test_the_follow_controls_open_fit_and_pass_axe_in_each_language(
    page, site, strict_csp, console_errors, page_name, language
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    direction = "rtl" if language == "ur" else "ltr"
    problems = []
    for viewport in (PHONE, DESKTOP):
        width = viewport["width"]
        page.set_viewport_size(viewport)
        page.goto(site + LANGUAGE_PREFIXES[language] + PAGES[page_name])
        controls = page.locator(".follow-controls")
        expect(controls).to_have_count(1)
        expect(controls.locator("a[type='application/atom+xml']")).to_be_visible()
        form = controls.locator(".follow-email form")
        expect(form).to_be_hidden()
        controls.locator(".follow-email > summary").click()
        expect(form).to_be_visible()

        # Every field is named by its label; the frequency is a group named by its legend.
        email = form.locator("input[type='email']")
        assert email.evaluate("el => el.labels.length") == 1
        group = form.get_by_role("group")
        expect(group.get_by_role("radio")).to_have_count(2)
        expect(group.get_by_role("radio").first).to_be_checked()
        if language == "en":
            expect(form.get_by_label("Your email")).to_have_count(1)
            expect(form.get_by_role("group", name="How often")).to_have_count(1)
            expect(form.get_by_role("radio", name="A daily digest")).to_have_count(1)

        # Keyboard focus moves from the summary into the form and is drawn.
        controls.locator(".follow-email > summary").focus()
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.type, getComputedStyle(document.activeElement).outlineStyle]"
        )
        if focused != ["email", "solid"]:
            problems.append(f"{width} px: Tab from the summary focuses {focused}")

        # The address box takes the form's width rather than the browser's default 20 characters.
        share = page.evaluate(
            """() => document.querySelector('.follow-email input[type=email]').offsetWidth
                / document.querySelector('.follow-email form').clientWidth"""
        )
        if share < 0.85:
            problems.append(f"{width} px: the address box fills {share:.0%} of the form")
        offset = inline_start_offset(page, direction)
        if abs(offset) > 1:
            problems.append(f"{width} px: the form starts {offset}px from the inline start")
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if overflow > 0:
            problems.append(f"{width} px: the page scrolls sideways by {overflow}px")
        for violation in Axe().run(page, ".follow-controls", AXE_OPTIONS).response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"axe {width} px: {violation['impact']} {violation['id']} {targets}")

        controls.evaluate("el => el.scrollIntoView({block: 'center'})")
        page.screenshot(path=SCREENSHOTS / f"follow-{page_name}-{language}-{width}.png")
    assert problems == []
    assert console_errors == []
