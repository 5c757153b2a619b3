import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.template.loader import render_to_string
from django.templatetags.static import static

from cpec_tracker.records.models import Citation, Source
from tests.pages import queries_for, text_of

pytestmark = pytest.mark.django_db

VOID_ELEMENTS = {"meta", "link", "br", "input", "img", "hr"}


class NestingChecker(HTMLParser):
    """Fails on an end tag that does not close the element opened last."""

    def __init__(self):
        super().__init__()
        self.open = []
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.problems.append((tag, list(self.open[-3:])))


def assert_well_nested(html):
    checker = NestingChecker()
    checker.feed(html)
    assert checker.problems == [] and checker.open == []


# Home


def test_home_page_draws_projects_by_status_as_svg_bars_with_a_table_linking_to_the_list(
    client, make
):
    make.make_project(status="operational")
    make.make_project(status="operational")
    make.make_project(status="under_construction")
    make.make_project(status="operational", publication_status="draft")
    text = text_of(client.get("/"))
    assert 'role="img" aria-labelledby="projects-by-status-title projects-by-status-desc"' in text
    assert (
        '<th scope="row"><a href="/projects/?status=operational">Operational</a></th>'
        "<td><bdi>2</bdi></td>" in text
    )
    assert (
        '<a href="/projects/?status=under_construction">Under construction</a></th>'
        "<td><bdi>1</bdi></td>" in text
    )
    widths = dict(
        re.findall(
            r'<tspan>([^<]+)</tspan> <tspan class="chart-value">\d+</tspan></text>\s*'
            r'<rect x="0" y="\d+" width="([\d.]+)%"',
            text,
        )
    )
    assert float(widths["Operational"]) == 2 * float(widths["Under construction"])
    assert "style=" not in text


def test_home_page_lists_latest_meetings_and_themes(client, seeded):
    text = text_of(client.get("/"))
    assert "5th meeting of the CPEC Joint Working Group" in text
    assert 'href="/themes/clean-energy/"' in text


# Sources


def test_source_page_highlights_each_public_quote_with_its_citation_id(client, seeded):
    response = client.get("/sources/dawn-2025-01-12-cpec-jwg-icc/")
    text = text_of(response)
    for citation in Citation.objects.all():
        assert f'id="quote-{citation.pk}"' in text
    assert_well_nested(text)


def test_source_page_gives_separate_quotes_of_one_sentence_separate_highlights(client, make):
    source = make.make_source(slug="overlap", text="Alpha beta gamma delta. Epsilon.")
    meeting = make.make_meeting(title="Cited meeting")
    sentence = make.make_citation(meeting, source=source, quote="Alpha beta gamma delta.")
    crossing = make.make_citation(meeting, source=source, quote="gamma delta. Epsilon")
    inside = make.make_citation(meeting, source=source, quote="beta")
    same = make.make_citation(meeting, source=source, quote="beta")
    text = text_of(client.get("/sources/overlap/"))
    # The sentence holds "beta" (twice cited: one quote, one highlight); the crossing quote is
    # cut at the sentence's end and goes on in a second mark.
    assert (
        f'<mark class="quote" id="quote-{sentence.pk}">Alpha '
        f'<mark class="quote" id="quote-{inside.pk}">'
        f'<span class="quote-anchor" id="quote-{same.pk}"></span>beta</mark>'
        + ref(2)
        + f' <mark class="quote" id="quote-{crossing.pk}">gamma delta.</mark>'
        + "</mark>"
        + ref(1)
        + '<mark class="quote quote-continued"> Epsilon</mark>'
        + ref(3)
        + "."
    ) in text
    assert text.count('<mark class="quote" id=') == 3
    assert_well_nested(text)


def ref(number):
    return (
        f'<a class="quote-ref" href="#supports-{number}" '
        f'aria-label="What quote {number} supports">[{number}]</a>'
    )


def test_source_page_escapes_text_and_quotes(client, make):
    source = make.make_source(slug="markup", text="Before <b>bold</b> & <script>x</script> after.")
    make.make_citation(make.make_meeting(), source=source, quote="<b>bold</b> &")
    text = text_of(client.get("/sources/markup/"))
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;</mark>" in text
    assert "<script>x" not in text
    assert_well_nested(text)


def test_source_page_links_each_quote_back_to_the_records_it_supports(client, make):
    source = make.make_source(slug="backlinks")
    meeting = make.make_meeting(slug="public-meeting", title="Public meeting")
    outcome = make.make_outcome(meeting=meeting, text="An outcome.")
    make.make_citation(outcome, source=source, fields=[])
    text = text_of(client.get("/sources/backlinks/"))
    assert 'href="#supports-1"' in text
    assert '<li id="supports-1">' in text
    assert '<a href="/meetings/public-meeting/">An outcome.</a>' in text


def test_source_page_names_each_supported_record_in_full(client, make):
    source = make.make_source(slug="long-label")
    text = (
        "Both sides agreed to accelerate the upgrade of the Main Line-1 railway between "
        "Karachi and Peshawar, with financing to be settled by the end of the year."
    )
    assert len(text) > 80
    make.make_citation(make.make_outcome(text=text), source=source, fields=["text"])
    page = text_of(client.get("/sources/long-label/"))
    assert f">{text}</a>" in page


def test_source_page_does_not_highlight_quotes_of_draft_records(client, make):
    source = make.make_source(slug="drafts")
    draft = make.make_meeting(title="Draft meeting", publication_status="draft")
    make.make_citation(draft, source=source)
    make.make_citation(make.make_outcome(meeting=draft), source=source)
    draft_official = make.make_official(publication_status="draft")
    make.make_citation(make.make_participation(official=draft_official), source=source)
    text = text_of(client.get("/sources/drafts/"))
    assert "<mark" not in text
    assert "Draft meeting" not in text
    assert "No record on this site cites this source yet." in text


def test_draft_source_page_is_404(client, make, page_cache_on_and_off):
    make.make_source(slug="hidden", publication_status="draft")
    assert client.get("/sources/hidden/").status_code == 404


def test_source_page_queries_do_not_grow_with_citations(client, make, no_page_cache):
    source = make.make_source(slug="busy")

    def add_citations(count):
        for _ in range(count):
            meeting = make.make_meeting()
            make.make_citation(meeting, source=source)
            make.make_citation(make.make_outcome(meeting=meeting), source=source)
            make.make_citation(make.make_participation(meeting=meeting), source=source)
            make.make_citation(make.make_key_figure(), source=source)

    add_citations(3)
    few = queries_for(client, "/sources/busy/")
    add_citations(27)
    assert queries_for(client, "/sources/busy/") == few


def test_source_list_shows_published_sources(client, make):
    make.make_source(title="Public report")
    make.make_source(title="Hidden report", publication_status="draft")
    text = text_of(client.get("/sources/"))
    assert "Public report" in text and "Hidden report" not in text


# Search


def test_search_groups_results_by_kind_and_highlights_matches(client, seeded):
    response = client.get("/search/?q=Khunjerab")
    text = text_of(response)
    assert response.status_code == 200
    assert "<h2" in text and "Projects" in text and "Sources" in text
    assert (
        '<a href="/projects/khunjerab-pass-year-round-operation/"><bdi><mark>Khunjerab</mark> '
        "Pass year-round operation</bdi></a>"
    ) in text
    assert text.index("Meetings") < text.index("Officials") < text.index("Projects")


def test_search_leaves_out_drafts(client, make):
    make.make_meeting(title="Gwadar draft", publication_status="draft")
    make.make_project(title="Gwadar port")
    text = text_of(client.get("/search/?q=gwadar"))
    assert "Gwadar draft" not in text
    assert "<mark>Gwadar</mark> port" in text


@pytest.mark.parametrize("query", ["x" * 10_000, "nul%00byte", "%00", "<script>", "   "])
def test_search_answers_any_query_without_error(client, seeded, query):
    response = client.get(f"/search/?q={query}")
    assert response.status_code == 200
    assert "<script>" not in text_of(response).split("</header>")[1]


def test_search_queries_are_bounded(client, seeded, django_assert_max_num_queries, no_page_cache):
    # Per kind: on SQLite, whether the words match many rows (which decides how the page of
    # results is read, see cpec_tracker.records.fulltext), then the page of results.
    with django_assert_max_num_queries(8):
        client.get("/search/?q=meeting")


# Organizations and themes


def test_organization_page_lists_its_meetings_officials_and_projects(client, seeded):
    text = text_of(client.get("/organizations/jwg-icc/"))
    assert "5th meeting of the CPEC Joint Working Group" in text
    assert 'href="/meetings/?series=jwg-icc"' in text
    text = text_of(client.get("/organizations/pakistan-ministry-of-foreign-affairs/"))
    assert 'href="/officials/amna-baloch/"><bdi>Amna Baloch</bdi></a>' in text


def test_theme_page_lists_its_meetings_and_projects(client, seeded):
    text = text_of(client.get("/themes/clean-energy/"))
    assert "5th meeting of the CPEC Joint Working Group" in text
    assert "China-Pakistan Economic Corridor (CPEC) 2.0" in text


# Feeds, sitemap, robots, favicon


def atom_entries(response):
    root = ElementTree.fromstring(response.content)
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    return [
        entry.find("atom:title", namespace).text for entry in root.findall("atom:entry", namespace)
    ]


def test_meetings_feed_lists_published_meetings(client, make):
    make.make_meeting(title="Public meeting")
    make.make_meeting(title="Draft meeting", publication_status="draft")
    response = client.get("/feeds/meetings.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = atom_entries(response)
    assert any(title.startswith("Public meeting") for title in titles)
    assert not any("Draft meeting" in title for title in titles)


def test_updates_feed_lists_published_records_of_every_kind(client, make):
    make.make_meeting(title="Public meeting")
    make.make_official(name="Public Official")
    make.make_project(title="Public project")
    make.make_project(title="Draft project", publication_status="draft")
    titles = atom_entries(client.get("/feeds/updates.atom"))
    assert "Official: Public Official" in titles
    assert "Project: Public project" in titles
    assert not any("Draft" in title for title in titles)


def test_sitemap_lists_published_records_only(client, seeded, make):
    make.make_meeting(slug="draft-meeting", publication_status="draft")
    text = text_of(client.get("/sitemap.xml"))
    assert "<loc>http://testserver/meetings/jwg-icc-5th-meeting/</loc>" in text
    assert "<loc>http://testserver/sources/dawn-2025-01-12-cpec-jwg-icc/</loc>" in text
    assert "<loc>http://testserver/projects/</loc>" in text
    assert "draft-meeting" not in text


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in text_of(response)
    assert "Disallow: /admin/" in text_of(response)


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    # The icon's hashed name, from the manifest `collectstatic` wrote.
    assert response["Location"] == static("cpec_tracker/favicon.svg")
    assert client.get(response["Location"]).status_code == 200


# Every page


PAGES = [
    "/",
    "/meetings/",
    "/meetings/jwg-icc-5th-meeting/",
    "/officials/",
    "/officials/amna-baloch/",
    "/projects/",
    "/projects/chashma-nuclear-power-plant-unit-5/",
    "/map/",
    "/sources/",
    "/sources/dawn-2025-01-12-cpec-jwg-icc/",
    "/organizations/jwg-icc/",
    "/themes/clean-energy/",
    "/search/?q=CPEC",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_title_description_canonical_open_graph_and_landmarks(client, seeded, url):
    response = client.get(url)
    assert response.status_code == 200
    text = text_of(response)
    path = url.split("?")[0]
    assert re.search(r"<title>[^<]+</title>", text)
    assert re.search(r'<meta name="description" content="[^"]+">', text)
    assert f'<link rel="canonical" href="http://testserver{path}">' in text
    for prop in ("og:title", "og:description", "og:type", "og:url", "og:site_name"):
        assert f'<meta property="{prop}" content="' in text
    assert '<a class="skip-link" href="#main">' in text
    assert '<main id="main"' in text and "<nav" in text and "<footer" in text
    assert "style=" not in text and "<script>" not in text and " onclick" not in text
    assert_well_nested(text)


def test_unknown_address_gets_the_custom_404_page(client, make, page_cache_on_and_off):
    make.make_meeting()  # a data version, so the page cache is in play
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert static("cpec_tracker/site.css") in text_of(response)


def test_500_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")
    assert "Something went wrong" in html


def test_source_page_queries_for_the_seed_are_bounded(
    client, seeded, django_assert_max_num_queries, no_page_cache
):
    # The source, its citations, then one query per kind of record they support (12 kinds).
    assert Source.objects.count() == 1
    with django_assert_max_num_queries(14):
        client.get("/sources/dawn-2025-01-12-cpec-jwg-icc/")


ODD_VALUES = ["abc", "-1", "0", "1e5", "99999999999999999999", "%00", "x" * 300, "2025.5"]


@pytest.mark.parametrize(
    "path, filterset_path",
    [
        ("/meetings/", "meetings.filters.MeetingFilterSet"),
        ("/officials/", "meetings.filters.OfficialFilterSet"),
        ("/projects/", "projects.filters.ProjectFilterSet"),
        ("/sources/", "cpec_tracker.records.filters.SourceFilterSet"),
    ],
)
def test_no_value_of_any_filter_makes_a_list_fail(
    client, db, path, filterset_path, page_cache_on_and_off
):
    from django.utils.module_loading import import_string

    names = [*import_string(filterset_path).base_filters, "page"]
    for name in names:
        for value in ODD_VALUES:
            response = client.get(f"{path}?{name}={value}")
            assert response.status_code in (200, 400, 404), (name, value, response.status_code)
            if response.status_code == 400:
                assert f"<code>{name}</code>" in text_of(response)


def test_organization_and_theme_pages_queries_do_not_grow_with_rows(client, make, no_page_cache):
    organization = make.make_organization(slug="busy-organization")
    theme = make.make_theme(slug="busy-theme")

    def add_rows(count):
        for _ in range(count):
            meeting = make.make_meeting(body=organization)
            meeting.themes.add(theme)
            project = make.make_project()
            project.themes.add(theme)
            make.make_project_role(project, organization=organization)
            make.make_appointment(organization=organization)
            make.make_organization(parent=organization)
            make.make_citation(organization)
            make.make_citation(theme)

    add_rows(3)
    few = [queries_for(client, f"/{kind}/busy-{name}/") for kind, name in PAGES_OF_VOCABULARY]
    add_rows(27)
    many = [queries_for(client, f"/{kind}/busy-{name}/") for kind, name in PAGES_OF_VOCABULARY]
    assert few == many


PAGES_OF_VOCABULARY = [("organizations", "organization"), ("themes", "theme")]


def test_draft_organization_and_theme_pages_are_404(client, make, page_cache_on_and_off):
    make.make_organization(slug="hidden", publication_status="draft")
    make.make_theme(slug="hidden", publication_status="draft")
    assert client.get("/organizations/hidden/").status_code == 404
    assert client.get("/themes/hidden/").status_code == 404


def test_home_page_queries_do_not_grow_with_rows(client, make, no_page_cache):
    def add_rows(count):
        for _ in range(count):
            make.make_meeting()
            make.make_project(status="operational")
            make.make_theme()

    add_rows(3)
    few = queries_for(client, "/")
    add_rows(27)
    assert queries_for(client, "/") == few


def test_search_and_source_list_queries_do_not_grow_with_rows(client, make, no_page_cache):
    def add_rows(count):
        for _ in range(count):
            make.make_meeting(title="Corridor meeting")
            make.make_official(name="Corridor official")
            make.make_project(title="Corridor project")
            make.make_source(title="Corridor report")

    add_rows(3)
    few = [queries_for(client, url) for url in ("/search/?q=corridor", "/sources/")]
    add_rows(27)
    many = [queries_for(client, url) for url in ("/search/?q=corridor", "/sources/")]
    assert few == many
