"""Every API list answers with `facets`: each filter's values with the count of records each
would give under the other filters, counted once per table version, drafts never counted."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F
from django.db.models.functions import ExtractYear
from django.test.utils import CaptureQueriesContext

from cpec_tracker.records import registry
from cpec_tracker.web import facets
from cpec_tracker.web.facets import facet_counts, facet_group, group_repeats_records
from meetings.models import Official

pytestmark = pytest.mark.django_db


def facet(answer, name):
    """{value: (label, count)} of the list answer's facet `name`."""
    return {
        choice["value"]: (choice["label"], choice["count"])
        for choice in answer["facets"][name]["choices"]
    }


def test_each_choice_counts_with_the_other_filters_but_not_its_own(client, make):
    make.make_project(status="planned", sector="energy")
    make.make_project(status="planned", sector="transport")
    make.make_project(status="operational", sector="energy")
    make.make_project(status="operational", sector="energy")
    make.make_project(status="operational", sector="energy", publication_status="draft")
    answer = client.get("/api/v1/projects/?sector=energy&status=planned").json()
    assert answer["count"] == 1
    assert facet(answer, "status") == {"operational": ("Operational", 2), "planned": ("Planned", 1)}
    assert facet(answer, "sector") == {
        "energy": ("Energy", 1),
        "transport": ("Transport and connectivity", 1),
    }
    # The most frequent first.
    assert [choice["value"] for choice in answer["facets"]["status"]["choices"]] == [
        "operational",
        "planned",
    ]
    assert answer["facets"]["status"]["truncated"] is False
    # Free text and orderings have no choices to count.
    assert "q" not in answer["facets"] and "ordering" not in answer["facets"]


def test_counts_match_a_count_by_hand(client, make):
    statuses = ["planned", "planned", "operational", "under_construction", "operational"]
    for index, status in enumerate(statuses):
        make.make_project(status=status, sector="energy" if index % 2 else "transport")
    answer = client.get("/api/v1/projects/?sector=transport").json()
    by_hand = {}
    for index, status in enumerate(statuses):
        if index % 2 == 0:
            by_hand[status] = by_hand.get(status, 0) + 1
    assert {value: count for value, (_, count) in facet(answer, "status").items()} == by_hand
    for value, count in by_hand.items():
        filtered = client.get(f"/api/v1/projects/?sector=transport&status={value}").json()
        assert filtered["count"] == count


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/projects/",
        "/api/v1/projects/?theme=energy",
        "/api/v1/projects/?status=planned",
        "/api/v1/financing/",
        "/api/v1/financing/?lender=bank&currency=USD",
        "/api/v1/meetings/?theme=energy",
    ],
)
def test_filters_counted_in_one_query_count_as_they_would_one_by_one(
    client, make, monkeypatch, no_page_cache, address
):
    energy, coal = make.make_theme(slug="energy"), make.make_theme(slug="coal")
    bank = make.make_organization(slug="bank")
    shapes = [("planned", "energy", "sindh"), ("planned", "transport", "punjab")]
    shapes += [("operational", "energy", "sindh"), ("under_construction", "energy", "")]
    for number, (status, sector, province) in enumerate(shapes * 2):
        project = make.make_project(status=status, sector=sector, province=province)
        project.themes.add(energy)
        if number % 2:
            project.themes.add(coal)
        make.make_financing(project=project, lender=bank, currency=["USD", "CNY"][number % 3 == 0])
        meeting = make.make_meeting(kind=["working_group_session", "visit"][number % 2])
        meeting.themes.add(energy, coal)
    make.make_project(status="planned", publication_status="draft").themes.add(energy)
    together = client.get(address).json()["facets"]
    monkeypatch.setattr(facets, "counted_together", lambda filterset, faceted: [])
    assert client.get(address).json()["facets"] == together
    assert any(facet["choices"] for facet in together.values())


def test_a_record_a_filter_joins_more_than_once_counts_once(client, make):
    # Two offices in one organization: the organization filter joins the official twice.
    ministry = make.make_organization(slug="ministry")
    twice = make.make_official(country="PK")
    make.make_appointment(official=twice, organization=ministry, title="Secretary")
    make.make_appointment(official=twice, organization=ministry, title="Adviser")
    make.make_appointment(official=make.make_official(country="CN"), organization=ministry)
    answer = client.get("/api/v1/officials/?organization=ministry").json()
    assert answer["count"] == 2
    assert {value: count for value, (_, count) in facet(answer, "country").items()} == {
        "PK": 1,
        "CN": 1,
    }


def test_a_record_counts_once_under_each_of_its_themes(client, make):
    energy, coal = make.make_theme(slug="energy"), make.make_theme(slug="coal")
    make.make_project().themes.add(energy, coal)
    make.make_project().themes.add(energy)
    make.make_project()
    answer = client.get("/api/v1/projects/").json()
    assert {value: count for value, (_, count) in facet(answer, "theme").items()} == {
        "energy": 2,
        "coal": 1,
    }


def test_records_are_counted_distinct_only_when_a_filter_can_repeat_them(no_page_cache):
    # COUNT(DISTINCT) sorts every row on PostgreSQL (a facet of 95,000 projects by status:
    # 180 ms against 47 ms), so it is kept for the joins that can give a record twice.
    officials = Official.objects.published()
    with CaptureQueriesContext(connection) as by_column:
        facet_counts(officials.filter(country="PK"), F("country"))
    with CaptureQueriesContext(connection) as through_offices:
        facet_counts(officials.filter(appointments__organization__slug="ministry"), F("country"))
    assert "COUNT(DISTINCT" not in by_column.captured_queries[-1]["sql"].upper()
    assert "COUNT(DISTINCT" in through_offices.captured_queries[-1]["sql"].upper()


@pytest.mark.parametrize(
    ("model_label", "group", "repeats"),
    [
        ("projects.Project", F("status"), False),
        ("projects.Project", F("parent__slug"), False),  # a foreign key: one row each
        ("projects.Project", F("themes__slug"), False),  # a many-to-many's unique field
        ("projects.Project", F("themes__name"), True),
        ("projects.Financing", ExtractYear("commitment_date"), False),
        ("meetings.Meeting", F("participations__official__country"), True),  # reverse
    ],
)
def test_a_group_repeats_a_record_only_through_a_relation_to_many_rows(model_label, group, repeats):
    assert group_repeats_records(apps.get_model(model_label), group) is repeats


def test_labels_are_in_the_language_asked_for_and_records_by_their_names(client, make):
    theme = make.make_theme(slug="clean-energy", name="Clean energy", name_zh_hans="清洁能源")
    draft_theme = make.make_theme(slug="draft-theme", publication_status="draft")
    meeting = make.make_meeting(date="2024-05-01")
    meeting.themes.add(theme, draft_theme)
    answer = client.get("/api/v1/meetings/?lang=zh-hans").json()
    assert facet(answer, "theme") == {"clean-energy": ("清洁能源", 1)}
    assert facet(answer, "year") == {"2024": ("2024", 1)}


def test_drafts_are_never_counted(client, make):
    make.make_official(country="PK")
    make.make_official(country="FR", publication_status="draft")
    answer = client.get("/api/v1/officials/").json()
    assert facet(answer, "country") == {"PK": ("Pakistan", 1)}


def test_a_repeat_request_counts_nothing_again(client, make):
    for sector in ("energy", "transport", "energy"):
        make.make_project(sector=sector)
    url = "/api/v1/projects/?sector=energy&page_size=1"
    client.get(url)
    # Another page of the same list: its rows are read, its counts are not.
    with CaptureQueriesContext(connection) as queries:
        client.get(url + "&page=2")
    counting = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counting == []


def test_facets_false_leaves_them_out_and_other_values_are_refused(client, make):
    make.make_project()
    assert "facets" not in client.get("/api/v1/projects/?facets=false").json()
    assert "facets" in client.get("/api/v1/projects/?facets=true").json()
    refused = client.get("/api/v1/projects/?facets=0")
    assert refused.status_code == 400
    assert "facets" in refused.json()["errors"]


@pytest.mark.parametrize("rows", [3, 30])
def test_a_list_with_facets_runs_a_bounded_number_of_queries(
    client, make, rows, django_assert_max_num_queries
):
    for index in range(rows):
        financing = make.make_financing(
            lender=make.make_organization(),
            currency=["CNY", "USD", "PKR"][index % 3],
            instrument=["grant", "commercial_loan"][index % 2],
        )
        financing.project.themes.add(make.make_theme())
    # The list's count and rows, and one grouped count per faceted filter (with the names of
    # the records a record filter offers): the same with 3 rows as with 30.
    with django_assert_max_num_queries(16):
        answer = client.get("/api/v1/financing/?page_size=100").json()
    assert sum(count for _, count in facet(answer, "instrument").values()) == rows
    assert len(facet(answer, "lender")) == rows
    with django_assert_max_num_queries(16):
        client.get("/api/v1/projects/?page_size=100")


def test_the_schema_describes_facets_and_their_parameter(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/projects/"]["get"]
    assert any(parameter["name"] == "facets" for parameter in operation["parameters"])
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    if "$ref" in response:
        response = schema["components"]["schemas"][response["$ref"].rsplit("/", 1)[1]]
    assert "facets" in response["properties"]


@pytest.mark.parametrize("collection", registry.collections())
def test_every_list_with_its_facets_stays_within_its_bound(
    client, seeded, collection, django_assert_max_num_queries
):
    viewset = registry.collections()[collection]
    faceted = [
        name
        for name, filter_ in viewset.filterset_class.base_filters.items()
        if facet_group(filter_)
    ]
    # The list's three, then for each faceted filter its grouped count and, for a record
    # filter, the names of the records it offers; counted once per table version.
    with django_assert_max_num_queries(3 + 2 * len(faceted)):
        answer = client.get(f"/api/v1/{collection}/").json()
    assert sorted(answer["facets"]) == sorted(faceted)
    with django_assert_max_num_queries(3):
        client.get(f"/api/v1/{collection}/?page_size=3")
