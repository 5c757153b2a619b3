"""One shape for the API (issue 23, point 4): links, code labels, dates as far as known, numbers,
`?expand=`, a project's status with its "since" date; and the spreadsheet-friendly CSV (point 5).
"""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.models import MeetingStatus
from tests.api.helpers import BYTE_ORDER_MARK, get_csv, get_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def built_project(make):
    """Planned in 2023, under construction since March 2024 (cited), suspended, then resumed
    in June 2025: under construction since June 2025."""
    project = make.make_project(slug="dam", title="The Dam", status="under_construction")
    make.make_milestone(project, date=datetime.date(2023, 5, 2), status_after="planned")
    start = make.make_milestone(
        project,
        kind="construction_start",
        date=datetime.date(2024, 3, 1),
        date_precision="month",
        status_after="under_construction",
    )
    make.make_milestone(project, date=None, description="Undated step.")
    make.make_key_figure(project, value=40000, unit="jobs")
    return project, start


def test_a_project_is_under_construction_since_the_step_that_brought_it_there(
    client, built_project, make
):
    project, start = built_project
    make.make_citation(start, quote="Construction began in March 2024.")
    data = get_json(client, "/api/v1/projects/dam/")
    assert data["status_label"] == "Under construction"
    assert data["status_since_iso"] == "2024-03"
    assert data["status_since_iso_precision"] == "month"
    assert data["status_since_display"] == "March 2024"
    assert [c["quote"] for c in data["status_since_citations"]] == [
        "Construction began in March 2024."
    ]
    page = client.get("/projects/dam/").content.decode()
    assert "since March 2024" in page
    # Suspended, then resumed: under construction since the resumption.
    make.make_milestone(project, date=datetime.date(2024, 9, 9), status_after="suspended")
    make.make_milestone(
        project,
        date=datetime.date(2025, 6, 1),
        date_precision="month",
        status_after="under_construction",
    )
    [item] = get_json(client, "/api/v1/projects/?q=dam")["results"]
    assert item["status_since_iso"] == "2025-06"
    assert item["status_since_display"] == "June 2025"


def test_a_status_no_step_reached_has_no_since_date(client, make):
    make.make_project(slug="idea", status="announced")
    data = get_json(client, "/api/v1/projects/idea/")
    assert data["status_since_iso"] is None
    assert data["status_since_iso_precision"] is None
    assert data["status_since_display"] == ""
    assert data["status_since_citations"] == []
    assert "status-since" not in client.get("/projects/idea/").content.decode()


def test_dates_have_an_iso_form_cut_to_their_precision_and_unknown_dates_are_null(
    client, built_project
):
    data = get_json(client, "/api/v1/projects/dam/")
    steps = {step["description"]: step for step in data["milestones"]}
    month = next(step for step in data["milestones"] if step["kind"] == "construction_start")
    assert month["date"] == "2024-03-01"  # v1's field, as it was
    assert month["date_iso"] == "2024-03"
    assert month["date_iso_precision"] == "month"
    assert month["date_iso_precision_label"] == "Month"
    undated = steps["Undated step."]
    assert undated["date_precision"] == "day"  # v1's field, as it was
    assert undated["date_iso"] is None
    assert undated["date_iso_precision"] is None
    assert undated["date_iso_precision_label"] is None


def test_numbers_are_numbers_beside_v1s_decimal_string(client, built_project):
    [figure] = get_json(client, "/api/v1/projects/dam/")["key_figures"]
    assert figure["value"] == "40000.00"
    assert figure["value_number"] == 40000
    assert figure["unit"] == "jobs"
    assert figure["kind_label"] == "Jobs"


def test_every_link_is_the_same_object_with_a_label(client, seeded):
    meeting = get_json(client, "/api/v1/meetings/jwg-icc-5th-meeting/")
    assert set(meeting["series"]) == {"slug", "url", "html_url", "label", "name"}
    assert meeting["series"]["label"] == meeting["series"]["name"]
    for participant in meeting["participants"]:
        if participant["official"]:
            assert participant["official"]["label"] == participant["official"]["name"]
    citation = meeting["citations"][0]
    assert citation["source_link"]["slug"] == citation["source"]  # v1's bare slug stays
    assert set(citation["source_link"]) == {"slug", "url", "html_url", "label"}
    official = get_json(client, "/api/v1/officials/amna-baloch/")
    attended = official["meetings"][0]
    assert attended["meeting"]["label"] == attended["meeting"]["title"]
    assert "date_precision" in attended["meeting"]
    assert attended["role_label"]


def test_codes_have_labels_in_the_language_asked_for(client, make):
    make.make_meeting(slug="talks", status="held")
    for language in ("en", "ur", "zh-hans"):
        [item] = get_json(client, f"/api/v1/meetings/?lang={language}")["results"]
        with translation.override(language):
            assert item["status_label"] == str(MeetingStatus.HELD.label)
    assert get_json(client, "/api/v1/meetings/")["results"][0]["status_label"] == "Held"


def add_meeting_with_participants(make):
    meeting = make.make_meeting()
    make.make_participation(meeting, role="chair")
    make.make_participation(meeting, name="The Foreign Office spokesperson")


def test_expand_participants_adds_them_in_a_bounded_number_of_queries(
    client, make, no_page_cache, django_assert_max_num_queries
):
    counts = []
    for count in (2, 20):
        for _ in range(count):
            add_meeting_with_participants(make)
        with CaptureQueriesContext(connection) as queries:
            data = get_json(client, "/api/v1/meetings/?expand=participants&page_size=50")
        counts.append(len(queries))
        assert all(len(item["participants"]) == 2 for item in data["results"])
    assert counts[0] == counts[1]
    # The list's three (count, themes, rows) and one for every page's participants (its
    # facets are bounded in tests/cpec_tracker/test_api_facets.py).
    with django_assert_max_num_queries(4):
        get_json(client, "/api/v1/meetings/?expand=participants&facets=false")
    participant = data["results"][0]["participants"][0]
    assert set(participant) == {"official", "name", "role", "role_label", "title_at_meeting"}
    assert "participants" not in get_json(client, "/api/v1/meetings/")["results"][0]


def test_expand_takes_only_what_the_list_offers(client, make):
    make.make_meeting()
    data = get_json(client, "/api/v1/meetings/?expand=outcomes", status=400)
    assert data["errors"]["expand"] == ["Choose one of: participants."]
    data = get_json(client, "/api/v1/projects/?expand=participants", status=400)
    assert list(data["errors"]) == ["expand"]


def test_exports_expand_participants_too(client, make, django_assert_max_num_queries):
    add_meeting_with_participants(make)
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/meetings/?expand=participants&format=jsonl")
        [item] = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [p["role"] for p in item["participants"]] == ["chair", "participant"]
    [row] = get_csv(client, "/api/v1/meetings/?expand=participants&format=csv")[0]
    official = item["participants"][0]["official"]["name"]
    assert row["participants"] == f"{official}; The Foreign Office spokesperson"


def test_csv_puts_the_name_first_and_labels_beside_codes(client, built_project):
    rows, response = get_csv(client, "/api/v1/projects/?format=csv")
    [row] = rows
    assert list(row)[:2] == ["title", "url"]
    assert row["title"] == "The Dam"
    assert row["status"] == "under_construction"
    assert row["status_label"] == "Under construction"
    assert row["status_since_iso"] == "2024-03"
    assert row["status_since_display"] == "March 2024"
    header = list(row)
    assert header.index("status_label") == header.index("status") + 1


def test_csv_has_a_byte_order_mark_unless_a_client_asks_without(client, built_project):
    url = "/api/v1/projects/?format=csv"
    assert b"".join(client.get(url).streaming_content).startswith(BYTE_ORDER_MARK)
    for accept in ("text/csv; header=present; bom=0", "text/csv;bom=0, application/json"):
        response = client.get(url, HTTP_ACCEPT=accept)
        content = b"".join(response.streaming_content)
        assert content.startswith(b"title,"), accept
        assert response["Content-Type"] == "text/csv; charset=utf-8"
    # Without `format`, the Accept header chooses CSV and its parameters.
    response = client.get("/api/v1/projects/", HTTP_ACCEPT="text/csv; header=present; bom=0")
    assert next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))[0] == (
        "title"
    )


def test_expanded_participants_leave_out_drafts_as_the_detail_does(client, make):
    meeting = make.make_meeting(slug="talks")
    make.make_participation(meeting, official=make.make_official(publication_status="draft"))
    make.make_participation(meeting, name="A named delegate")
    [item] = get_json(client, "/api/v1/meetings/?expand=participants")["results"]
    detail = get_json(client, "/api/v1/meetings/talks/")
    assert [p["name"] for p in item["participants"]] == ["A named delegate"]
    assert [p["name"] for p in detail["participants"]] == ["A named delegate"]
