"""Financing: one commitment a row, every field validated, shown only while its project and
lender are published, with totals that never mix in a row whose amount in US dollars is not
known."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cpec_tracker.editing.models import PendingChange
from projects.models import Financing, FinancingTotals
from tests.admin_forms import change_form_data
from tests.pages import queries_for, text_of

pytestmark = pytest.mark.django_db


def unsaved(make, **fields):
    values = {
        "project": make.make_project(),
        "lender": make.make_organization(),
        "instrument": "commercial_loan",
        "amount": Decimal("2890000000"),
        "currency": "CNY",
        "status": "committed",
        **fields,
    }
    return Financing(**values)


def errors_of(row):
    with pytest.raises(ValidationError) as raised:
        row.full_clean()
    return raised.value.message_dict


# Validation, field by field.


@pytest.mark.parametrize("code", ["XYZ", "US", "usd", "€", "DOLLARS"])
def test_a_currency_that_is_not_an_iso_4217_code_is_refused(make, code):
    assert "currency" in errors_of(unsaved(make, currency=code))


@pytest.mark.parametrize("code", ["USD", "CNY", "PKR", "EUR"])
def test_iso_4217_currencies_are_accepted(make, code):
    unsaved(make, currency=code).full_clean()


@pytest.mark.parametrize("amount", [Decimal("-1"), Decimal("0")])
def test_an_amount_must_be_more_than_zero(make, amount):
    assert "amount" in errors_of(unsaved(make, amount=amount))


def test_the_database_refuses_a_negative_amount_too(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        unsaved(make, amount=Decimal("-5")).save()


@pytest.mark.parametrize("rate", [Decimal("100.01"), Decimal("-0.5"), Decimal("250")])
def test_an_interest_rate_is_a_percentage_from_0_to_100(make, rate):
    assert "interest_rate" in errors_of(unsaved(make, interest_rate=rate))


def test_the_database_refuses_a_rate_over_100_percent_too(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        unsaved(make, interest_rate=Decimal("120")).save()


def test_a_zero_interest_rate_is_known_and_kept_apart_from_not_known(make):
    known = unsaved(make, instrument="interest_free_loan", interest_rate=Decimal("0"))
    known.full_clean()
    known.save()
    unknown = make.make_financing()
    assert Financing.objects.get(pk=known.pk).interest_rate == 0
    assert Financing.objects.get(pk=unknown.pk).interest_rate is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("maturity_years", Decimal("0")),
        ("maturity_years", Decimal("-3")),
        ("grace_period_years", Decimal("-1")),
    ],
)
def test_maturity_and_grace_period_are_not_negative_and_maturity_not_zero(make, field, value):
    assert field in errors_of(unsaved(make, **{field: value}))


def test_an_amount_in_us_dollars_says_where_it_comes_from(make):
    assert "usd_basis" in errors_of(unsaved(make, amount_usd=Decimal("400000000")))


def test_a_converted_amount_needs_its_rate_and_is_computed_from_it(make):
    assert "usd_rate" in errors_of(unsaved(make, usd_basis="converted"))
    row = unsaved(make, amount=Decimal("1000"), usd_basis="converted", usd_rate=Decimal("0.1378"))
    row.full_clean()
    assert row.amount_usd == Decimal("137.80")


def test_a_stated_amount_in_us_dollars_must_be_given(make):
    assert "amount_usd" in errors_of(unsaved(make, usd_basis="stated"))


def test_an_amount_in_dollars_is_its_own_amount_in_us_dollars(make):
    row = unsaved(make, currency="USD", amount=Decimal("2890000000"))
    row.full_clean()
    assert (row.amount_usd, row.usd_basis) == (Decimal("2890000000"), "stated")


def test_the_database_refuses_an_amount_in_us_dollars_with_no_basis(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        unsaved(make, amount_usd=Decimal("10")).save()


def test_dates_keep_only_their_known_precision(make):
    row = unsaved(
        make,
        commitment_date=datetime.date(2024, 12, 19),
        commitment_date_precision="month",
        pledge_date=datetime.date(2023, 6, 30),
        pledge_date_precision="year",
    )
    row.full_clean()
    assert row.commitment_date == datetime.date(2024, 12, 1)
    assert row.pledge_date == datetime.date(2023, 1, 1)
    assert row.commitment_date_display == "December 2024"
    assert row.year == 2024


# Totals.


def test_a_usd_total_counts_only_rows_with_an_amount_in_us_dollars_and_says_how_many_it_left_out(
    make,
):
    project = make.make_project()
    make.make_financing(
        project,
        currency="USD",
        amount=Decimal("100"),
        amount_usd=Decimal("100"),
        usd_basis="stated",
    )
    make.make_financing(
        project,
        currency="CNY",
        amount=Decimal("700"),
        amount_usd=Decimal("98.50"),
        usd_basis="converted",
        usd_rate=Decimal("0.1407142857"),
    )
    make.make_financing(project, currency="CNY", amount=Decimal("300"))
    make.make_financing(project, currency="PKR", amount=Decimal("5000"), status="cancelled")
    rows = list(Financing.objects.filter(project=project))

    for totals in (
        FinancingTotals.of_rows(rows),
        FinancingTotals.of_queryset(Financing.objects.filter(project=project)),
    ):
        assert totals.usd == Decimal("198.50")
        assert (totals.usd_rows, totals.usd_left_out) == (2, 1)
        assert [(code, total, count) for code, total, count in totals.by_currency] == [
            ("CNY", Decimal("1000"), 2),
            ("USD", Decimal("100"), 1),
        ]


def test_with_no_amount_in_us_dollars_there_is_no_usd_total_rather_than_zero(make):
    totals = FinancingTotals.of_rows([make.make_financing()])
    assert totals.usd is None and totals.usd_left_out == 1


def test_totals_are_summed_once_per_version_of_their_tables_and_again_after_a_change(
    make, django_assert_num_queries
):
    project = make.make_project()
    make.make_financing(project, currency="CNY", amount=Decimal("700"))
    rows = Financing.objects.filter(project=project)
    # The first sum reads the table versions and sums in one grouped query; the next reads
    # only the versions.
    with django_assert_num_queries(2):
        assert FinancingTotals.of_queryset(rows).by_currency == [("CNY", Decimal("700"), 1)]
    with django_assert_num_queries(1):
        assert FinancingTotals.of_queryset(rows).by_currency == [("CNY", Decimal("700"), 1)]

    make.make_financing(project, currency="CNY", amount=Decimal("300"))
    assert FinancingTotals.of_queryset(rows).by_currency == [("CNY", Decimal("1000"), 2)]


# Public pages and the API.


@pytest.fixture
def financed(make):
    """A published project with two commitments; a draft project with one; a draft lender's."""
    bank = make.make_organization(slug="china-development-bank", name="China Development Bank")
    project = make.make_project(slug="karot-hydropower", title="Karot Hydropower", sector="energy")
    loan = make.make_financing(
        project,
        bank,
        amount=Decimal("1420000000"),
        currency="USD",
        amount_usd=Decimal("1420000000"),
        usd_basis="stated",
        commitment_date=datetime.date(2016, 1, 1),
        commitment_date_precision="year",
        interest_rate=Decimal("4.5"),
    )
    make.make_citation(loan, fields=["amount", "currency"])
    make.make_financing(
        project, bank, amount=Decimal("300000000"), currency="CNY", instrument="export_credit"
    )
    draft_project = make.make_project(
        slug="zorblax-dam", title="Zorblax Dam", publication_status="draft"
    )
    make.make_financing(
        draft_project,
        bank,
        amount=Decimal("777000001"),
        currency="USD",
        amount_usd=Decimal("777000001"),
        usd_basis="stated",
    )
    draft_bank = make.make_organization(
        slug="zorblax-bank", name="Zorblax Bank", publication_status="draft"
    )
    make.make_financing(project, draft_bank, amount=Decimal("888000001"), currency="EUR")
    return loan


def test_the_project_page_shows_its_financing_with_totals_and_unknowns_as_not_known(
    client, financed
):
    text = text_of(client.get("/projects/karot-hydropower/"))
    assert "China Development Bank" in text
    assert "1,420,000,000 USD" in text and "300,000,000 CNY" in text
    assert "In US dollars: 1,420,000,000 USD, leaving out 1 commitment" in text
    assert "Interest: 4.5 %" in text and "not known" in text
    assert "Zorblax" not in text and "888,000,001" not in text


def test_the_lenders_page_lists_its_commitments_of_published_projects_with_totals(client, financed):
    text = text_of(client.get("/organizations/china-development-bank/"))
    assert "Financing it provides" in text and "Karot Hydropower" in text
    assert "1,420,000,000 USD (1 commitment)" in text
    assert "Zorblax" not in text and "777,000,001" not in text


def test_the_financing_list_filters_and_leaves_drafts_out(client, financed):
    text = text_of(client.get("/financing/"))
    assert "2 commitments" in text and "Zorblax" not in text
    for query in (
        "lender=china-development-bank&instrument=export_credit",
        "currency=CNY",
        "sector=energy&status=committed&instrument=export_credit",
    ):
        text = text_of(client.get(f"/financing/?{query}"))
        assert "1 commitment" in text and "300,000,000 CNY" in text, query
    text = text_of(client.get("/financing/?year=2016&project=karot-hydropower"))
    assert "1 commitment" in text and "1,420,000,000" in text


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("currency=XYZ", "currency"),
        ("year=99999", "year"),
        ("lender=zorblax-bank", "lender"),
        ("project=zorblax-dam", "project"),
        ("instrument=gift", "instrument"),
    ],
)
def test_a_bad_financing_filter_is_a_400_naming_it(client, financed, query, parameter):
    response = client.get(f"/financing/?{query}")
    assert response.status_code == 400 and f"<code>{parameter}</code>" in text_of(response)
    # The API answers a slug no published record has with a 404, as every collection does.
    api = client.get(f"/api/v1/financing/?{query}")
    assert api.status_code in (400, 404) and parameter in api.json()["errors"]


def test_a_commitments_page_shows_every_term_and_its_citation(client, financed):
    response = client.get(financed.get_absolute_url())
    text = text_of(response)
    assert "Karot Hydropower" in text and "4.5 %" in text and "Maturity" in text
    assert "The two sides met in Beijing." in text  # its citation, as a footnote


@pytest.mark.parametrize(
    "path", ["/financing/abc/", "/financing/99999999/", "/financing/123456789012345678901/"]
)
def test_a_commitment_that_is_not_one_is_a_404(client, financed, path):
    assert client.get(path).status_code == 404


def test_a_missing_commitment_in_the_api_names_its_id(client, financed):
    answer = client.get("/api/v1/financing/99999/")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "No published financing has the id “99999”."


def test_a_draft_projects_commitment_has_no_page_nor_api_answer(client, financed):
    hidden = Financing.objects.get(amount=Decimal("777000001"))
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/financing/{hidden.pk}/").status_code == 404


def test_the_api_lists_financing_with_the_same_filters_as_csv_and_json_lines(client, financed):
    answer = client.get("/api/v1/financing/?currency=USD").json()
    assert answer["count"] == 1
    item = answer["results"][0]
    assert item["amount"] == "1420000000.00" and item["amount_usd"] == "1420000000.00"
    assert item["interest_rate"] == "4.5000" and item["maturity_years"] is None
    assert item["lender"]["slug"] == "china-development-bank"
    assert item["commitment_date_display"] == "2016"
    csv = b"".join(client.get("/api/v1/financing/?format=csv").streaming_content).decode()
    assert csv.count("\n") == 3 and "Zorblax" not in csv and "zorblax" not in csv
    lines = (
        b"".join(
            client.get(
                "/api/v1/financing/?format=jsonl&lender=china-development-bank"
            ).streaming_content
        )
        .decode()
        .splitlines()
    )
    assert sorted(json.loads(line)["currency"] for line in lines) == ["CNY", "USD"]
    detail = client.get(f"/api/v1/financing/{financed.pk}/").json()
    assert detail["citations"][0]["fields"] == ["amount", "currency"]
    project = client.get("/api/v1/projects/karot-hydropower/").json()
    assert len(project["financing"]) == 2


def test_financing_pages_and_api_read_a_bounded_number_of_queries(
    client, make, financed, no_page_cache, django_assert_max_num_queries
):
    bank = financed.lender
    # The most queries each reads, measured from a cold cache: a list's page, its count and
    # totals, and one grouped count for each filter with choices (instrument, currency, status,
    # sector);
    # a detail and its citations; a project's and a lender's page with everything else.
    bounds = {
        "/financing/": 8,
        "/api/v1/financing/?facets=false": 2,
        # With its facets: one grouped count per filter with choices, and the lenders' and
        # projects' names.
        "/api/v1/financing/": 10,
        f"/api/v1/financing/{financed.pk}/": 4,
        "/projects/karot-hydropower/": 11,
        "/organizations/china-development-bank/": 11,
        financed.get_absolute_url(): 3,
    }
    few = {path: queries_for(client, path) for path in bounds}
    for _ in range(20):
        make.make_citation(
            make.make_financing(financed.project, bank, borrower=make.make_organization())
        )
    assert {path: queries_for(client, path) for path in bounds} == few
    for path, bound in bounds.items():
        with django_assert_max_num_queries(bound):
            assert client.get(path).status_code == 200


# Editors: the review rule covers financing as any other row of a project.


def test_financing_added_to_a_published_project_waits_for_review_then_is_in_changes(
    editor_client, make, client
):
    project = make.make_project(slug="reviewed")
    make.make_citation(project)
    lender = make.make_organization()
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = change_form_data(editor_client.get(url))
    data.update(
        {
            "financing-TOTAL_FORMS": "1",
            "financing-0-lender": str(lender.pk),
            "financing-0-instrument": "grant",
            "financing-0-status": "pledged",
            "financing-0-amount": "5000000",
            "financing-0-currency": "CNY",
            "financing-0-pledge_date_precision": "day",
            "financing-0-commitment_date_precision": "day",
            "financing-0-disbursement_date_precision": "day",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.text[:3000]
    assert not Financing.objects.exists()
    assert PendingChange.objects.pending().count() == 1

    make.approve_pending_changes()

    assert Financing.objects.get(project=project).amount == Decimal("5000000")
    # The approved change is a published state of its project, listed in the changelog.
    changes = text_of(client.get("/changes/"))
    assert project.title in changes and "Approved by a second editor" in changes


def test_a_bad_currency_in_the_admin_is_a_clear_error(editor_client, make):
    project = make.make_project(publication_status="draft")
    lender = make.make_organization()
    url = reverse("admin:projects_financing_add")
    data = change_form_data(editor_client.get(url))
    data.update(
        {
            "project": str(project.pk),
            "lender": str(lender.pk),
            "instrument": "grant",
            "status": "pledged",
            "amount": "-5",
            "currency": "XYZ",
            "interest_rate": "101",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"amount", "currency", "interest_rate"} <= set(errors)
    assert "ISO 4217" in str(errors["currency"])
