"""Every list page on a phone (390 x 844), in each language: the first result and the CSV
download are on the first screen, above the filters, which fold into a "Filters" disclosure
that opens from the keyboard and filters the list. Screenshots go to
test-artifacts/screenshots/ (list-<kind>-390.png, and ur/ and zh-hans/ for the others)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE_390 = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
FIRST_RESULT = ".record-list > li:first-child > a"
CSV_LINK = "a[href*='format=csv']"
LANGUAGES = ["en", "ur", "zh-hans"]
# Each list page, and a filter of it to set from the keyboard: (field name, value).
LIST_PAGES = {
    "meetings": ("/meetings/", ("kind", "working_group_session")),
    "officials": ("/officials/", ("country", "PK")),
    "projects": ("/projects/", ("status", "under_construction")),
    "sources": ("/sources/", ("kind", "news_report")),
}


def prefixed(language, path):
    return path if language == "en" else f"/{language}{path}"


def top_of(page, selector):
    """How far down the page (CSS px from its top) the first element matching `selector` is."""
    return page.locator(selector).first.evaluate(
        "element => element.getBoundingClientRect().top + scrollY"
    )


def tab_to(page, condition, *, limit=80):
    """Press Tab until the focused element `el` satisfies the JavaScript `condition`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {condition}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_list_page_on_a_phone_shows_results_first_and_filters_by_keyboard(
    page, site, strict_csp, console_errors, language
):
    folder = SCREENSHOTS if language == "en" else SCREENSHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE_390)
    measured = {}
    for kind, (path, (field, value)) in LIST_PAGES.items():
        page.goto(site + prefixed(language, path))
        page.evaluate("document.fonts.ready")
        measured[kind] = (round(top_of(page, FIRST_RESULT)), round(top_of(page, CSV_LINK)))
        page.screenshot(path=folder / f"list-{kind}-390.png")
        first_result, csv_link = measured[kind]
        assert first_result < PHONE_390["height"], (kind, language, measured[kind])
        assert csv_link < PHONE_390["height"], (kind, language, measured[kind])

        # Folded on a phone: the form's fields are hidden until the summary opens it.
        details = page.locator("details.filter-panel")
        summary = details.locator("summary")
        select = details.locator(f"[name='{field}']")
        expect(details).not_to_have_attribute("open", re.compile(".*"))
        expect(select).to_be_hidden()
        tab_to(page, "el.tagName === 'SUMMARY' && el.closest('details.filter-panel')")
        expect(summary).to_be_focused()
        page.keyboard.press("Enter")
        expect(details).to_have_attribute("open", "")
        expect(select).to_be_visible()
        # A choice offers what it would give: "Pakistan (12)".
        option = select.locator(f"option[value='{value}']")
        assert re.search(r"\(\d+\)$", option.inner_text()), option.inner_text()
        tab_to(page, f"el.name === '{field}'")
        select.select_option(value)
        tab_to(page, "el.type === 'submit' && el.closest('details.filter-panel')")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"{field}={value}"))
        # The summary counts the filters in use: one.
        expect(page.locator("details.filter-panel summary")).to_contain_text("(1)")
        expect(page.locator(FIRST_RESULT)).to_be_visible()
        page.screenshot(path=folder / f"list-{kind}-filtered-390.png")
    print(f"\n{language} first result and CSV link y at 390 px:", measured)
    assert console_errors == []


def test_on_a_wide_screen_the_filters_are_open_without_a_click(
    page, site, strict_csp, console_errors
):
    page.set_viewport_size(WIDE)
    page.goto(site + "/projects/")
    status = page.locator("details.filter-panel [name='status']")
    expect(status).to_be_visible()
    status.focus()
    expect(status).to_be_focused()
    page.screenshot(path=SCREENSHOTS / "list-projects-1280.png")
    assert console_errors == []
