"""/figures/ in real Chromium at 360 and 1280 px in each language: the charts draw without
JavaScript under the strict policy, their text stays inside the page, Urdu's bars grow from
the right, and axe-core finds nothing. Screenshots go to test-artifacts/screenshots/
(figures-<lang>-<width>.png)."""

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, SCREENSHOTS
from .test_languages import AXE_OPTIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE_360 = {"width": 360, "height": 740}

# Where each chart's bars and text lie, in CSS px of the page.
CHART_GEOMETRY = """
() => [...document.querySelectorAll('svg.chart-bars')].map(svg => {
  const box = svg.getBoundingClientRect();
  const bars = [...svg.querySelectorAll('rect')].map(rect => rect.getBoundingClientRect());
  const texts = [...svg.querySelectorAll('text')].map(text => text.getBoundingClientRect());
  return {
    id: svg.getAttribute('aria-labelledby'),
    left: box.left, right: box.right,
    bars: bars.map(bar => ({left: bar.left, right: bar.right, width: bar.width})),
    texts: texts.map(text => ({left: text.left, right: text.right})),
  };
})
"""


def add_financing(make):
    """The seed has no financing: a few commitments, one without an amount in US dollars."""
    development_bank = make.make_organization(name="China Development Bank")
    exim_bank = make.make_organization(name="Export-Import Bank of China")
    for lender, currency, amount, year, instrument in (
        (development_bank, "USD", "1500000000", 2016, "commercial_loan"),
        (exim_bank, "USD", "2890000000", 2015, "concessional_loan"),
        (exim_bank, "CNY", "9800000000", 2017, "buyers_suppliers_credit"),
        (development_bank, "USD", "420000000", 2017, "export_credit"),
    ):
        usd = {"amount_usd": Decimal(amount), "usd_basis": "stated"} if currency == "USD" else {}
        make.make_financing(
            lender=lender,
            currency=currency,
            amount=Decimal(amount),
            commitment_date=datetime.date(year, 6, 1),
            instrument=instrument,
            **usd,
        )


@pytest.mark.parametrize("language", ["en", "ur", "zh-hans"])
def test_the_figures_page_draws_its_charts_in_each_language_at_phone_and_desktop_widths(
    page, site, strict_csp, console_errors, make, language
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    add_financing(make)
    path = "/figures/" if language == "en" else f"/{language}/figures/"
    problems = []
    for viewport in (PHONE_360, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(site + path)
        page.evaluate("document.fonts.ready")
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if overflow > 0:
            problems.append(f"{viewport['width']} px: the page scrolls sideways by {overflow}px")
        charts = page.evaluate(CHART_GEOMETRY)
        assert len(charts) == 6
        for chart in charts:
            where = f"{language} {viewport['width']} px {chart['id']}"
            for text in chart["texts"]:
                if text["left"] < chart["left"] - 1 or text["right"] > chart["right"] + 1:
                    problems.append(f"{where}: a label runs out of its chart")
            widest = max((bar["width"] for bar in chart["bars"]), default=0)
            if chart["bars"] and widest < chart["right"] - chart["left"] - 1:
                problems.append(f"{where}: its largest bar does not fill the chart")
            for bar in chart["bars"]:
                # Right to left, every bar starts at the chart's right edge; else at its left.
                edge, start = (
                    (chart["right"], bar["right"])
                    if language == "ur"
                    else (chart["left"], bar["left"])
                )
                if bar["width"] and abs(edge - start) > 1:
                    problems.append(f"{where}: a bar starts {start - edge:+.0f}px off its edge")
        page.screenshot(
            path=SCREENSHOTS / f"figures-{language}-{viewport['width']}.png", full_page=True
        )
        for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(
                f"axe {viewport['width']} px: {violation['impact']} {violation['id']} {targets}"
            )
    assert problems == []
    assert console_errors == []
