"""/data/'s JSON Lines are the API's details: each kind's detail serializer read column by column
(`cpec_tracker.api.detailplan.DetailPlan`) gives every record exactly what DRF gives it."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.utils import translation
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from cpec_tracker.api.detailplan import DetailPlan
from cpec_tracker.api.export_formats import json_lines
from cpec_tracker.api.exports import NotExportable
from cpec_tracker.records.citations import load_citations
from cpec_tracker.records.models import PublicationStatus
from cpec_tracker.site import datafiles, datawriters
from meetings.models import Meeting
from projects.models import Project
from projects.serializers import ProjectDetailSerializer

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


@pytest.fixture
def every_kind_of_row(seeded, make):
    """The seed, plus rows of every kind with every optional part given, some left empty, and
    links to drafts (which a detail shows as null or leaves out)."""
    project = Project.objects.get(slug="chashma-nuclear-power-plant-unit-5")
    lender = make.make_organization(slug="exim-bank-of-china", name_ur="چین ایگزم بینک")
    draft_organization = make.make_organization(slug="draft-guarantor", publication_status=DRAFT)
    source = make.make_source(slug="loan-report")
    financing = make.make_financing(
        project,
        lender,
        borrower=make.make_organization(slug="borrowing-ministry"),
        guarantor=draft_organization,
        amount=Decimal("1500000.75"),
        amount_usd=Decimal("210000"),
        usd_basis="reported",
        usd_rate=Decimal("7.1"),
        pledge_date=datetime.date(2019, 1, 1),
        pledge_date_precision="year",
        commitment_date=datetime.date(2020, 3, 1),
        commitment_date_precision="month",
        disbursement_date=datetime.date(2021, 6, 15),
        interest_rate=Decimal("2.5"),
        maturity_years=20,
        note="=SUM(A1)",
    )
    make.make_citation(financing, source=source, quote=source.text[:30])
    make.make_financing(project, lender, status="pledged")
    figure = make.make_key_figure(
        project, kind="cost", value="3700000000.50", unit="USD", as_of_precision="month"
    )
    make.make_citation(figure, source=source, quote=source.text[:20], fields=["value", "unit"])
    step = make.make_milestone(
        project,
        kind="construction_start",
        date=datetime.date(2023, 5, 1),
        date_precision="month",
        status_after=project.status,
    )
    make.make_citation(step, source=source, quote=source.text[:25], fields=["date"])
    make.make_project_role(project, draft_organization, role="contractor")
    make.make_project_role(project, lender, role="lender", note="Lends in yuan.")
    make.make_citation(project, source=source, quote=source.text[:10], fields=["title", "status"])
    place = make.make_location(project, geonames_id=1176615, note="The plant's site.")
    make.make_citation(place, source=source, quote=source.text[:15], fields=["place_name"])
    make.make_location(
        project,
        place_name="Chashma to Mianwali",
        precision="near",
        geometry={"type": "LineString", "coordinates": [[71.4, 32.4], [71.5, 32.6]]},
    )
    meeting = Meeting.objects.get(slug="jwg-icc-5th-meeting")
    envoy = make.make_official(slug="appointed-envoy", wikidata_id="Q42", name_zh_hans="特使")
    make.make_appointment(
        envoy,
        title="Envoy",
        organization=lender,
        start=datetime.date(2024, 1, 1),
        start_precision="year",
        end=datetime.date(2025, 2, 1),
        end_precision="month",
    )
    make.make_participation(meeting, envoy, role="speaker")
    make.make_participation(meeting, make.make_official(publication_status=DRAFT))
    make.make_participation(meeting, name="the Foreign Office spokesperson")
    make.make_outcome(meeting, text="A working group on coal.", stated_by=envoy)
    draft_theme = make.make_theme(slug="draft-theme", publication_status=DRAFT)
    project.themes.add(draft_theme)
    meeting.themes.add(draft_theme)


def planned_items(viewset, request):
    """Every record of a collection as its detail plan gives it, in the build's order."""
    serializer = viewset.detail_serializer_class(context={"request": request})
    plan = DetailPlan(serializer, viewset.detail_read().order_by(viewset.lookup_field), request)
    return [item for columns in plan.chunks() for item in plan.json_values(columns)]


@pytest.mark.parametrize("language", ["en", "ur", "zh-hans"])
def test_every_records_detail_plan_is_the_serializers(every_kind_of_row, language):
    """Byte for byte, in the build's order: each field, its order and its value, as the API's
    detail writes it (DRF's JSONRenderer)."""
    request = datawriters.SiteRequest()
    compared = {}
    with translation.override(language):
        for collection, viewset in datawriters.api_collections().items():
            serializer = viewset.detail_serializer_class(context={"request": request})
            records = list(viewset.detail_read().order_by(viewset.lookup_field))
            load_citations(records)
            expected = [
                JSONRenderer().render(serializer.to_representation(record)) + b"\n"
                for record in records
            ]
            planned = [json_lines([item]) for item in planned_items(viewset, request)]
            assert planned == expected, collection
            compared[collection] = len(records)
    assert all(compared.values()), compared


def test_the_comparison_sees_every_kind_of_field(every_kind_of_row):
    """The rows above give the fields the plan reads its own way a value to compare."""
    request = datawriters.SiteRequest()
    viewset = datawriters.api_collections()["projects"]
    item = next(
        item
        for item in planned_items(viewset, request)
        if item["slug"] == "chashma-nuclear-power-plant-unit-5"
    )
    financing = item["financing"][0]
    assert financing["guarantor"] is None
    assert financing["borrower"]["label"]
    assert financing["amount_number"] == 1500000.75
    assert financing["pledge_date_iso"] == "2019"
    assert financing["commitment_date_iso_precision_label"] == "Month"
    assert financing["citations"][0]["source_link"]["slug"] == "loan-report"
    assert financing["citations"][0]["html_url"].split("#")[1].startswith("quote-")
    point, line = item["locations"]
    assert point["geometry"] == {"type": "Point", "coordinates": [62.3254, 25.1216]}
    assert point["precision_label"] == "City or district"
    assert point["citations"][0]["field_labels"] == ["Place name"]
    assert line["geometry"]["type"] == "LineString" and line["citations"] == []
    cited_figure = next(figure for figure in item["key_figures"] if figure["citations"])
    assert cited_figure["citations"][0]["field_labels"] == ["Value", "Unit"]
    assert item["status_since_citations"]
    assert None not in item["themes"]
    assert item["url"].endswith("/api/v1/projects/chashma-nuclear-power-plant-unit-5/")
    meeting = next(
        item
        for item in planned_items(datawriters.api_collections()["meetings"], request)
        if item["slug"] == "jwg-icc-5th-meeting"
    )
    names = [participant["name"] for participant in meeting["participants"]]
    assert "the Foreign Office spokesperson" in names
    envoy = next(
        item
        for item in planned_items(datawriters.api_collections()["officials"], request)
        if item["slug"] == "appointed-envoy"
    )
    assert envoy["appointments"][0]["is_current"] is False
    assert envoy["meetings"][0]["meeting"]["slug"] == "jwg-icc-5th-meeting"


def test_a_field_the_plan_cannot_read_is_refused_when_the_plan_is_made(every_kind_of_row):
    class WithAMethodField(ProjectDetailSerializer):
        shouted = serializers.SerializerMethodField()

        class Meta(ProjectDetailSerializer.Meta):
            fields = [*ProjectDetailSerializer.Meta.fields, "shouted"]

        def get_shouted(self, project):
            return project.title.upper()

    request = datawriters.SiteRequest()
    viewset = datawriters.api_collections()["projects"]
    with pytest.raises(NotExportable, match="shouted"):
        DetailPlan(WithAMethodField(context={"request": request}), viewset.detail_read(), request)


def test_the_json_lines_read_each_relation_once_per_chunk(
    every_kind_of_row, django_assert_max_num_queries
):
    """One query for the projects, one per nested relation (their rows' citations included),
    however many projects a chunk holds."""
    viewset = datawriters.api_collections()["projects"]
    # The projects, 8 nested lists, the citations of the project, of 5 kinds of rows and of
    # the step that dates its status.
    with django_assert_max_num_queries(1 + 8 + 1 + 5 + 1):
        written = datawriters.write_jsonl(viewset, io.BytesIO(), datawriters.SiteRequest())
    assert written > 1


@pytest.mark.parametrize("language", ["en", "ur", "zh-hans"])
def test_the_json_lines_are_drfs_details_of_the_published_records(every_kind_of_row, language):
    """The build reads the details its own way (`DetailPlan`: column by column, one query per
    relation per chunk); each line is what DRF gives the record read by the API detail's
    selector, with its prefetches, and no draft has a line."""
    request = datawriters.SiteRequest()
    with translation.override(language):
        for collection, viewset in datawriters.api_collections().items():
            out = io.BytesIO()
            written = datawriters.write_jsonl(viewset, out, request)
            lines = [json.loads(line) for line in out.getvalue().splitlines()]
            serializer = viewset.detail_serializer_class(context={"request": request})
            records = list(viewset.detail_read().order_by(viewset.lookup_field))
            load_citations(records)
            expected = [
                json.loads(JSONRenderer().render(serializer.to_representation(record)))
                for record in records
            ]
            assert written == len(records) > 0, collection
            assert lines == expected, collection


def test_the_json_lines_leave_out_drafts_and_their_rows(every_kind_of_row):
    viewset = datawriters.api_collections()["projects"]
    out = io.BytesIO()
    datawriters.write_jsonl(viewset, out, datawriters.SiteRequest())
    text = out.getvalue().decode()
    assert "draft-guarantor" not in text
    assert "draft-theme" not in text
    project = next(
        json.loads(line)
        for line in text.splitlines()
        if json.loads(line)["slug"] == "chashma-nuclear-power-plant-unit-5"
    )
    assert project["financing"][0]["citations"][0]["source_link"]["slug"] == "loan-report"
    assert project["status_since_citations"]


def test_a_builds_financing_lines_are_the_apis_details_read_on_their_own(
    every_kind_of_row, make, monkeypatch, settings, tmp_path
):
    """Financing's JSON Lines are taken from the projects' details as the build writes them
    (`NESTED_COLLECTIONS`): the lines of the financing's own details, in their order (by id),
    though the projects' pieces list them in the projects' order."""
    first = Project.objects.get(slug="chashma-nuclear-power-plant-unit-5")
    last = Project.objects.published().order_by("slug").last()
    assert first != last
    lender = make.make_organization(slug="second-lender")
    make.make_financing(last, lender, note="Listed after the first project's in the file.")
    make.make_financing(first, lender, status="pledged")
    make.make_financing(last, make.make_organization(slug="draft-lender", publication_status=DRAFT))
    monkeypatch.setattr(datafiles, "JSONL_PIECE_RECORDS", 1)
    read_on_their_own = []
    write_jsonl = datawriters.write_jsonl

    def noting_write_jsonl(viewset, *args, **kwargs):
        read_on_their_own.append(viewset)
        return write_jsonl(viewset, *args, **kwargs)

    monkeypatch.setattr(datawriters, "write_jsonl", noting_write_jsonl)
    with translation.override(settings.LANGUAGE_CODE):
        datafiles.write_files(tmp_path, "a-version")
    monkeypatch.undo()
    financing = datawriters.api_collections()["financing"]
    assert financing not in read_on_their_own
    with translation.override(settings.LANGUAGE_CODE):
        alone = io.BytesIO()
        count = datawriters.write_jsonl(financing, alone, datawriters.SiteRequest())
    built = (tmp_path / "financing.jsonl").read_bytes()
    assert count == 4  # the two of the fixture and two here; not the draft lender's
    assert built == alone.getvalue()
    ids = [json.loads(line)["id"] for line in built.splitlines()]
    assert ids == sorted(ids)
