"""Whole-collection exports (`?format=csv`, `?format=jsonl`): every list item, nothing else.

Neither an export nor a list page goes through the serializer row by row: both read their
rows with an `ExportPlan` (exports.py). So these tests hold the pages to the serializer
run over model instances, as the detail answers are, and the exports to the pages: for every
collection, filter and ordering, an export's rows are exactly the items of the paged JSON
list, in the same order.
"""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from cpec_tracker.api.export_formats import csv_cell
from cpec_tracker.api.exports import ExportPlan, NotExportable
from cpec_tracker.records.models import PublicationStatus, Theme
from tests.api.helpers import BYTE_ORDER_MARK, get_json

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
JSON_LINES = "application/x-ndjson; charset=utf-8"


@pytest.fixture
def varied(seeded, make):
    """The seed, plus rows that exercise every kind of value an export writes."""
    draft_programme = make.make_project(kind="programme", publication_status=DRAFT)
    programme = make.make_project(slug="umbrella", kind="programme", title="Umbrella ☂")
    draft_theme = make.make_theme(slug="draft-theme", publication_status=DRAFT)
    theme = make.make_theme(slug="a-theme", name="Zeta", kind="corridor")
    for number, (parent, location) in enumerate(
        [(programme, "=1+1"), (draft_programme, "Gwadar\u2028Port"), (None, "-12.5")]
    ):
        project = make.make_project(
            slug=f"varied-{number}", title=f"Project № {number} in Ürümqi", location=location
        )
        project.parent = parent
        project.save()
        project.themes.add(theme, draft_theme, *Theme.objects.published()[:number])
    make.make_project(slug="hidden-draft", publication_status=DRAFT)
    draft_body = make.make_organization(slug="draft-body", publication_status=DRAFT)
    parent_organization = make.make_organization(slug="parent-body", name="@Parent")
    make.make_organization(parent=parent_organization, country="CN", short_name="+Child")
    make.make_organization(parent=draft_body)
    for precision, sequence in [("day", 7), ("month", None), ("year", 3)]:
        meeting = make.make_meeting(
            date=datetime.date(2024, 3, 9),
            date_precision=precision,
            body=draft_body if sequence == 3 else parent_organization,
            sequence_number=sequence,
        )
        meeting.themes.add(theme, draft_theme)
    make.make_meeting(slug="hidden-meeting", publication_status=DRAFT)
    make.make_official(name='=HYPERLINK("http://x")', native_name="عائشہ", wikidata_id="Q42")
    make.make_official(slug="hidden-official", publication_status=DRAFT)
    make.make_source(title="-minus", url="")
    make.make_source(slug="hidden-source", publication_status=DRAFT)


def every_item(client, url):
    """The `results` of every page of a JSON list, in order."""
    items = []
    page = get_json(client, url + ("&" if "?" in url else "?") + "page_size=100")
    while True:
        items += page["results"]
        if page["next"] is None:
            return items
        page = get_json(client, page["next"])


def export(client, url, format):
    response = client.get(url + ("&" if "?" in url else "?") + f"format={format}")
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    content = b"".join(response.streaming_content)
    if format == "csv":
        assert content.startswith(BYTE_ORDER_MARK)
        content = content.removeprefix(BYTE_ORDER_MARK)
    return response, content.decode("utf-8")


LISTS = [
    "/api/v1/projects/",
    "/api/v1/projects/?ordering=-updated_at",
    "/api/v1/projects/?q=ürümqi&ordering=-status",
    "/api/v1/meetings/",
    "/api/v1/meetings/?series=parent-body&ordering=title",
    "/api/v1/officials/",
    "/api/v1/organizations/",
    "/api/v1/organizations/?country=CN",
    "/api/v1/themes/",
    "/api/v1/sources/",
]


@pytest.mark.parametrize("url", LISTS)
def test_exports_are_every_item_of_the_list(client, varied, url):
    items = every_item(client, url)
    assert len(items) >= 2
    response, text = export(client, url, "jsonl")
    assert response["Content-Type"] == JSON_LINES
    assert text.endswith("\n")
    assert [json.loads(line) for line in text.split("\n")[:-1]] == items
    # CSV: the same items, each value as its cell (related records by slug, lists joined).
    _, text = export(client, url, "csv")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert header == list(as_csv_columns(items[0]))
    expected = [
        ["" if v is None else str(csv_cell(v)) for v in as_csv_columns(item).values()]
        for item in items
    ]
    assert rows == expected


@pytest.mark.parametrize("url", LISTS)
def test_list_items_are_what_the_serializer_makes_of_each_record(client, rf, varied, url):
    items = every_item(client, url)
    request = Request(rf.get(url))
    view = resolve(url.partition("?")[0]).func.cls(
        action="list", request=request, format_kwarg=None
    )
    records = view.get_queryset().in_bulk([item["slug"] for item in items], field_name="slug")
    serializer = view.get_serializer([records[item["slug"]] for item in items], many=True)
    assert items == json.loads(JSONRenderer().render(serializer.data))


def as_csv_columns(item):
    """An item's values by CSV column: the name (or title) first, then the rest in order;
    `names` is one column per language (names.en, …)."""
    first = "name" if "name" in item else "title"
    columns = {first: item[first]}
    for key, value in item.items():
        if key == first:
            continue
        if key == "names":
            columns.update({f"names.{language}": name for language, name in value.items()})
        else:
            columns[key] = value
    return columns


def test_exports_show_related_records_as_the_list_does(client, varied):
    _, text = export(client, "/api/v1/projects/?q=%C3%BCr%C3%BCmqi", "jsonl")
    projects = {item["slug"]: item for item in map(json.loads, text.splitlines())}
    assert projects["varied-0"]["parent"]["slug"] == "umbrella"
    assert projects["varied-0"]["parent"]["html_url"] == "http://testserver/projects/umbrella/"
    assert projects["varied-1"]["parent"] is None  # a draft programme
    assert projects["varied-2"]["parent"] is None
    assert "draft-theme" not in text
    _, text = export(client, "/api/v1/projects/?q=%C3%BCr%C3%BCmqi", "csv")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert rows["varied-0"]["parent"] == "umbrella"
    assert rows["varied-1"]["parent"] == ""
    assert rows["varied-0"]["location"] == "'=1+1"
    assert rows["varied-2"]["location"] == "-12.5"
    assert rows["varied-2"]["themes"].endswith("; a-theme")


def test_exports_leave_out_drafts(client, varied):
    for collection, hidden in [
        ("projects", "hidden-draft"),
        ("meetings", "hidden-meeting"),
        ("officials", "hidden-official"),
        ("sources", "hidden-source"),
        ("organizations", "draft-body"),
        ("themes", "draft-theme"),
    ]:
        for format in ("csv", "jsonl"):
            _, text = export(client, f"/api/v1/{collection}/", format)
            assert hidden not in text, (collection, format)


def test_json_lines_escape_line_separators_as_the_api_does(client, varied):
    response, text = export(client, "/api/v1/projects/?q=%C3%BCr%C3%BCmqi", "jsonl")
    assert "\u2028" not in text
    assert "Gwadar\\u2028Port" in text
    assert len(text.splitlines()) == 3
    assert 'filename="projects.jsonl"' in response["Content-Disposition"]


def test_json_lines_export_with_a_bad_parameter_is_a_json_400(
    client, seeded, page_cache_on_and_off
):
    data = get_json(client, "/api/v1/projects/?format=jsonl&status=built", status=400)
    assert list(data["errors"]) == ["status"]
    data = get_json(client, "/api/v1/projects/?format=jsonl&page=0", status=400)
    assert list(data["errors"]) == ["page"]


def test_a_detail_has_no_json_lines(client, seeded):
    get_json(client, "/api/v1/projects/cpec-2-0/?format=jsonl", status=400)


def add_project(make):
    project = make.make_project(parent=make.make_project(kind="programme"))
    project.themes.add(make.make_theme(), make.make_theme())


def add_meeting(make):
    make.make_meeting(body=make.make_organization()).themes.add(make.make_theme())


ADD_ROWS = {
    "projects": add_project,
    "meetings": add_meeting,
    "officials": lambda make: make.make_official(),
    "organizations": lambda make: make.make_organization(parent=make.make_organization()),
    "themes": lambda make: make.make_theme(),
    "sources": lambda make: make.make_source(),
}


@pytest.mark.parametrize("format", ["csv", "jsonl"])
@pytest.mark.parametrize("collection", ADD_ROWS)
def test_export_queries_do_not_grow_with_rows(
    client, make, collection, format, no_page_cache, django_assert_max_num_queries
):
    counts = []
    for count in (3, 40):
        for _ in range(count):
            ADD_ROWS[collection](make)
        with CaptureQueriesContext(connection) as queries:
            _, text = export(client, f"/api/v1/{collection}/", format)
        assert text.count("\n") >= count
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(3):
        export(client, f"/api/v1/{collection}/", format)


def test_a_field_an_export_cannot_read_from_columns_is_refused(rf, seeded):
    class WithMethod(serializers.Serializer):
        slug = serializers.SlugField()
        shout = serializers.SerializerMethodField()

    with pytest.raises(NotExportable):
        ExportPlan(WithMethod(), Theme.objects.published(), rf.get("/"))
