"""Open data: list downloads, /data/'s files (built once per data version), the dictionary,
citations of records and of the dataset."""

import csv
import datetime
import io
import json
import re
import sqlite3
import zipfile

import pytest
import sqlite_utils
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from frictionless import validate

from cpec_tracker.records.models import PublicationStatus
from cpec_tracker.site import datafiles, dataset, dictionary
from meetings.models import Meeting, Official
from projects.models import Project

pytestmark = pytest.mark.django_db

POPOLO_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}){0,2}$")


@pytest.fixture
def rich(seeded, make):
    """The seed plus one of every kind of row, with a draft official at a published meeting."""
    project = Project.objects.get(slug="chashma-nuclear-power-plant-unit-5")
    organization = make.make_organization(slug="china-national-nuclear-corporation")
    make.make_project_role(project, organization, role="contractor")
    make.make_key_figure(project, kind="cost", value="3700000000.50", unit="USD")
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    official = make.make_official(slug="appointed-envoy", wikidata_id="Q42")
    make.make_appointment(
        official,
        title="Envoy",
        organization=organization,
        start=datetime.date(2024, 1, 1),
        start_precision="year",
    )
    make.make_participation(meeting, official, role="speaker")
    make.make_participation(meeting, name="the Foreign Office spokesperson")
    return project


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


# Downloads on every list page ------------------------------------------------------------


@pytest.mark.parametrize("path", ["/meetings/", "/officials/", "/projects/", "/sources/"])
def test_every_list_page_links_its_csv_and_json_lines_with_the_row_count(client, seeded, path):
    page = client.get(path).content.decode()
    count = int(re.search(r'class="result-count">(\d+)', page).group(1))
    assert f"All {count} records of this list" in page or f"The {count} record" in page
    links = re.findall(r'href="(/api/v1/[^"]+)" download', page)
    # Above the list, on its first screen, and in the list's foot with what each holds.
    assert [link.rsplit("format=", 1)[1] for link in links] == ["csv", "jsonl"] * 2
    rows = list(csv.reader(io.StringIO(download(client, links[0].replace("&amp;", "&")).decode())))
    assert len(rows) - 1 == count
    lines = download(client, links[1].replace("&amp;", "&")).decode().splitlines()
    assert len(lines) == count


def test_downloads_carry_the_filters_and_order_but_not_the_forms_blanks(client, seeded, make):
    make.make_project(slug="zeta-plant", title="Zeta plant", status="suspended")
    make.make_project(slug="alpha-plant", title="Alpha plant", status="suspended")
    page = client.get("/projects/?q=&sector=&status=suspended&ordering=-title&page=1")
    text = page.content.decode()
    assert "All 2 records of this list" in text
    csv_url = "/api/v1/projects/?status=suspended&amp;ordering=-title&amp;format=csv"
    assert f'href="{csv_url}"' in text
    body = download(client, csv_url.replace("&amp;", "&")).decode()
    assert [row["slug"] for row in csv.DictReader(io.StringIO(body))] == [
        "zeta-plant",
        "alpha-plant",
    ]


def test_a_yes_no_filter_left_at_any_is_not_passed_to_the_api(client, seeded):
    text = client.get("/officials/?current=unknown&country=PK").content.decode()
    assert 'href="/api/v1/officials/?country=PK&amp;format=jsonl"' in text


def test_a_list_with_a_bad_filter_offers_no_download(client, seeded):
    response = client.get("/projects/?status=nonsense")
    assert response.status_code == 400
    assert b"format=csv" not in response.content


def test_the_api_streams_every_matching_row_as_json_lines(client, seeded, make):
    for number in range(120):
        make.make_project(slug=f"bulk-{number:03}", status="suspended")
    response = client.get("/api/v1/projects/?status=suspended&format=jsonl")
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 120  # not one page of 50
    assert {json.loads(line)["status"] for line in lines} == {"suspended"}
    assert client.get("/api/v1/projects/?format=jsonl&page=x").status_code == 400


# /data/ -------------------------------------------------------------------------------


def test_data_page_lists_every_file_with_its_size_version_citation_and_licence(
    client, seeded, django_assert_max_num_queries, no_page_cache
):
    client.get("/data/")  # built on the first request
    with django_assert_max_num_queries(1):
        response = client.get("/data/")
    text = response.content.decode()
    build = datafiles.current_build()
    for entry in build.files:
        assert f'href="/data/{entry["name"]}"' in text
    assert f"version {build.label} of {build.built_at.date().isoformat()}" in text
    assert "CC BY 4.0" in text and 'id="licence"' in text
    assert "short excerpts" in text


def test_files_are_built_once_per_data_version(client, seeded, make, monkeypatch):
    builds = []
    real_build = datafiles.build_version
    monkeypatch.setattr(
        datafiles, "build_version", lambda label: builds.append(label) or real_build(label)
    )
    client.get("/data/")
    client.get("/data/datapackage.json")
    client.get("/data/csv/projects.csv")
    assert len(builds) == 1
    make.make_project(slug="new-after-build")
    assert b"new-after-build" in download(client, "/data/csv/projects.csv")
    assert len(builds) == 2
    # Only the current version's folder is kept.
    assert [folder.name for folder in datafiles.data_dir().iterdir() if folder.is_dir()] == [
        builds[-1]
    ]


def test_a_file_is_served_with_etag_and_length_and_answers_304(client, seeded):
    response = client.get("/data/cpec-tracker.sqlite")
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    assert response["Content-Type"] == "application/vnd.sqlite3"
    assert "attachment" in response["Content-Disposition"]
    again = client.get("/data/cpec-tracker.sqlite", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


@pytest.mark.parametrize(
    "name", ["nothing.csv", "manifest.json", "../settings.py", "csv/../manifest.json", ".lock"]
)
def test_only_the_builds_files_are_served(client, seeded, name):
    assert client.get(f"/data/{name}").status_code == 404


# The files ----------------------------------------------------------------------------


def test_datapackage_describes_every_file_and_validates_with_frictionless(client, rich):
    build = datafiles.current_build()
    package = json.loads(download(client, "/data/datapackage.json"))
    described = {resource["path"] for resource in package["resources"]}
    assert described == {entry["name"] for entry in build.files} - {"datapackage.json"}
    for resource in package["resources"]:
        if resource["format"] == "csv":
            for field in resource["schema"]["fields"]:
                assert field["type"] in {"string", "integer", "number", "date", "datetime"}
                assert field["description"], (resource["name"], field["name"])
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    report = validate(str(build.folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "type", "message"])
    zipped = validate(str(build.folder / datafiles.ZIP_NAME))
    assert zipped.valid, zipped.flatten(["resourceName", "type", "message"])


def test_the_zip_holds_one_csv_per_table_with_related_records_by_slug(client, rich):
    archive = zipfile.ZipFile(io.BytesIO(download(client, f"/data/{datafiles.ZIP_NAME}")))
    names = set(archive.namelist())
    assert {f"csv/{table.name}.csv" for table in dataset.tables()} | {"datapackage.json"} == names
    roles = list(csv.DictReader(io.TextIOWrapper(archive.open("csv/project_roles.csv"))))
    assert {
        "project": "chashma-nuclear-power-plant-unit-5",
        "organization": "china-national-nuclear-corporation",
        "role": "contractor",
    }.items() <= roles[0].items()
    figures = list(csv.DictReader(io.TextIOWrapper(archive.open("csv/key_figures.csv"))))
    assert "3700000000.50" in {row["value"] for row in figures}


def test_the_sqlite_file_has_every_table_with_keys_for_datasette(client, rich, tmp_path):
    path = tmp_path / "data.sqlite"
    path.write_bytes(download(client, "/data/cpec-tracker.sqlite"))
    database = sqlite_utils.Database(path)
    assert set(database.table_names()) == {table.name for table in dataset.tables()}
    assert database["projects"].pks == ["slug"]
    assert ("project", "projects", "slug") in {
        (key.column, key.other_table, key.other_column)
        for key in database["milestones"].foreign_keys
    }
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    official = database["officials"].get("appointed-envoy")
    assert official["wikidata_id"] == "Q42"
    assert official["html_url"].endswith("/officials/appointed-envoy/")


def test_json_lines_hold_each_record_as_the_api_detail_gives_it(client, rich, settings):
    settings.CPEC_SITE_URL = "http://testserver"
    for collection in ["meetings", "officials", "projects", "organizations", "themes", "sources"]:
        lines = download(client, f"/data/{collection}.jsonl").decode().splitlines()
        listed = client.get(f"/api/v1/{collection}/?page_size=100").json()
        assert len(lines) == listed["count"]
        first = json.loads(lines[0])
        assert first == client.get(f"/api/v1/{collection}/{first['slug']}/").json()


def test_popolo_has_persons_organizations_memberships_and_events(client, rich):
    data = json.loads(download(client, "/data/cpec-tracker-popolo.json"))
    persons = {person["id"]: person for person in data["persons"]}
    organizations = {item["id"] for item in data["organizations"]}
    for person in data["persons"]:
        assert person["id"] and person["name"]
        for link in person["links"]:
            assert link["url"]
    assert persons["appointed-envoy"]["identifiers"] == [
        {"scheme": "wikidata", "identifier": "Q42"}
    ]
    for item in data["organizations"]:
        assert item["id"] and item["name"]
        assert item["parent_id"] is None or item["parent_id"] in organizations
    assert data["memberships"]
    for membership in data["memberships"]:
        assert membership["id"] and membership["person_id"] in persons
        assert membership["organization_id"] is None or membership["organization_id"] in (
            organizations
        )
        for key in ("start_date", "end_date"):
            assert membership[key] is None or POPOLO_DATE.match(membership[key])
    envoy = next(m for m in data["memberships"] if m["person_id"] == "appointed-envoy")
    assert envoy["start_date"] == "2024" and envoy["role"] == "Envoy"
    events = {event["id"]: event for event in data["events"]}
    for event in data["events"]:
        assert event["id"] and event["name"] and POPOLO_DATE.match(event["start_date"])
        for attendee in event["attendees"]:
            assert attendee["name"]
            assert "id" not in attendee or attendee["id"] in persons
    attendees = events["jwg-icc-5th-meeting"]["attendees"]
    assert {"id": "appointed-envoy", "name": "Appointed Envoy"} in attendees
    assert {"name": "the Foreign Office spokesperson"} in attendees


def test_drafts_and_their_rows_are_left_out_and_links_to_them_left_empty(client, rich, make):
    draft = make.make_official(slug="secret-draft", publication_status=PublicationStatus.DRAFT)
    make.make_appointment(draft, title="Secret office")
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    make.make_participation(meeting, draft)
    make.make_outcome(meeting, text="Agreed by all.", stated_by=draft)
    build = datafiles.current_build()
    for entry in build.files:
        assert b"secret-draft" not in build.path_of(entry["name"]).read_bytes(), entry["name"]
    outcomes = list(
        csv.DictReader(io.StringIO(download(client, "/data/csv/outcomes.csv").decode()))
    )
    assert {row["stated_by"] for row in outcomes if row["text"] == "Agreed by all."} == {""}


def test_data_files_hold_absolute_links_to_the_configured_site(client, seeded, settings):
    settings.CPEC_SITE_URL = "https://cpec.example.org"
    body = download(client, "/data/projects.jsonl").decode()
    assert '"html_url":"https://cpec.example.org/projects/' in body


@pytest.mark.parametrize("first_page", ["/ur/data/", "/zh-hans/data/"])
def test_files_built_from_another_languages_page_are_the_english_ones(client, rich, first_page):
    assert client.get(first_page).status_code == 200
    from_other_language = download(client, "/data/officials.jsonl")
    assert "/officials/" in from_other_language.decode()
    assert "/ur/" not in from_other_language.decode()
    assert "/zh-hans/" not in from_other_language.decode()
    package = json.loads(download(client, "/data/datapackage.json"))
    assert package["resources"][0]["title"].isascii()


def test_the_data_page_describes_the_files_in_the_readers_language(client, rich):
    def texts():
        return [
            gettext("Every table as CSV, zipped"),
            gettext("Every table in one SQLite database"),
            gettext("%(collection)s, JSON Lines") % {"collection": "Projects"},
        ]

    assert client.get("/data/").status_code == 200  # builds the files, in English
    english = texts()
    for language in ["ur", "zh-hans"]:
        page = client.get(f"/{language}/data/").content.decode()
        with translation.override(language):
            translated = texts()
        for text, in_english in zip(translated, english, strict=True):
            assert text != in_english
            assert escape(text) in page


# The data dictionary -------------------------------------------------------------------


def test_dictionary_gives_every_field_its_type_and_meaning(
    client, django_assert_max_num_queries, no_page_cache
):
    with django_assert_max_num_queries(1):
        text = client.get("/data/dictionary/").content.decode()
    for table in dataset.tables():
        assert f'id="table-{table.name}"' in text
        for column in table.columns:
            assert f"<code>{column.name}</code>" in text
            assert column.description
    assert "Global Energy Monitor" in text
    assert "globalenergymonitor.org" in text


def test_every_choice_of_every_published_field_has_a_one_line_definition():
    for table in dataset.tables():
        for column in table.columns:
            if column.choices and column.name != "country":
                choices = next(
                    c for c in dictionary.choice_definitions() if list(c.values) == column.choices
                )
                for row in dictionary.choice_rows(choices):
                    assert row["definition"] and "\n" not in str(row["definition"])


def test_project_statuses_are_defined_as_global_energy_monitor_defines_them(client):
    text = client.get("/data/dictionary/").content.decode()
    for gem_name in ["GEM: announced", "GEM: pre-construction", "GEM: construction"]:
        assert gem_name in text
    assert "GEM: operating" in text and "GEM: shelved" in text and "GEM: cancelled" in text


# How to cite ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, title",
    [
        ("/projects/cpec-2-0/", "China-Pakistan Economic Corridor (CPEC) 2.0"),
        ("/meetings/jwg-icc-5th-meeting/", None),
        ("/officials/amna-baloch/", "Amna Baloch"),
    ],
)
def test_a_record_page_gives_a_ready_citation_of_itself(client, seeded, path, title):
    text = client.get(path).content.decode()
    title = title or Meeting.objects.get(slug="jwg-icc-5th-meeting").title
    today = datetime.date.today()
    expected = (
        # The title isolated from the text around it (a name may hold bidi controls).
        f"“<bdi>{title}</bdi>”. CPEC Tracker. http://testserver{path} "
        f"(retrieved {today.day} {today:%B} {today.year})."
    )
    assert expected in text.replace("&quot;", '"')
    assert Official.objects.exists()


def test_build_data_builds_the_current_version_once_and_says_so(seeded):
    from django.core.management import call_command

    first, second = io.StringIO(), io.StringIO()
    call_command("build_data", stdout=first)
    call_command("build_data", stdout=second)
    label = datafiles.current_label()
    assert f"built version {label}" in first.getvalue()
    assert "datapackage.json" in first.getvalue()
    assert f"version {label} already built" in second.getvalue()


def test_files_that_cannot_be_written_are_a_503_not_a_500(client, seeded, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    settings.CPEC_DATA_DIR = blocked / "data"
    for url in ["/data/", "/data/datapackage.json"]:
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"]


def test_a_file_removed_by_a_newer_build_is_served_from_the_newer_one(
    client, seeded, make, monkeypatch
):
    old = datafiles.current_build()
    make.make_project(slug="made-since")
    real = datafiles.current_build
    calls = []

    def stale_then_current():
        calls.append(1)
        if len(calls) == 1:
            return old  # read just before the newer build removed it
        return real()

    datafiles.current_build()  # the newer build, which removes the old folder
    assert not old.folder.exists()
    monkeypatch.setattr(datafiles, "current_build", stale_then_current)
    assert b"made-since" in download(client, "/data/csv/projects.csv")


def add_related_records(make, count):
    """`count` projects, meetings, officials and organizations, each with its rows, links and
    citations: everything a build reads grows with them."""
    theme = make.make_theme()
    source = make.make_source()
    programme = make.make_project(kind="programme")
    for _number in range(count):
        organization = make.make_organization()
        official = make.make_official()
        make.make_appointment(official, organization=organization)
        meeting = make.make_meeting(body=organization)
        meeting.themes.add(theme)
        participation = make.make_participation(meeting, official)
        outcome = make.make_outcome(meeting, stated_by=official)
        project = make.make_project(parent=programme)
        project.themes.add(theme)
        project.meetings.add(meeting)
        figure = make.make_key_figure(project)
        milestone = make.make_milestone(project)
        role = make.make_project_role(project, organization)
        for row in [organization, official, meeting, participation, outcome, project]:
            make.make_citation(row, source=source)
        for row in [figure, milestone, role]:
            make.make_citation(row, source=source)


def queries_of_a_build(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    with CaptureQueriesContext(connection) as queries:
        datafiles.write_files(folder, name)
    return len(queries)


def test_a_build_reads_the_data_in_as_many_queries_whatever_the_number_of_rows(
    seeded, make, tmp_path
):
    add_related_records(make, 3)
    queries_of_a_build(tmp_path, "first")  # Content types and the like, cached from here on.
    few = queries_of_a_build(tmp_path, "few")
    add_related_records(make, 27)
    assert queries_of_a_build(tmp_path, "many") == few


def test_a_locations_geometry_is_json_text_in_the_csv_and_the_sqlite_file(client, seeded, make):
    """A JSON column (a line's GeoJSON) is one cell of JSON text: the SQLite file could not
    be written with the value as a dict, and CSV wrote Python's repr of it."""
    line = {"type": "LineString", "coordinates": [[73.0411, 27.3236], [74.4815, 26.0329]]}
    make.make_location(Project.objects.published().first(), geometry=line, place_name="Route")
    build = datafiles.current_build()
    with sqlite3.connect(build.path_of(datafiles.SQLITE_NAME)) as database:
        cells = [row[0] for row in database.execute("SELECT geometry FROM locations")]
    assert line in [json.loads(cell) for cell in cells if cell]
    with open(build.path_of("csv/locations.csv"), encoding="utf-8") as table:
        geometries = [row["geometry"] for row in csv.DictReader(table)]
    assert line in [json.loads(cell) for cell in geometries if cell]
