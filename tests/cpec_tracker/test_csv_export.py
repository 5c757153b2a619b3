"""CSV exports: text a spreadsheet would run as a formula is neutralised (CSV injection)."""

import csv
import io

import pytest

from cpec_tracker.api.export_formats import csv_cell
from tests.api.helpers import get_csv

pytestmark = pytest.mark.django_db


def test_official_named_like_a_formula_is_exported_as_text(client, make):
    make.make_official(slug="formula", name='=HYPERLINK("http://x")', native_name="@SUM(A1)")
    rows, _ = get_csv(client, "/api/v1/officials/?format=csv")
    row = next(row for row in rows if row["slug"] == "formula")
    assert row["name"] == '\'=HYPERLINK("http://x")'
    assert row["native_name"] == "'@SUM(A1)"


def test_every_formula_trigger_is_neutralised_in_project_exports(client, make):
    triggers = ["=1+1", "+1+1", "-1+1", "@cmd", "\tcmd", "\rcmd"]
    for number, text in enumerate(triggers):
        make.make_project(slug=f"risky-{number}", location=text)
    rows, _ = get_csv(client, "/api/v1/projects/?format=csv&q=risky")
    assert [row["location"] for row in rows] == ["'" + text for text in triggers]


def test_ordinary_text_and_numbers_are_left_alone():
    assert csv_cell("Gwadar") == "Gwadar"
    assert csv_cell("a=b") == "a=b"
    assert csv_cell(-3) == -3
    assert csv_cell(2.5) == 2.5
    assert csv_cell("-12.5") == "-12.5"
    assert csv_cell(None) == ""


def test_related_records_and_lists_are_neutralised_as_one_cell():
    assert csv_cell({"slug": "-x", "name": "X"}) == "'-x"
    assert csv_cell([{"slug": "=a"}, {"slug": "b"}]) == "'=a; b"
    assert csv_cell([{"slug": "a"}, {"slug": "=b"}]) == "a; =b"


def test_data_files_csv_neutralise_formulas_too(client, make):
    make.make_official(slug="formula", name='=HYPERLINK("http://x")', native_name="@SUM(A1)")
    response = client.get("/data/csv/officials.csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    row = next(r for r in csv.DictReader(io.StringIO(content.decode())) if r["slug"] == "formula")
    assert row["name"] == '\'=HYPERLINK("http://x")'
    assert row["native_name"] == "'@SUM(A1)"
