"""API v1: /api/v1/meetings/ and /api/v1/officials/."""

import datetime

import pytest

from tests.api.helpers import get_csv, get_json, queries_for, slugs

pytestmark = pytest.mark.django_db


def test_meeting_list_shows_published_meetings_with_api_and_page_urls(client, seeded, make):
    make.make_meeting(slug="secret-talks", publication_status="draft")
    data = get_json(client, "/api/v1/meetings/")
    assert data["count"] == 4
    assert "secret-talks" not in slugs(data)
    first = data["results"][0]
    assert first["slug"] == "jwg-icc-5th-meeting"
    assert first["url"] == "http://testserver/api/v1/meetings/jwg-icc-5th-meeting/"
    assert first["html_url"] == "http://testserver/meetings/jwg-icc-5th-meeting/"
    assert first["series"]["slug"] == "jwg-icc"
    assert first["date_display"] == "January 2025"


def test_meeting_detail_embeds_participants_outcomes_themes_and_citations(client, seeded):
    data = get_json(client, "/api/v1/meetings/jwg-icc-5th-meeting/")
    assert [
        (p["official"]["slug"], p["role"], p["title_at_meeting"]) for p in data["participants"]
    ] == [
        ("amna-baloch", "co_chair", "Foreign Secretary"),
        ("sun-weidong", "co_chair", "Vice Foreign Minister"),
    ]
    assert data["participants"][0]["citations"][0]["quote"].startswith("The meeting was co-chaired")
    assert [outcome["order"] for outcome in data["outcomes"]][:3] == [1, 2, 3]
    assert len(data["themes"]) == 15
    assert {name for citation in data["citations"] for name in citation["fields"]} >= {
        "date",
        "summary",
    }
    citation = data["citations"][0]
    assert citation["source"] == "dawn-2025-01-12-cpec-jwg-icc"
    assert citation["html_url"].startswith(
        "http://testserver/sources/dawn-2025-01-12-cpec-jwg-icc/"
    )


def test_meeting_detail_lists_the_published_projects_discussed(client, make):
    meeting = make.make_meeting()
    shown = make.make_project(slug="shown-project")
    hidden = make.make_project(slug="hidden-project", publication_status="draft")
    shown.meetings.add(meeting)
    hidden.meetings.add(meeting)
    data = get_json(client, f"/api/v1/meetings/{meeting.slug}/")
    assert [project["slug"] for project in data["projects"]] == ["shown-project"]


def test_draft_meeting_detail_is_a_json_404(client, make, page_cache_on_and_off):
    meeting = make.make_meeting(publication_status="draft")
    data = get_json(client, f"/api/v1/meetings/{meeting.slug}/", status=404)
    assert data["detail"]


def test_meeting_detail_hides_draft_officials_themes_series_and_sources(client, make):
    series = make.make_organization(publication_status="draft")
    meeting = make.make_meeting(body=series, sequence_number=1)
    make.make_participation(meeting, make.make_official(name="Published Person"))
    make.make_participation(
        meeting, make.make_official(name="Draft Person", publication_status="draft")
    )
    make.make_participation(meeting, name="the Foreign Office spokesperson")
    meeting.themes.add(
        make.make_theme(slug="public-theme"), make.make_theme(publication_status="draft")
    )
    make.make_outcome(meeting, stated_by=make.make_official(publication_status="draft"))
    make.make_citation(meeting, source=make.make_source(publication_status="draft"))
    make.make_citation(meeting, fields=["title"])

    data = get_json(client, f"/api/v1/meetings/{meeting.slug}/")
    assert [p["name"] for p in data["participants"]] == [
        "Published Person",
        "the Foreign Office spokesperson",
    ]
    assert data["participants"][1]["official"] is None
    assert [theme["slug"] for theme in data["themes"]] == ["public-theme"]
    assert data["series"] is None
    assert data["outcomes"][0]["stated_by"] is None
    assert [citation["fields"] for citation in data["citations"]] == [["title"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2024", ["jwg-icc-4th-meeting"]),
        ("series=jwg-icc", ["jwg-icc-5th-meeting", "jwg-icc-4th-meeting"]),
        ("country=PK", ["jwg-icc-4th-meeting"]),
        ("official=ma-zhaoxu", ["amna-baloch-meets-ma-zhaoxu-2025-01"]),
        ("theme=clean-energy", ["jwg-icc-5th-meeting"]),
        ("kind=ceremony", ["chinese-new-year-2025-ceremony"]),
        ("status=held&kind=bilateral_meeting", ["amna-baloch-meets-ma-zhaoxu-2025-01"]),
        ("status=cancelled", []),
        ("q=fourth+JWG", []),
        ("q=Beijing", ["jwg-icc-5th-meeting"]),
    ],
)
def test_meeting_filters_select_matching_meetings(client, seeded, query, expected):
    assert slugs(get_json(client, f"/api/v1/meetings/?{query}")) == expected


def test_meeting_ordering_by_date_then_title(client, seeded):
    data = get_json(client, "/api/v1/meetings/?ordering=date,-title")
    assert slugs(data) == [
        "jwg-icc-4th-meeting",
        "amna-baloch-meets-ma-zhaoxu-2025-01",  # "Foreign Secretary …"
        "chinese-new-year-2025-ceremony",  # "Chinese New Year …"
        "jwg-icc-5th-meeting",  # "5th meeting …"
    ]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("status=", "status"),
        ("status=adjourned", "status"),
        ("year=1066", "year"),
        ("year=2025.5", "year"),
        ("year=nineteen", "year"),
        ("country=XX", "country"),
        ("ordering=sideways", "ordering"),
        ("ordering=", "ordering"),
        ("ordering=,,", "ordering"),
        ("ordering=date,", "ordering"),
        ("series=not%20a%20slug", "series"),
    ],
)
def test_invalid_meeting_filter_is_a_400_naming_the_parameter(
    client, seeded, query, parameter, page_cache_on_and_off
):
    data = get_json(client, f"/api/v1/meetings/?{query}", status=400)
    assert list(data["errors"]) == [parameter]
    assert parameter in data["detail"]


def test_filter_by_unknown_or_draft_official_is_a_404_naming_it(
    client, seeded, make, page_cache_on_and_off
):
    draft = make.make_official(publication_status="draft")
    for slug in ["nobody-at-all", draft.slug]:
        data = get_json(client, f"/api/v1/meetings/?official={slug}", status=404)
        assert list(data["errors"]) == ["official"]


def test_meeting_csv_has_every_matching_row_not_one_page(client, make):
    for number in range(3):
        make.make_meeting(slug=f"held-{number}", title=f"Talks № {number} in Ürümqi")
    make.make_meeting(slug="called-off", status="cancelled")
    rows, response = get_csv(client, "/api/v1/meetings/?format=csv&status=held&page_size=1")
    assert [row["slug"] for row in rows] == ["held-0", "held-1", "held-2"]
    assert rows[0]["title"] == "Talks № 0 in Ürümqi"
    assert rows[0]["url"] == "http://testserver/api/v1/meetings/held-0/"
    assert 'filename="meetings.csv"' in response["Content-Disposition"]


def test_meeting_csv_shows_related_records_by_slug(client, seeded):
    rows, _ = get_csv(client, "/api/v1/meetings/?format=csv&series=jwg-icc")
    assert rows[1]["series"] == "jwg-icc"
    assert rows[0]["themes"].split("; ")[:2] == ["green-corridor", "growth-corridor"]


def test_meeting_csv_with_a_bad_filter_is_a_json_400(client, seeded, page_cache_on_and_off):
    data = get_json(client, "/api/v1/meetings/?format=csv&kind=party", status=400)
    assert list(data["errors"]) == ["kind"]


def add_meetings_with_people(make, count):
    theme = make.make_theme()
    for number in range(count):
        meeting = make.make_meeting(
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number)
        )
        meeting.themes.add(theme)
        make.make_participation(meeting)
        make.make_outcome(meeting)
        make.make_citation(meeting)
    return meeting


@pytest.mark.parametrize(
    "url",
    # The lists' own queries; what their facets cost is bounded in test_api_facets.py.
    [
        "/api/v1/meetings/?facets=false",
        "/api/v1/meetings/?format=csv",
        "/api/v1/meetings/?official={official}&facets=false",
    ],
)
def test_meeting_list_queries_do_not_grow_with_rows(client, make, url, no_page_cache):
    counts = []
    for count in (3, 30):
        meeting = add_meetings_with_people(make, count)
        official = meeting.participations.first().official.slug
        counts.append(queries_for(client, url.format(official=official)))
    assert counts[0] == counts[1] <= 5


def test_meeting_detail_queries_do_not_grow_with_related_rows(client, make, no_page_cache):
    counts = []
    for count in (3, 30):
        meeting = make.make_meeting()
        source = make.make_source()
        for _ in range(count):
            participation = make.make_participation(meeting)
            make.make_citation(participation, source=source)
            make.make_citation(make.make_outcome(meeting), source=source)
            make.make_citation(meeting, source=source)
            meeting.themes.add(make.make_theme())
            make.make_project().meetings.add(meeting)
        counts.append(queries_for(client, f"/api/v1/meetings/{meeting.slug}/"))
    assert counts[0] == counts[1] <= 10


def test_official_list_and_detail_with_offices_and_meetings(client, seeded):
    data = get_json(client, "/api/v1/officials/")
    assert data["count"] == 5
    assert data["results"][0]["html_url"] == "http://testserver/officials/amna-baloch/"
    official = get_json(client, "/api/v1/officials/amna-baloch/")
    assert official["appointments"][0]["title"] == "Foreign Secretary"
    assert [m["meeting"]["slug"] for m in official["meetings"]] == [
        "jwg-icc-5th-meeting",
        "amna-baloch-meets-ma-zhaoxu-2025-01",
    ]
    assert official["meetings"][0]["role"] == "co_chair"


def test_official_detail_hides_draft_meetings_and_organizations(client, make):
    official = make.make_official()
    make.make_appointment(official, organization=make.make_organization(publication_status="draft"))
    make.make_participation(make.make_meeting(publication_status="draft"), official)
    make.make_participation(make.make_meeting(slug="public-meeting"), official)
    data = get_json(client, f"/api/v1/officials/{official.slug}/")
    assert data["appointments"][0]["organization"] is None
    assert [m["meeting"]["slug"] for m in data["meetings"]] == ["public-meeting"]


def test_official_filters(client, make, page_cache_on_and_off):
    ministry = make.make_organization(slug="ministry")
    current = make.make_official(slug="in-office", country="CN")
    make.make_appointment(current, organization=ministry, start=datetime.date(2020, 1, 1))
    former = make.make_official(slug="retired", country="PK")
    make.make_appointment(former, start=datetime.date(2010, 1, 1), end=datetime.date(2012, 1, 1))
    make.make_official(slug="draft-person", publication_status="draft")
    assert slugs(get_json(client, "/api/v1/officials/?current=true")) == ["in-office"]
    assert slugs(get_json(client, "/api/v1/officials/?current=false")) == ["retired"]
    assert slugs(get_json(client, "/api/v1/officials/?organization=ministry")) == ["in-office"]
    assert slugs(get_json(client, "/api/v1/officials/?country=PK")) == ["retired"]
    assert slugs(get_json(client, "/api/v1/officials/?q=retir")) == ["retired"]
    assert slugs(get_json(client, "/api/v1/officials/?ordering=-name")) == ["retired", "in-office"]
    data = get_json(client, "/api/v1/officials/?current=maybe", status=400)
    assert data["errors"] == {"current": ["Give true or false, or leave the parameter out."]}


def test_official_queries_do_not_grow_with_rows(client, make, no_page_cache):
    list_counts, detail_counts = [], []
    for count in (3, 30):
        official = make.make_official()
        for _ in range(count):
            make.make_official()
            appointment = make.make_appointment(official, organization=make.make_organization())
            make.make_citation(appointment)
            make.make_participation(make.make_meeting(), official)
            make.make_citation(official)
        list_counts.append(queries_for(client, "/api/v1/officials/?format=csv"))
        detail_counts.append(queries_for(client, f"/api/v1/officials/{official.slug}/"))
    assert list_counts[0] == list_counts[1] <= 3
    assert detail_counts[0] == detail_counts[1] <= 8
