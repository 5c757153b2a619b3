""" "How to cite" in real Chromium: the copy button copies the citation under the strict
Content-Security-Policy, and without JavaScript the page shows no button that cannot work."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MEETING = "/meetings/jwg-icc-5th-meeting/"


def test_cite_link_leads_to_a_citation_the_button_copies(
    page, context, site, strict_csp, console_errors
):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(site + MEETING)
    page.get_by_role("link", name="Cite this page").click()
    expect(page.get_by_role("heading", name="How to cite this page")).to_be_in_viewport()

    page.get_by_role("button", name="Copy citation").click()
    expect(page.get_by_role("status")).to_have_text("Citation copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("“5th meeting of the CPEC Joint Working Group")
    assert f"CPEC Tracker. {site}{MEETING} (retrieved " in copied
    assert console_errors == []


def test_without_javascript_the_citation_is_there_and_no_button(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + MEETING)
    expect(page.locator("#citation-text")).to_contain_text("CPEC Tracker.")
    expect(page.get_by_role("button", name="Copy citation")).to_be_hidden()
    expect(page.get_by_role("link", name="BibTeX")).to_be_visible()
    context.close()
