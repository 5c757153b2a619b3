"""The figures at a glance: bar charts drawn as SVG on the server, each with its table, on the
home page and /figures/, counting published records only."""

import re
from decimal import Decimal

import pytest

from tests.pages import queries_for, text_of

pytestmark = pytest.mark.django_db


def chart(page, slug):
    """The <figure> of the chart `slug` in `page`."""
    found = re.search(
        rf'<figure class="chart[^"]*" aria-labelledby="{slug}-heading">(.*?)</figure>',
        page,
        re.DOTALL,
    )
    assert found, f"no chart {slug}"
    return found[1]


def table_rows(figure):
    """[[cell text, …]] of the chart's table body, tags stripped."""
    body = re.search(r"<tbody>(.*?)</tbody>", figure, re.DOTALL)[1]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    ]


def bar_widths(figure):
    return [
        float(width) for width in re.findall(r'<rect x="[^"]+" y="\d+" width="([\d.]+)%"', figure)
    ]


def test_projects_by_status_and_sector_count_published_projects(client, make):
    make.make_project(status="operational", sector="energy")
    make.make_project(status="operational", sector="energy")
    make.make_project(status="under_construction", sector="transport")
    make.make_project(status="operational", sector="energy", publication_status="draft")
    page = text_of(client.get("/figures/"))
    by_status = chart(page, "projects-by-status")
    rows = {row[0]: row[1] for row in table_rows(by_status)}
    assert rows["Operational"] == "2" and rows["Under construction"] == "1"
    assert rows["Planned"] == "0"
    assert '<a href="/projects/?status=operational">Operational</a>' in by_status
    widths = dict(
        zip([row[0] for row in table_rows(by_status)], bar_widths(by_status), strict=True)
    )
    assert widths["Operational"] == 100 and widths["Under construction"] == 50
    by_sector = table_rows(chart(page, "projects-by-sector"))
    assert by_sector == [["Energy", "2"], ["Transport and connectivity", "1"]]


def test_each_chart_is_an_image_with_a_title_a_description_and_its_table(client, make):
    make.make_project(status="operational")
    page = text_of(client.get("/figures/"))
    for slug in (
        "projects-by-status",
        "projects-by-sector",
        "financing-by-year",
        "financing-by-lender",
        "financing-by-instrument",
        "meetings-per-year",
    ):
        figure = chart(page, slug)
        assert f'role="img" aria-labelledby="{slug}-title {slug}-desc"' in figure
        assert f'<title id="{slug}-title">' in figure and f'<desc id="{slug}-desc">' in figure
        assert "<table" in figure and '<th scope="col">' in figure
    # Nothing the Content-Security-Policy (style-src 'self') would block.
    assert "style=" not in page and "<style" not in page and "<script" not in page


def test_financing_is_summed_in_us_dollars_where_known_and_says_what_it_leaves_out(client, make):
    bank = make.make_organization(name="China Development Bank")
    other = make.make_organization(name="Exim Bank")
    make.make_financing(
        lender=bank,
        currency="USD",
        amount=Decimal("300"),
        amount_usd=Decimal("300"),
        usd_basis="stated",
        commitment_date="2020-05-01",
        instrument="commercial_loan",
    )
    make.make_financing(
        lender=bank,
        currency="CNY",
        amount=Decimal("700"),
        commitment_date="2020-06-01",
        instrument="commercial_loan",
    )
    make.make_financing(
        lender=other,
        currency="USD",
        amount=Decimal("100"),
        amount_usd=Decimal("100"),
        usd_basis="stated",
        pledge_date="2021-01-01",
        instrument="grant",
    )
    # Cancelled, a draft project's and a draft lender's: none counted.
    make.make_financing(
        lender=make.make_organization(name="Draft Lender", publication_status="draft"),
        currency="USD",
        amount=Decimal("7000"),
        amount_usd=Decimal("7000"),
        usd_basis="stated",
    )
    make.make_financing(
        lender=other,
        currency="USD",
        amount=Decimal("5000"),
        amount_usd=Decimal("5000"),
        usd_basis="stated",
        status="cancelled",
        commitment_date="2021-01-01",
    )
    make.make_financing(
        project=make.make_project(publication_status="draft"),
        lender=other,
        currency="USD",
        amount=Decimal("9000"),
        amount_usd=Decimal("9000"),
        usd_basis="stated",
    )
    page = text_of(client.get("/figures/"))
    by_year = chart(page, "financing-by-year")
    assert table_rows(by_year) == [
        ["2020", "300", "2", "1", "700 CNY; 300 USD"],
        ["2021", "100", "1", "0", "100 USD"],
    ]
    assert bar_widths(by_year) == [100, pytest.approx(33.33)]
    assert "1 of 3 commitments have no amount in US dollars" in by_year
    by_lender = table_rows(chart(page, "financing-by-lender"))
    assert [row[:2] for row in by_lender] == [
        ["China Development Bank", "300"],
        ["Exim Bank", "100"],
    ]
    by_instrument = table_rows(chart(page, "financing-by-instrument"))
    assert [row[:2] for row in by_instrument] == [["Commercial loan", "300"], ["Grant", "100"]]


def test_meetings_per_year_in_order_linking_to_the_list(client, make):
    make.make_meeting(date="2023-02-01")
    make.make_meeting(date="2021-02-01")
    make.make_meeting(date="2023-09-01")
    make.make_meeting(date="2022-09-01", publication_status="draft")
    figure = chart(text_of(client.get("/figures/")), "meetings-per-year")
    assert table_rows(figure) == [["2021", "1"], ["2023", "2"]]
    assert '<a href="/meetings/?year=2023">2023</a>' in figure


def test_urdu_bars_grow_from_the_right(client, make):
    make.make_project(status="operational")
    make.make_project(status="operational")
    make.make_project(status="planned")
    page = text_of(client.get("/ur/figures/"))
    figure = chart(page, "projects-by-status")
    bars = re.findall(r'<rect x="([\d.]+)%?" y="\d+" width="([\d.]+)%"', figure)
    assert ("50", "50") in bars and ("0", "100") in bars
    assert 'x="100%" y="16" dx="-8" text-anchor="end"' in figure
    assert 'x="0" y="16" text-anchor="start"' in chart(
        text_of(client.get("/figures/")), "projects-by-status"
    )


@pytest.mark.parametrize("language", ["", "/ur", "/zh-hans"])
def test_figures_page_answers_in_every_language(client, make, language):
    make.make_project()
    response = client.get(f"{language}/figures/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == (language.strip("/") or "en")


def test_the_home_page_draws_projects_by_status_and_links_to_the_figures(client, make):
    make.make_project(status="operational")
    page = text_of(client.get("/"))
    assert "projects-by-status-title" in chart(page, "projects-by-status")
    assert 'href="/figures/"' in page


def test_the_figures_page_is_in_the_sitemap(client):
    sitemap = text_of(client.get("/sitemap.xml"))
    assert "/figures/</loc>" in sitemap and "/ur/figures/</loc>" in sitemap


@pytest.mark.parametrize("rows", [3, 30])
def test_figures_page_runs_a_bounded_number_of_queries(client, make, rows, no_page_cache):
    for index in range(rows):
        make.make_financing(
            lender=make.make_organization(), commitment_date=f"{2000 + index}-01-01"
        )
        make.make_meeting(date=f"{2000 + index}-03-01")
    # Six grouped queries (two of projects, three of financing, one of meetings) and the
    # lenders' names, however many rows.
    assert queries_for(client, "/figures/") <= 8
