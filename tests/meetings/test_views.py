import datetime
import json
import re

import pytest

from tests.pages import queries_for, text_of

pytestmark = pytest.mark.django_db


# The meetings list


def test_meeting_list_shows_published_meetings_only(client, make):
    make.make_meeting(title="Public session")
    make.make_meeting(title="Secret draft session", publication_status="draft")
    text = text_of(client.get("/meetings/"))
    assert "Public session" in text
    assert "Secret draft session" not in text


def test_meeting_list_filters_by_year_series_official_theme_and_kind(client, make):
    series = make.make_organization(slug="jwg-icc", short_name="JWG-ICC", kind="working_group")
    official = make.make_official(slug="amna-baloch", name="Amna Baloch")
    theme = make.make_theme(slug="clean-energy", name="Clean energy")
    match = make.make_meeting(title="The match", body=series, sequence_number=5, kind="ceremony")
    match.themes.add(theme)
    make.make_participation(meeting=match, official=official)
    make.make_meeting(title="Wrong year", date=datetime.date(2024, 1, 21))
    make.make_meeting(title="Other kind", kind="call")
    query = "year=2025&series=jwg-icc&official=amna-baloch&theme=clean-energy&kind=ceremony"
    response = client.get(f"/meetings/?{query}")
    text = text_of(response)
    assert response.status_code == 200
    assert "The match" in text
    assert "Wrong year" not in text and "Other kind" not in text
    assert "1 meeting<" in text


def test_meeting_list_filters_by_country(client, make):
    make.make_meeting(title="In Beijing", country="CN")
    make.make_meeting(title="In Islamabad", country="PK")
    text = text_of(client.get("/meetings/?country=CN"))
    assert "In Beijing" in text and "In Islamabad" not in text


def test_meeting_list_sorts_by_date_either_way(client, make):
    make.make_meeting(title="Older meeting", date=datetime.date(2024, 1, 21))
    make.make_meeting(title="Newer meeting", date=datetime.date(2025, 1, 10))
    newest_first = text_of(client.get("/meetings/?ordering=-date"))
    oldest_first = text_of(client.get("/meetings/?ordering=date"))
    assert newest_first.index("Newer meeting") < newest_first.index("Older meeting")
    assert oldest_first.index("Older meeting") < oldest_first.index("Newer meeting")


def test_meeting_list_shows_each_active_filter_with_a_link_that_removes_it(client, make):
    make.make_organization(slug="jwg-icc", name="Joint Working Group")
    text = text_of(client.get("/meetings/?year=2025&series=jwg-icc&page=1"))
    assert "Year: 2025" in text
    assert "Series: Joint Working Group" in text
    assert 'href="/meetings/?series=jwg-icc"' in text  # removes the year (and the page)
    assert 'href="/meetings/?year=2025"' in text  # removes the series


def test_meeting_list_with_no_match_says_so_and_offers_the_whole_list(client, make):
    make.make_meeting(date=datetime.date(2025, 1, 10))
    text = text_of(client.get("/meetings/?year=1999"))
    assert "No meetings match these filters" in text
    assert "see all meetings" in text


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("year=abc", "year"),
        ("series=no-such-series", "series"),
        ("official=nobody", "official"),
        ("kind=picnic", "kind"),
        ("ordering=-nonsense", "ordering"),
        ("country=XX", "country"),
        ("q=" + "x" * 10_000, "q"),
        ("q=nul%00byte", "q"),
    ],
)
def test_meeting_list_answers_400_naming_a_bad_filter(
    client, make, query, parameter, page_cache_on_and_off
):
    make.make_meeting(title="Some meeting")
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 400
    text = text_of(response)
    assert f"<code>{parameter}</code>" in text
    assert 'role="alert"' in text
    assert "Some meeting" not in text


def test_meeting_list_filter_on_a_draft_series_is_refused(client, make, page_cache_on_and_off):
    make.make_organization(slug="draft-series", publication_status="draft")
    assert client.get("/meetings/?series=draft-series").status_code == 400


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1"])
def test_meeting_list_page_that_does_not_exist_is_the_404_page(
    client, make, page, page_cache_on_and_off
):
    make.make_meeting()
    response = client.get(f"/meetings/?page={page}")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_meeting_list_paginates_by_25(client, make):
    for number in range(26):
        make.make_meeting(title=f"Meeting number {number:02d}")
    first = text_of(client.get("/meetings/?ordering=title"))
    second = text_of(client.get("/meetings/?ordering=title&page=2"))
    assert "Meeting number 24" in first and "Meeting number 25" not in first
    assert "Meeting number 25" in second
    assert 'href="?ordering=title&amp;page=2"' in first


def test_meeting_list_queries_do_not_grow_with_rows(
    client, make, django_assert_max_num_queries, no_page_cache
):
    series = make.make_organization(slug="jwg-icc")

    def add_meetings(count):
        for _ in range(count):
            make.make_meeting(body=series)

    add_meetings(3)
    few = queries_for(client, "/meetings/?series=jwg-icc")
    add_meetings(27)
    many = queries_for(client, "/meetings/?series=jwg-icc")
    assert few == many
    # The series, the count, the page of meetings, the themes named among the choices, and
    # one grouped count for each filter's choices (year, country, theme, kind, status).
    with django_assert_max_num_queries(9):
        client.get("/meetings/?series=jwg-icc")


# A meeting's page


@pytest.fixture
def meeting_with_everything(make):
    series = make.make_organization(slug="jwg-icc", name="Joint Working Group", kind="committee")
    make.make_meeting(slug="jwg-4", title="Fourth session", body=series, sequence_number=4)
    make.make_meeting(slug="jwg-6", title="Sixth session", body=series, sequence_number=6)
    make.make_meeting(
        slug="jwg-7",
        title="Seventh draft",
        body=series,
        sequence_number=7,
        publication_status="draft",
    )
    meeting = make.make_meeting(
        slug="jwg-5",
        title="Fifth session",
        body=series,
        sequence_number=5,
        date=datetime.date(2025, 1, 1),
        date_precision="month",
        city="Beijing",
        country="CN",
        summary="They met & agreed <things>.",
    )
    official = make.make_official(slug="amna-baloch", name="Amna Baloch")
    make.make_participation(
        meeting=meeting, official=official, role="co_chair", title_at_meeting="Foreign Secretary"
    )
    hidden = make.make_official(name="Draft Person", publication_status="draft")
    make.make_participation(meeting=meeting, official=hidden, order=5)
    make.make_participation(meeting=meeting, name="the Foreign Office spokesperson", order=6)
    make.make_outcome(meeting=meeting, order=2, text="Second point agreed.")
    make.make_outcome(meeting=meeting, order=1, text="First point agreed.", stated_by=official)
    make.make_project(title="Public project").meetings.add(meeting)
    make.make_project(title="Draft project", publication_status="draft").meetings.add(meeting)
    meeting.themes.add(make.make_theme(name="Clean energy"))
    meeting.themes.add(make.make_theme(name="Draft theme", publication_status="draft"))
    make.make_citation(meeting, fields=["date"])
    return meeting


def test_meeting_page_shows_date_at_its_precision_place_and_series(client, meeting_with_everything):
    text = text_of(client.get("/meetings/jwg-5/"))
    assert "January 2025" in text
    assert "1 January 2025" not in text
    assert "Beijing, China" in text
    assert "Joint Working Group</bdi></a>, meeting no. 5" in text


def test_meeting_page_links_previous_and_next_published_meeting_of_the_series(
    client, meeting_with_everything
):
    text = text_of(client.get("/meetings/jwg-5/"))
    assert 'rel="prev" href="/meetings/jwg-4/"' in text
    assert 'rel="next" href="/meetings/jwg-6/"' in text
    assert "Seventh draft" not in text


def test_meeting_page_lists_participants_with_role_and_title_then(client, meeting_with_everything):
    text = text_of(client.get("/meetings/jwg-5/"))
    assert '<a href="/officials/amna-baloch/"><bdi>Amna Baloch</bdi></a>, Foreign Secretary' in text
    assert "Co-chair</span>" in text
    assert "the Foreign Office spokesperson" in text
    assert "Draft Person" not in text


def test_meeting_page_lists_outcomes_in_order_and_escapes_text(client, meeting_with_everything):
    text = text_of(client.get("/meetings/jwg-5/"))
    assert text.index("First point agreed.") < text.index("Second point agreed.")
    assert "They met &amp; agreed &lt;things&gt;." in text
    assert 'stated by <a href="/officials/amna-baloch/">' in text


def test_meeting_page_shows_published_projects_and_themes_only(client, meeting_with_everything):
    text = text_of(client.get("/meetings/jwg-5/"))
    assert "Public project" in text and "Clean energy" in text
    assert "Draft project" not in text and "Draft theme" not in text


def test_meeting_page_numbers_citations_as_footnotes_linking_to_the_quote(
    client, meeting_with_everything
):
    citation = meeting_with_everything.citations.get()
    text = text_of(client.get("/meetings/jwg-5/"))
    assert '<a href="#note-1" aria-label="Source 1">[1]</a>' in text
    assert 'id="note-1"' in text
    assert f'href="/sources/{citation.source.slug}/#quote-{citation.pk}"' in text


def test_meeting_page_hides_citations_from_a_draft_source(client, make):
    meeting = make.make_meeting(slug="cited")
    make.make_citation(meeting, source=make.make_source(publication_status="draft"))
    text = text_of(client.get("/meetings/cited/"))
    assert "#quote-" not in text
    assert "note-1" not in text


def test_meeting_page_carries_event_json_ld(client, meeting_with_everything):
    text = text_of(client.get("/meetings/jwg-5/"))
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Event"
    assert data["name"] == "Fifth session"
    assert data["startDate"] == "2025-01"
    assert data["location"]["address"]["addressCountry"] == "CN"
    assert {"@type": "Person", "name": "Amna Baloch"}.items() <= data["attendee"][0].items()
    assert "<things>" not in block.group(1)  # escaped so it cannot end the script element


def test_meeting_page_has_title_description_canonical_and_open_graph(
    client, meeting_with_everything
):
    text = text_of(client.get("/meetings/jwg-5/"))
    assert "<title>\u2068Fifth session\u2069 — CPEC Tracker</title>" in text
    assert '<meta name="description" content="They met &amp; agreed &lt;things&gt;.">' in text
    assert '<link rel="canonical" href="http://testserver/meetings/jwg-5/">' in text
    assert '<meta property="og:title" content="Fifth session">' in text
    assert '<meta property="og:url" content="http://testserver/meetings/jwg-5/">' in text


def test_draft_meeting_page_is_404(client, make, page_cache_on_and_off):
    make.make_meeting(slug="secret", publication_status="draft")
    assert client.get("/meetings/secret/").status_code == 404


def test_meeting_page_queries_do_not_grow_with_rows(
    client, make, django_assert_max_num_queries, no_page_cache
):
    meeting = make.make_meeting(slug="busy")

    def add_rows(count):
        for _ in range(count):
            official = make.make_official()
            participation = make.make_participation(meeting=meeting, official=official)
            make.make_citation(participation)
            make.make_citation(make.make_outcome(meeting=meeting))
            make.make_project().meetings.add(meeting)
            meeting.themes.add(make.make_theme())
            make.make_citation(meeting)

    add_rows(3)
    few = queries_for(client, "/meetings/busy/")
    add_rows(27)
    many = queries_for(client, "/meetings/busy/")
    assert few == many
    with django_assert_max_num_queries(12):
        client.get("/meetings/busy/")


# Calendars


def test_meetings_calendar_lists_published_meetings_as_all_day_events(client, make):
    make.make_meeting(
        slug="day-meeting", title="A day, with; commas", date=datetime.date(2024, 1, 21)
    )
    make.make_meeting(slug="month-meeting", date=datetime.date(2025, 1, 1), date_precision="month")
    make.make_meeting(slug="draft-meeting", publication_status="draft")
    response = client.get("/meetings.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = text_of(response)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20240121\r\nDTEND;VALUE=DATE:20240122" in text
    assert "DTSTART;VALUE=DATE:20250101\r\nDTEND;VALUE=DATE:20250201" in text
    assert "SUMMARY:A day\\, with\\; commas" in text
    assert "draft-meeting" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_one_meeting_calendar_has_one_event_and_drafts_are_404(client, make, page_cache_on_and_off):
    make.make_meeting(slug="one")
    make.make_meeting(slug="two")
    make.make_meeting(slug="hidden", publication_status="draft")
    text = text_of(client.get("/meetings/one.ics"))
    assert text.count("BEGIN:VEVENT") == 1
    assert "UID:meeting-one@" in text
    assert client.get("/meetings/hidden.ics").status_code == 404


# Officials


def test_official_list_filters_by_country_organization_and_current_office(client, make):
    ministry = make.make_organization(slug="foreign-office")
    current = make.make_official(name="Current Pakistani", country="PK")
    make.make_appointment(current, organization=ministry)
    former = make.make_official(name="Former Pakistani", country="PK")
    make.make_appointment(former, start=datetime.date(2000, 1, 1), end=datetime.date(2001, 1, 1))
    make.make_official(name="Chinese Official", country="CN")
    make.make_official(name="Draft Official", publication_status="draft", country="PK")

    text = text_of(client.get("/officials/?country=PK"))
    assert "Current Pakistani" in text and "Former Pakistani" in text
    assert "Chinese Official" not in text and "Draft Official" not in text
    text = text_of(client.get("/officials/?organization=foreign-office"))
    assert "Current Pakistani" in text and "Former Pakistani" not in text
    text = text_of(client.get("/officials/?current=true&country=PK"))
    assert "Current Pakistani" in text and "Former Pakistani" not in text
    assert "Holds an office today: yes" in text


def test_official_list_answers_400_for_an_unknown_organization(client, db, page_cache_on_and_off):
    response = client.get("/officials/?organization=nowhere")
    assert response.status_code == 400
    assert "<code>organization</code>" in text_of(response)


def test_official_list_queries_do_not_grow_with_rows(client, make, no_page_cache):
    def add_officials(count):
        for _ in range(count):
            make.make_appointment(organization=make.make_organization())

    add_officials(3)
    few = queries_for(client, "/officials/")
    add_officials(27)
    assert queries_for(client, "/officials/") == few


def test_official_page_lists_offices_current_first_and_meetings_newest_first(client, make):
    official = make.make_official(slug="amna-baloch", name="Amna Baloch")
    make.make_appointment(
        official,
        title="Ambassador to Italy",
        start=datetime.date(2018, 1, 1),
        start_precision="year",
        end=datetime.date(2021, 5, 1),
        end_precision="month",
    )
    secretary = make.make_appointment(
        official, title="Foreign Secretary", start=datetime.date(2024, 10, 1)
    )
    # Held with no end date: as of the latest source that says so, not "current" for ever.
    make.make_citation(secretary, source=make.make_source(published_on=datetime.date(2025, 1, 12)))
    old = make.make_meeting(title="Old meeting", date=datetime.date(2024, 1, 21))
    new = make.make_meeting(title="New meeting", date=datetime.date(2025, 1, 10))
    hidden = make.make_meeting(title="Draft meeting", publication_status="draft")
    for meeting in (old, new, hidden):
        make.make_participation(meeting=meeting, official=official, title_at_meeting="FS")
    text = text_of(client.get("/officials/amna-baloch/"))
    assert text.index("Foreign Secretary") < text.index("Ambassador to Italy")
    assert "<strong>held as of 12 January 2025</strong> · since 1 October 2024" in text
    assert "<strong>current</strong>" not in text
    assert "2018 – May 2021" in text
    assert text.index("New meeting") < text.index("Old meeting")
    assert "Draft meeting" not in text


def test_official_page_carries_person_json_ld(client, make):
    official = make.make_official(slug="sun-weidong", name="Sun Weidong", country="CN")
    make.make_appointment(official, title="Vice Foreign Minister")
    text = text_of(client.get("/officials/sun-weidong/"))
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1)
    )
    assert data["@type"] == "Person"
    assert data["name"] == "Sun Weidong"
    assert data["jobTitle"] == ["Vice Foreign Minister"]
    assert data["nationality"]["name"] == "China"


def test_draft_official_page_is_404(client, make, page_cache_on_and_off):
    make.make_official(slug="hidden", publication_status="draft")
    assert client.get("/officials/hidden/").status_code == 404


def test_official_page_queries_do_not_grow_with_rows(client, make, no_page_cache):
    official = make.make_official(slug="busy")

    def add_rows(count):
        for _ in range(count):
            make.make_citation(
                make.make_appointment(official, organization=make.make_organization())
            )
            make.make_participation(official=official)
            make.make_citation(official)

    add_rows(3)
    few = queries_for(client, "/officials/busy/")
    add_rows(27)
    assert queries_for(client, "/officials/busy/") == few


def test_meeting_filter_form_labels_every_control_in_words(client, db):
    text = text_of(client.get("/meetings/"))
    for name, label in [("year", "Year"), ("official", "Official"), ("ordering", "Sort by")]:
        assert f'<label for="id_{name}">{label}</label>' in text
    assert "---------" not in text
    assert '<option value="" selected>Any</option>' in text


def test_cancelled_meeting_is_a_cancelled_calendar_event(client, make):
    make.make_meeting(slug="off", status="cancelled")
    assert "STATUS:CANCELLED" in text_of(client.get("/meetings/off.ics"))


def test_meeting_footnote_stands_beside_the_field_it_supports(client, make):
    meeting = make.make_meeting(slug="placed", title="Placed meeting", summary="A summary.")
    make.make_citation(meeting, fields=["summary"])
    make.make_citation(meeting, fields=[])
    text = text_of(client.get("/meetings/placed/"))
    # Numbered in reading order: the heading's footnote comes first.
    assert 'Placed meeting</bdi><sup class="footnote-ref"><a href="#note-1"' in text
    assert 'A summary.<sup class="footnote-ref"><a href="#note-2"' in text
