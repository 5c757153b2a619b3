"""Financing from article text: a sentence naming a lender and an amount proposes a financing
record (lender, amount with its ISO code, the instrument from explicit words), which an editor
adds to a project from the reading view, cited by the sentence: proposed for review on a
published project, never public before a second editor approves it."""

import html
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from cpec_tracker.intake.suggestions import suggest_text
from cpec_tracker.intake.suggestions.financing import instrument_of, status_of
from cpec_tracker.records.models import PublicationStatus
from projects.models import Financing
from tests.cpec_tracker.test_draft_walk import ENTRY_POINTS, walk

pytestmark = pytest.mark.django_db

ML1 = "The China Development Bank will lend $1.5 billion for the ML-1 railway upgrade."


@pytest.fixture
def cdb(make):
    return make.make_organization(
        slug="china-development-bank", name="China Development Bank", short_name="CDB", kind="other"
    )


@pytest.fixture
def ml1(make):
    return make.make_project(slug="ml-1", title="ML-1 railway upgrade")


def key(record):
    return f"{record._meta.label_lower}:{record.pk}"


def add_financing(client, source, project, sentence=0, **extra):
    url = reverse("admin:cpec_tracker_source_financing_from_quote", args=[source.pk])
    payload = {"sentence": sentence, "record": key(project), **extra}
    return client.post(url, json.dumps(payload), content_type="application/json")


def proposals(text):
    return [
        (p.lender, p.lender_pk is not None, p.amount, p.currency, p.instrument, p.status)
        for p in suggest_text(text).financing
    ]


def test_a_sentence_naming_a_known_lender_and_an_amount_proposes_financing(cdb, ml1):
    (proposal,) = suggest_text(ML1).financing
    assert (proposal.lender, proposal.lender_pk) == ("China Development Bank", cdb.pk)
    assert (proposal.amount, proposal.currency) == (Decimal(1500000000), "USD")
    assert (proposal.instrument, proposal.status) == ("loan", "pledged")
    assert proposal.project_pk == ml1.pk
    assert proposal.amount_usd == Decimal(1500000000)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The Silk Road Fund signed an equity investment of 1.5 billion yuan in the plant.",
            ("Silk Road Fund", False, Decimal(1500000000), "CNY", "equity", "committed"),
        ),
        (
            "The Export-Import Bank of China disbursed a concessional loan of Rs 58bn.",
            ("Export-Import Bank of China", False, Decimal(58000000000), "PKR",
             "concessional_loan", "disbursed"),
        ),
        (
            "China Development Bank gave a grant of Rs 3.5 crore to the school.",
            ("China Development Bank", True, Decimal(35000000), "PKR", "grant", "pledged"),
        ),
        (
            "China Development Bank will provide an interest-free loan of RMB 300 million.",
            ("China Development Bank", True, Decimal(300000000), "CNY", "interest_free_loan",
             "pledged"),
        ),
        (
            "China Development Bank will finance $2 billion of the work.",
            ("China Development Bank", True, Decimal(2000000000), "USD", "other", "pledged"),
        ),
    ],
)  # fmt: skip
def test_instrument_and_status_come_from_explicit_words(cdb, sentence, expected):
    assert proposals(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        # An amount, but no lender.
        "The government will spend $1.5 billion on the ML-1 railway upgrade.",
        # A lender, but no amount of money.
        "China Development Bank will lend 1,200 MW worth of support.",
        # A lender and an amount, but nothing lent: profits, not financing.
        "China Development Bank reported profits of $5 billion last year.",
        # A currency nobody can name.
        "China Development Bank will lend 10 million taka.",
        # A year and a percentage are no amounts.
        "China Development Bank will lend 5 percent more in 2025.",
    ],
)
def test_no_financing_without_a_lender_an_amount_and_words_of_lending(cdb, sentence):
    assert suggest_text(sentence).financing == []


def test_a_known_lender_without_a_lenders_name_is_recognised(make):
    ministry = make.make_organization(name="Ministry of Commerce of China", kind="ministry")
    text = "The Ministry of Commerce of China will grant $50 million to the project."
    assert suggest_text(text).financing == []  # a ministry is no lender by its name
    make.make_financing(lender=ministry)
    assert proposals(text) == [
        ("Ministry of Commerce of China", True, Decimal(50000000), "USD", "grant", "pledged")
    ]


def test_a_usd_equivalent_in_brackets_is_the_stated_amount_in_us_dollars(cdb):
    (proposal,) = suggest_text(
        "China Development Bank signed a loan of 1.5 billion yuan ($210 million) for it."
    ).financing
    assert (proposal.amount, proposal.currency) == (Decimal(1500000000), "CNY")
    assert proposal.amount_usd == Decimal(210000000)


def test_words_that_name_no_instrument_or_status_propose_other_and_pledged():
    assert instrument_of("The bank will support the project.") == "other"
    assert status_of("The bank will support the project.") == "pledged"
    assert instrument_of("A buyer's credit from Exim Bank.") == "buyers_suppliers_credit"
    assert instrument_of("An export credit from Sinosure.") == "export_credit"


def test_a_key_figure_of_money_is_a_cost_with_its_iso_code(editor_client, seeded, make):
    project = make.make_project(publication_status=PublicationStatus.DRAFT)
    source = make.make_source(
        publication_status=PublicationStatus.DRAFT, text="The upgrade will cost £1.2bn in all."
    )
    response = editor_client.post(
        reverse("admin:cpec_tracker_source_figure_from_quote", args=[source.pk]),
        json.dumps({"sentence": 0, "record": key(project)}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    figure = project.key_figures.get()
    assert (figure.kind, figure.value, figure.unit) == ("cost", Decimal(1200000000), "GBP")


def test_the_reading_view_shows_the_proposal_and_offers_add_financing(
    editor_client, seeded, make, cdb, ml1, django_assert_max_num_queries
):
    source = make.make_source(publication_status=PublicationStatus.DRAFT, text=ML1)
    url = reverse("admin:cpec_tracker_source_read", args=[source.pk])
    with django_assert_max_num_queries(30):
        page = editor_client.get(url, {"sentence": 0, "record": key(ml1)})
    body = html.unescape(page.content.decode())
    assert "Proposed financing: China Development Bank: 1,500,000,000 USD" in body
    assert "(loan, terms not stated, pledged)" in body
    assert reverse("admin:cpec_tracker_source_financing_from_quote", args=[source.pk]) in body


def test_on_a_draft_project_the_financing_row_is_added_at_once_and_cited(
    editor_client, seeded, make, cdb, django_assert_max_num_queries
):
    project = make.make_project(publication_status=PublicationStatus.DRAFT)
    source = make.make_source(publication_status=PublicationStatus.DRAFT, text=ML1)
    # Financing's seven check constraints are validated with a query each (full_clean).
    with django_assert_max_num_queries(55):
        response = add_financing(editor_client, source, project)
    assert response.status_code == 200, response.content
    row = project.financing.get()
    assert (row.lender, row.amount, row.currency) == (cdb, Decimal(1500000000), "USD")
    assert (row.instrument, row.status) == ("loan", "pledged")
    assert (row.amount_usd, row.usd_basis) == (Decimal(1500000000), "stated")
    # Terms the sentence does not give stay "not known", never 0.
    assert row.interest_rate is None and row.maturity_years is None
    assert row.commitment_date is None
    citation = row.citations.get()
    assert citation.quote == ML1
    assert set(citation.fields) == {"lender", "amount", "currency", "instrument"}


def test_the_editor_may_choose_the_instrument(editor_client, seeded, make, cdb):
    project = make.make_project(publication_status=PublicationStatus.DRAFT)
    source = make.make_source(publication_status=PublicationStatus.DRAFT, text=ML1)
    bad = add_financing(editor_client, source, project, instrument="gift")
    assert bad.status_code == 400
    response = add_financing(editor_client, source, project, instrument="concessional_loan")
    assert response.status_code == 200, response.content
    row = project.financing.get()
    assert row.instrument == "concessional_loan"
    assert "instrument" not in row.citations.get().fields  # the editor's choice, not the quote's


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("The government will spend $1.5 billion on it.", "No lender is marked"),
        ("China Development Bank will lend more.", "No amount is marked"),
        (
            "China Development Bank will lend $1.5 billion and Rs 58bn.",
            "select the words of the amount",
        ),
        (
            "The Bank of Zorbistan will lend $1.5 billion.",
            "“Bank of Zorbistan” is not in the tracker yet",
        ),
    ],
)
def test_a_quote_without_one_known_lender_and_one_amount_is_refused_clearly(
    editor_client, seeded, make, cdb, text, message
):
    project = make.make_project(publication_status=PublicationStatus.DRAFT)
    source = make.make_source(publication_status=PublicationStatus.DRAFT, text=text)
    response = add_financing(editor_client, source, project)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert not project.financing.exists()


def test_on_a_published_project_financing_waits_for_review_and_is_public_only_after(
    client, editor_client, seeded, make, cdb
):
    """The draft walk: a proposed financing row is on no public page, feed, API answer or
    search until a second editor approves it."""
    project = make.make_project(slug="ml-1-upgrade", title="ML-1 railway upgrade")
    make.make_citation(project)
    text = "China Development Bank will lend $7,654,321 for the ML-1 railway upgrade."
    source = make.make_source(publication_status=PublicationStatus.DRAFT, text=text)
    response = add_financing(editor_client, source, project)
    assert response.status_code == 200, response.content
    assert response.json()["pending_change"]
    assert not Financing.objects.exists()
    entry_points = [*ENTRY_POINTS, "/projects/ml-1-upgrade/", "/api/v1/projects/ml-1-upgrade/"]
    for url, page in walk(client, entry_points=entry_points):
        assert page.status_code < 500, url
        if not page.streaming:
            body = html.unescape(page.content.decode(errors="replace"))
            assert "7,654,321" not in body and "7654321" not in body, url

    make.approve_pending_changes()
    row = Financing.objects.get()
    assert (row.project, row.lender, row.amount) == (project, cdb, Decimal(7654321))
    assert row.citations.get().source == source
    page = client.get("/projects/ml-1-upgrade/")
    assert "7,654,321" in page.content.decode()


def test_proposals_are_plain_data_as_suggest_json_prints_them(cdb):
    (data,) = suggest_text(ML1).as_json()["financing"]
    assert (data["amount"], data["currency"], data["instrument"]) == ("1500000000", "USD", "loan")
    assert data["lender_pk"] == cdb.pk


def test_an_amount_with_its_usd_equivalent_in_brackets_keeps_both_as_stated(
    editor_client, seeded, make, cdb
):
    project = make.make_project(publication_status=PublicationStatus.DRAFT)
    text = "China Development Bank signed a loan of 1.5 billion yuan ($210 million) for it."
    source = make.make_source(publication_status=PublicationStatus.DRAFT, text=text)
    response = add_financing(editor_client, source, project)
    assert response.status_code == 200, response.content
    row = project.financing.get()
    assert (row.amount, row.currency, row.status) == (Decimal(1500000000), "CNY", "committed")
    assert (row.amount_usd, row.usd_basis, row.usd_rate) == (Decimal(210000000), "stated", None)
    assert "amount_usd" in row.citations.get().fields
