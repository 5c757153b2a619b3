"""The projects app's kinds of record: projects, their figures, milestones, roles, financing
and locations."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from cpec_tracker.records.registry import ChoiceSet, Pages, RecordKind, Search, register
from projects.models import (
    FigureKind,
    Financing,
    FinancingStatus,
    Instrument,
    KeyFigure,
    Location,
    LocationPrecision,
    Milestone,
    MilestoneKind,
    PlaceCountry,
    Project,
    ProjectKind,
    ProjectRole,
    ProjectStatus,
    Province,
    Role,
    Sector,
    UsdBasis,
)

PROJECT_STATUSES = ChoiceSet(
    ProjectStatus,
    {
        "announced": _(
            "Publicly reported or described in plans, but not yet moving forward: no permits "
            "applied for, no land, materials or financing sought (GEM: announced)."
        ),
        "planned": _(
            "Actively moving forward: seeking government approvals, land rights or financing "
            "(GEM: pre-construction)."
        ),
        "under_construction": _(
            "Physical construction has begun — equipment or buildings, not just a "
            "groundbreaking ceremony or site clearing (GEM: construction)."
        ),
        "operational": _("Formally commissioned; commercial operation has begun (GEM: operating)."),
        "completed": _(
            "Construction finished and handed over, for works that do not “operate” as a "
            "plant does (a road section, a building, a programme's phase). GEM has no such "
            "status; for a plant, read operational."
        ),
        "suspended": _(
            "No longer moving forward, or construction put on hold, without enough evidence "
            "that it is cancelled (GEM: shelved). The tracker records it when a source says so."
        ),
        "cancelled": _(
            "Cancelled by its owner or government, as a source states (GEM: cancelled). The "
            "tracker does not infer a cancellation from years of silence, as GEM does."
        ),
    },
)

PROJECT_KINDS = ChoiceSet(
    ProjectKind,
    {
        "programme": _("An umbrella of projects, such as CPEC 2.0; its parts name it as parent."),
        "project": _("A single undertaking: a plant, a road, a port, a zone."),
        "facility": _("A facility or fund that finances or serves other projects."),
    },
)

SECTORS = ChoiceSet(
    Sector,
    {
        "energy": _("Power generation, transmission, and fuels."),
        "transport": _("Roads, railways, ports, airports and other connectivity."),
        "industry": _("Industrial cooperation and special economic zones."),
        "agriculture": _("Agriculture, livestock and fisheries."),
        "social": _("Education, health, poverty alleviation and livelihoods."),
        "ict": _("Telecommunications, fibre and information technology."),
        "water": _("Water supply, dams for water and irrigation."),
        "multi_sector": _("Spans several sectors (programmes, mostly)."),
    },
)

PROVINCES = ChoiceSet(
    Province,
    {
        "balochistan": _("Balochistan province (Gwadar, Quetta)."),
        "khyber_pakhtunkhwa": _("Khyber Pakhtunkhwa province."),
        "punjab": _("Punjab province."),
        "sindh": _("Sindh province."),
        "gilgit_baltistan": _("Gilgit-Baltistan (Khunjerab Pass, the Karakoram Highway)."),
        "azad_kashmir": _("Azad Jammu and Kashmir."),
        "islamabad": _("Islamabad Capital Territory."),
        "several": _("Located in more than one province."),
    },
)

FIGURE_KINDS = ChoiceSet(
    FigureKind,
    {
        "capacity": _("What it can produce or carry: megawatts, tonnes, containers."),
        "cost": _("What it costs, in the currency given as the unit."),
        "jobs": _("Jobs created or expected."),
        "length": _("Length of a road, railway, line or pipeline."),
        "other": _("Any other figure; the unit says what is counted."),
    },
)

MILESTONE_KINDS = ChoiceSet(
    MilestoneKind,
    {
        "agreement": _("An agreement, MoU or contract signed for the project."),
        "groundbreaking": _("The groundbreaking ceremony."),
        "construction_start": _("Physical construction began."),
        "opening": _("Opened or commissioned: operation began."),
        "completion": _("Construction finished."),
        "suspension": _("Work was suspended or the project shelved."),
        "other": _("Any other step."),
    },
)

ROLES = ChoiceSet(
    Role,
    {
        "sponsor": _("Owns or promotes the project."),
        "financier": _("Lends to or invests in the project."),
        "developer": _("Develops the project for its sponsors."),
        "contractor": _("Builds the project, or a part of it."),
        "operator": _("Runs the project once built."),
        "government_agency": _("Approves, oversees or carries out the project for a government."),
        "other": _("Any other part in the project."),
    },
    enum_name="ProjectRoleEnum",
)

# AidData's flow types (Global Chinese Development Finance, version 3) where one matches.
INSTRUMENTS = ChoiceSet(
    Instrument,
    {
        "concessional_loan": _(
            "A loan on softer terms than the market's: a lower rate, a longer maturity or grace "
            "period, such as a government concessional loan (AidData: loan, concessional)."
        ),
        "commercial_loan": _(
            "A loan at or near market terms from a bank or company, often a syndicate "
            "(AidData: loan, non-concessional)."
        ),
        "export_credit": _(
            "A loan or insurance from an export credit agency to finance exports of the "
            "lender's country (AidData: export seller's credit)."
        ),
        "buyers_suppliers_credit": _(
            "A credit to the buyer of goods or services (buyer's credit) or to their supplier "
            "(supplier's credit), typically from an export-import bank (AidData: export "
            "buyer's credit; export seller's credit)."
        ),
        "grant": _("Money given, not to be repaid (AidData: grant)."),
        "equity": _(
            "A share of ownership bought in the project or its company (AidData: equity "
            "investment)."
        ),
        "interest_free_loan": _(
            "A loan carrying no interest, usually from a government (AidData: loan, interest-free)."
        ),
        "loan": _(
            "A loan whose source does not say whether it is concessional, commercial or "
            "interest-free (AidData: loan, concessionality vague)."
        ),
        "other": _(
            "Any other financing: a deposit, a currency swap, debt relief, technical "
            "assistance, in-kind goods (AidData: the flow types not listed above)."
        ),
    },
)

FINANCING_STATUSES = ChoiceSet(
    FinancingStatus,
    {
        "pledged": _("Promised in public, without a signed agreement (AidData: pledge)."),
        "committed": _(
            "Agreed in a signed loan, grant or investment agreement (AidData: commitment)."
        ),
        "disbursed": _("Paid out, at least in part (AidData: implementation or completion)."),
        "cancelled": _(
            "Withdrawn or cancelled, as a source states; not counted in totals (AidData: "
            "cancelled or suspended)."
        ),
    },
    enum_name="FinancingStatusEnum",
)

USD_BASES = ChoiceSet(
    UsdBasis,
    {
        "stated": _("The source states the amount in US dollars."),
        "converted": _(
            "An editor converted the amount at the rate given in the row, and cited the rate."
        ),
    },
)

# AidData's precision codes (1 exact, 2 near, 3 district, 4 province, 6 country) and Global
# Energy Monitor's exact / approximate.
LOCATION_PRECISIONS = ChoiceSet(
    LocationPrecision,
    {
        "exact": _("The site itself, as the source places it (AidData 1; GEM: exact)."),
        "near": _(
            "Near the site: within about 25 km, such as a named village or landmark beside it "
            "(AidData 2; GEM: approximate)."
        ),
        "city": _(
            "The city or district the source names; the point is the city's, not the site's "
            "(AidData 3)."
        ),
        "province": _("Only the province is known (AidData 4)."),
        "country": _("Only the country is known (AidData 6)."),
    },
)

PLACE_COUNTRIES = ChoiceSet(
    PlaceCountry,
    {
        "PK": _("Pakistan (ISO 3166 PK), Gilgit-Baltistan and Azad Jammu and Kashmir included."),
        "CN": _("China (ISO 3166 CN)."),
    },
)


register(
    RecordKind(
        Project,
        name="projects",
        label=pgettext_lazy("kind of record", "project"),
        viewset="projects.api.ProjectViewSet",
        pages=Pages(
            list="projects.views.ProjectListView", detail="projects.views.ProjectDetailView"
        ),
        position=3,
        api_position=3,
        in_feed=True,
        search=Search(
            title=_("Projects"),
            all_matching=_("All projects matching “{query}”"),
            none_match=_("No projects match."),
            related=("key_figures", "milestones", "roles__organization"),
            status_field="status",
        ),
        home_count=ngettext_lazy(
            "<strong>%(counter)s</strong> project",
            "<strong>%(counter)s</strong> projects",
            "counter",
        ),
        field_labels={
            "title": pgettext_lazy("name of a project", "Title"),
            "parent": pgettext_lazy("programme a project is part of", "Parent"),
            "sector": _("Sector"),
            "subsector": _("Subsector"),
            "province": _("Province"),
            "location": _("Location"),
            "meetings": _("Meetings"),
        },
        choice_sets=(
            PROJECT_STATUSES,
            PROJECT_KINDS,
            SECTORS,
            PROVINCES,
        ),
    ),
    RecordKind(
        KeyFigure,
        name="key_figures",
        label=pgettext_lazy("kind of record", "key figure"),
        seed_key=("project", "kind", "unit"),
        field_labels={
            "project": _("Project"),
            "kind": pgettext_lazy("what a key figure measures", "Kind"),
            "value": _("Value"),
            "unit": _("Unit"),
            "as_of": _("As of"),
        },
        choice_sets=(FIGURE_KINDS,),
    ),
    RecordKind(
        Milestone,
        name="milestones",
        label=pgettext_lazy("kind of record", "milestone"),
        seed_key=("project", "kind"),
        field_labels={"status_after": _("Status after")},
        choice_sets=(MILESTONE_KINDS,),
    ),
    RecordKind(
        ProjectRole,
        name="project_roles",
        label=pgettext_lazy("kind of record", "project role"),
        seed_key=("project", "organization", "role"),
        choice_sets=(ROLES,),
    ),
    RecordKind(
        Financing,
        name="financing",
        label=pgettext_lazy("kind of record", "financing"),
        seed_key=("project", "lender", "instrument", "currency", "amount"),
        viewset="projects.api.FinancingViewSet",
        pages=Pages(
            list="projects.views.FinancingListView", detail="projects.views.FinancingDetailView"
        ),
        position=7,
        api_position=7,
        home_count=ngettext_lazy(
            "<strong>%(counter)s</strong> financing commitment",
            "<strong>%(counter)s</strong> financing commitments",
            "counter",
        ),
        field_labels={
            "lender": _("Lender"),
            "borrower": _("Borrower"),
            "guarantor": _("Guarantor"),
            "instrument": _("Instrument"),
            "amount": _("Amount"),
            "currency": _("Currency"),
            "amount_usd": _("Amount in US dollars"),
            "usd_basis": _("US dollars from"),
            "usd_rate": _("Rate to US dollars"),
            "pledge_date": _("Pledged on"),
            "commitment_date": _("Committed on"),
            "disbursement_date": _("Disbursed on"),
            "interest_rate": _("Interest rate"),
            "maturity_years": _("Maturity"),
            "grace_period_years": _("Grace period"),
            "fees": _("Fees"),
            "collateral": _("Collateral"),
        },
        choice_sets=(INSTRUMENTS, FINANCING_STATUSES, USD_BASES),
    ),
    RecordKind(
        Location,
        name="locations",
        label=pgettext_lazy("kind of record", "location"),
        seed_key=("project", "place_name"),
        field_labels={
            "place_name": _("Place"),
            "precision": pgettext_lazy("how precisely a place is known", "Precision"),
            "country": pgettext_lazy("country a place is in", "Country"),
            "longitude": _("Longitude"),
            "latitude": _("Latitude"),
            "geometry": _("Geometry"),
        },
        choice_sets=(LOCATION_PRECISIONS, PLACE_COUNTRIES),
    ),
)
