"""Projects and programmes, their key figures, timelines and the organizations involved."""

from dataclasses import dataclass
from decimal import Decimal

import moneyed
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from cpec_tracker.caching.pages import stored_per_table_version
from cpec_tracker.records.columns import column_property
from cpec_tracker.records.dates import format_date, truncate_date
from cpec_tracker.records.models import (
    Abbreviated,
    Aliased,
    Organization,
    Record,
    RecordPart,
    Theme,
    aliases_field,
    part_of,
    precision_field,
    published_list_indexes,
    wikidata_id_field,
)
from cpec_tracker.records.names import CHINESE, URDU, Multilingual, translated_field
from cpec_tracker.records.places import (
    check_longitude_latitude,
    outside_country_warning,
    point,
    rounded,
    validate_geometry,
)
from cpec_tracker.web.addresses import slug_reverse
from meetings.models import Meeting


class ProjectKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    PROJECT = "project", _("Project")
    FACILITY = "facility", _("Facility")


class Sector(models.TextChoices):
    ENERGY = "energy", _("Energy")
    TRANSPORT = "transport", _("Transport and connectivity")
    INDUSTRY = "industry", _("Industry and SEZs")
    AGRICULTURE = "agriculture", _("Agriculture")
    SOCIAL = "social", _("Social and livelihood")
    ICT = "ict", _("Information technology")
    WATER = "water", _("Water")
    MULTI_SECTOR = "multi_sector", _("Multi-sector")


class ProjectStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATIONAL = "operational", _("Operational")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class Province(models.TextChoices):
    BALOCHISTAN = "balochistan", _("Balochistan")
    KHYBER_PAKHTUNKHWA = "khyber_pakhtunkhwa", _("Khyber Pakhtunkhwa")
    PUNJAB = "punjab", _("Punjab")
    SINDH = "sindh", _("Sindh")
    GILGIT_BALTISTAN = "gilgit_baltistan", _("Gilgit-Baltistan")
    AZAD_KASHMIR = "azad_kashmir", _("Azad Jammu and Kashmir")
    ISLAMABAD = "islamabad", _("Islamabad Capital Territory")
    SEVERAL = "several", _("Several provinces")


class Project(Multilingual, Aliased, Abbreviated, Record):
    """A CPEC programme, project or facility and where it stands."""

    cited_parts = ("key_figures", "milestones", "roles", "financing", "locations")

    title = models.CharField(
        max_length=300,
        help_text=_("The project's name, as sources give it."),
    )
    title_ur = translated_field(URDU, max_length=300, label="Title")
    title_zh_hans = translated_field(CHINESE, max_length=300, label="Title")
    aliases = aliases_field()
    kind = models.CharField(
        max_length=20,
        choices=ProjectKind.choices,
        help_text=_("Whether it is a programme, a project or a facility."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text=_("The programme this is part of (CPEC 2.0 is the umbrella of its parts)."),
    )
    sector = models.CharField(
        max_length=20,
        choices=Sector.choices,
        blank=True,
        help_text=_("The sector it belongs to."),
    )
    subsector = models.CharField(max_length=100, blank=True, help_text=_("e.g. nuclear power"))
    status = models.CharField(
        max_length=20,
        choices=ProjectStatus.choices,
        help_text=_("Where it stands, as the latest source says."),
    )
    province = models.CharField(
        max_length=20,
        choices=Province.choices,
        blank=True,
        help_text=_("The province of Pakistan where it is."),
    )
    location = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Where it is, more precisely: a city, a district, a route."),
    )
    summary = models.TextField(
        blank=True,
        help_text=_("What it is, in a few sentences."),
    )
    wikidata_id = wikidata_id_field()
    themes = models.ManyToManyField(
        Theme,
        blank=True,
        related_name="projects",
        help_text=_("The themes it belongs to."),
    )
    meetings = models.ManyToManyField(
        Meeting,
        blank=True,
        related_name="projects",
        help_text=_("Meetings where it was discussed."),
    )

    search_fields = ["title", "aliases", "abbreviations", "subsector", "location", "summary"]
    native_search_fields = ["title_ur", "title_zh_hans", "aliases"]
    translated_name = "title"
    name_fields = ("title", "title_ur", "title_zh_hans")
    abbreviated_field = "title"
    _history_m2m_fields = ["themes", "meetings"]

    class Meta:
        ordering = ["title"]
        indexes = published_list_indexes(
            "project",
            ["title"],
            filters=["status", "sector", "province", "kind"],
            orderings=["updated_at"],
        )

    def __str__(self):
        return self.title

    @property
    def status_since_display(self):
        """Since when it has had its status, in words ("March 2024"); read from a queryset
        annotated by `selectors.with_status_since`, empty when the timeline does not say."""
        return format_date(self.status_since, self.status_since_precision)

    @property
    def status_since_milestone(self):
        """The timeline's step that dates the status (its citations are the date's source), from
        the prefetched milestones; None when no step does."""
        wanted = getattr(self, "status_since_milestone_id", None)
        return next((step for step in self.milestones.all() if step.id == wanted), None)


class FigureKind(models.TextChoices):
    CAPACITY = "capacity", _("Capacity")
    COST = "cost", _("Cost")
    JOBS = "jobs", _("Jobs")
    LENGTH = "length", _("Length")
    OTHER = "other", _("Other")


# The units of a power plant's capacity (KeyFigure.get_kind_display).
POWER_UNITS = {"kw", "mw", "gw"}


class KeyFigure(RecordPart):
    """A number about a project (capacity, cost, jobs) with its unit and the date it held."""

    public_through = ("project",)
    # Found by site-wide search: a project by its figures' units (`Search.related`).
    search_fields = ["unit"]

    project = part_of(
        Project, related_name="key_figures", help_text=_("The project the figure is about.")
    )
    kind = models.CharField(
        max_length=20,
        choices=FigureKind.choices,
        help_text=_("What the figure measures."),
    )
    value = models.DecimalField(
        max_digits=20,
        decimal_places=2,
        help_text=_("The number, in the unit given."),
    )
    unit = models.CharField(
        max_length=100, help_text=_("MW, km, USD (the currency for a cost), or what is counted.")
    )
    as_of = models.DateField(help_text=_("The date the figure was given for."))
    as_of_precision = precision_field(
        _("How much of the “as of” date is known: day, month or year.")
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("An editor's note on the figure, not from the source."),
    )

    class Meta:
        ordering = ["project", "kind", "-as_of"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value_display} {self.unit}"

    def get_kind_display(self):
        """What the figure measures, in words; a capacity in watts is a power plant's, which
        Chinese calls by its own name (装机容量, "installed capacity")."""
        if self.kind == FigureKind.CAPACITY and self.unit.strip().lower() in POWER_UNITS:
            return pgettext("installed capacity of a power plant", "Capacity")
        return self._get_FIELD_display(self._meta.get_field("kind"))

    def clean(self):
        self.as_of = truncate_date(self.as_of, self.as_of_precision)

    @property
    def value_display(self):
        """The value with thousands separators and no trailing zeros: "40,000", "1.5"."""
        return decimal_display(self.value)

    @property
    def as_of_display(self):
        return format_date(self.as_of, self.as_of_precision)


class MilestoneKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    GROUNDBREAKING = "groundbreaking", _("Groundbreaking")
    CONSTRUCTION_START = "construction_start", _("Construction start")
    OPENING = "opening", _("Opening")
    COMPLETION = "completion", _("Completion")
    SUSPENSION = "suspension", _("Suspension")
    OTHER = "other", _("Other")


class Milestone(RecordPart):
    """A dated step in a project's timeline, with the project's status after it."""

    public_through = ("project",)
    search_fields = ["description"]

    project = part_of(
        Project, related_name="milestones", help_text=_("The project the step belongs to.")
    )
    kind = models.CharField(
        max_length=20,
        choices=MilestoneKind.choices,
        help_text=_("What kind of step it was."),
    )
    date = models.DateField(null=True, blank=True, help_text=_("Empty when the source gives none."))
    date_precision = precision_field(_("How much of the date is known: day, month or year."))
    description = models.TextField(
        help_text=_("What happened, close to the source's words."),
    )
    status_after = models.CharField(
        max_length=20,
        choices=ProjectStatus.choices,
        blank=True,
        help_text=_("The project's status after this step, if it changed."),
    )

    class Meta:
        ordering = ["project", F("date").asc(nulls_last=True), "id"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.project}"

    def clean(self):
        self.date = truncate_date(self.date, self.date_precision)

    @column_property("date", "date_precision", in_language=True)
    def date_display(date, date_precision, language):
        """The step's date in words, or that it is not given."""
        return format_date(date, date_precision, language) or gettext("Date not given")


class Role(models.TextChoices):
    SPONSOR = "sponsor", _("Sponsor")
    FINANCIER = "financier", _("Financier")
    DEVELOPER = "developer", _("Developer")
    CONTRACTOR = "contractor", _("Contractor")
    OPERATOR = "operator", _("Operator")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    OTHER = "other", _("Other")


class ProjectRole(RecordPart):
    """An organization's part in a project: sponsor, financier, contractor, operator…"""

    public_through = ("project", "organization")

    project = part_of(Project, related_name="roles", help_text=_("The project."))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="project_roles",
        help_text=_("The organization taking part in it."),
    )
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        help_text=_("The organization's part in the project."),
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("An editor's note on the role, not from the source."),
    )

    class Meta:
        ordering = ["project", "role", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization", "role"],
                name="project_role_unique",
                violation_error_message="This organization already has this role in the project.",
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.get_role_display()} of {self.project}"


def currency_choices():
    """Every ISO 4217 code py-moneyed knows, with its English name: ("CNY", "CNY — Chinese
    Yuan"); the codes are what a reader types and the same in every language."""
    return [
        (currency.code, f"{currency.code} — {currency.name}")
        for currency in sorted(moneyed.list_all_currencies(), key=lambda currency: currency.code)
    ]


def validate_currency(code):
    """An ISO 4217 currency code, as py-moneyed knows them: "USD", "CNY", "PKR"."""
    try:
        moneyed.get_currency(code=code)
    except moneyed.CurrencyDoesNotExist:
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code (such as USD, CNY or PKR)."),
            code="invalid_currency",
            params={"code": code},
        ) from None
    if code != code.upper():
        raise ValidationError(_("Write the currency code in capitals: USD, CNY, PKR."))


class Instrument(models.TextChoices):
    CONCESSIONAL_LOAN = "concessional_loan", _("Concessional loan")
    COMMERCIAL_LOAN = "commercial_loan", _("Commercial loan")
    EXPORT_CREDIT = "export_credit", _("Export credit")
    BUYERS_SUPPLIERS_CREDIT = "buyers_suppliers_credit", _("Buyer's or supplier's credit")
    GRANT = "grant", _("Grant")
    EQUITY = "equity", _("Equity")
    INTEREST_FREE_LOAN = "interest_free_loan", _("Interest-free loan")
    LOAN = "loan", _("Loan, terms not stated")
    OTHER = "other", _("Other")


class FinancingStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    COMMITTED = "committed", _("Committed")
    DISBURSED = "disbursed", _("Disbursed")
    CANCELLED = "cancelled", _("Cancelled")


class UsdBasis(models.TextChoices):
    STATED = "stated", _("Stated by the source")
    CONVERTED = "converted", _("Converted at a cited rate")


def money_field(help_text, *, null=False):
    """An amount of money: a Decimal (never a float), more than zero."""
    return models.DecimalField(
        max_digits=20,
        decimal_places=2,
        null=null,
        blank=null,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=help_text,
    )


def optional_date(help_text):
    return models.DateField(null=True, blank=True, help_text=help_text)


class Financing(RecordPart):
    """One commitment of money to a project: who lends it, how much, on what terms."""

    # A row shows while its project and its lender are published; a draft borrower or
    # guarantor is left out of the row, not the row itself.
    public_through = ("project", "lender")

    project = part_of(
        Project, related_name="financing", help_text=_("The project the money is for.")
    )
    lender = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="financing_lent",
        help_text=_("The organization that lends, grants or invests the money."),
    )
    borrower = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financing_borrowed",
        help_text=_("The organization that receives the money, where the source names one."),
    )
    guarantor = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financing_guaranteed",
        help_text=_("The organization that guarantees repayment, where the source names one."),
    )
    instrument = models.CharField(
        max_length=30,
        choices=Instrument.choices,
        db_index=True,
        help_text=_("The kind of financing: a loan, a credit, a grant, equity."),
    )
    amount = money_field(_("The amount, in the currency given, as the source states it."))
    currency = models.CharField(
        max_length=3,
        validators=[validate_currency],
        db_index=True,
        help_text=_("The amount's currency, as an ISO 4217 code: USD, CNY, PKR."),
    )
    amount_usd = money_field(
        _(
            "The amount in US dollars, only as the source states it or converted at the rate "
            "given below; empty when neither is known (never estimated)."
        ),
        null=True,
    )
    usd_basis = models.CharField(
        max_length=10,
        choices=UsdBasis.choices,
        blank=True,
        help_text=_("Where the amount in US dollars comes from: the source, or a cited rate."),
    )
    usd_rate = models.DecimalField(
        max_digits=20,
        decimal_places=10,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0000000001"))],
        help_text=_(
            "US dollars per unit of the currency, for a converted amount; cite where the rate "
            "is from."
        ),
    )
    pledge_date = optional_date(_("When the money was pledged; empty when not known."))
    pledge_date_precision = precision_field(
        _("How much of the pledge date is known: day, month or year.")
    )
    commitment_date = optional_date(
        _("When the commitment was made (an agreement signed); empty when not known.")
    )
    commitment_date_precision = precision_field(
        _("How much of the commitment date is known: day, month or year.")
    )
    disbursement_date = optional_date(
        _("When the money was (first) disbursed; empty when not known.")
    )
    disbursement_date_precision = precision_field(
        _("How much of the disbursement date is known: day, month or year.")
    )
    interest_rate = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("The yearly interest rate in per cent (0 to 100); empty when not known."),
    )
    maturity_years = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Years until the last repayment is due; empty when not known."),
    )
    grace_period_years = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Years before the first repayment is due; empty when not known."),
    )
    fees = models.CharField(
        max_length=300,
        blank=True,
        help_text=_(
            "Fees, as the source gives them (a management fee of 0.5 per cent); empty: not known."
        ),
    )
    collateral = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("What secures the loan, as the source says; empty when not known."),
    )
    status = models.CharField(
        max_length=10,
        choices=FinancingStatus.choices,
        db_index=True,
        help_text=_("Where the money stands: pledged, committed, disbursed or cancelled."),
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("An editor's note on the financing, not from the source."),
    )
    updated_at = models.DateTimeField(
        auto_now=True, help_text=_("When the row was last changed (UTC).")
    )

    # The dates a row's year is read from, the first known one first.
    year_dates = ("commitment_date", "pledge_date", "disbursement_date")

    class Meta:
        ordering = [F("commitment_date").desc(nulls_last=True), "id"]
        # The list's default order, read from an index: without it every uncached page of
        # /financing/ and its API sorted all the rows (150,000 at 100,000 projects, 0.3 s).
        indexes = [
            models.Index(
                F("commitment_date").desc(nulls_last=True), "id", name="financing_list_order"
            )
        ]
        verbose_name_plural = "financing"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="financing_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_usd__isnull=True) | Q(amount_usd__gt=0),
                name="financing_amount_usd_positive",
            ),
            models.CheckConstraint(
                condition=Q(amount_usd__isnull=True, usd_basis="")
                | (Q(amount_usd__isnull=False) & ~Q(usd_basis="")),
                name="financing_amount_usd_has_basis",
                violation_error_message="An amount in US dollars says where it comes from.",
            ),
            models.CheckConstraint(
                condition=~Q(usd_basis="converted") | Q(usd_rate__isnull=False),
                name="financing_converted_has_rate",
                violation_error_message="A converted amount in US dollars needs its rate.",
            ),
            models.CheckConstraint(
                condition=Q(interest_rate__isnull=True)
                | Q(interest_rate__gte=0, interest_rate__lte=100),
                name="financing_interest_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(maturity_years__isnull=True) | Q(maturity_years__gt=0),
                name="financing_maturity_positive",
            ),
            models.CheckConstraint(
                condition=Q(grace_period_years__isnull=True) | Q(grace_period_years__gte=0),
                name="financing_grace_period_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.lender} — {self.amount_display} {self.currency} for {self.project}"

    def get_absolute_url(self):
        # Its own page, by its id: a commitment has no name to make a slug of.
        return slug_reverse("financing:detail", str(self.pk))

    def clean(self):
        self.pledge_date = truncate_date(self.pledge_date, self.pledge_date_precision)
        self.commitment_date = truncate_date(self.commitment_date, self.commitment_date_precision)
        self.disbursement_date = truncate_date(
            self.disbursement_date, self.disbursement_date_precision
        )
        if self.currency == "USD" and self.amount is not None:
            # An amount in dollars is its own amount in US dollars, as stated.
            self.amount_usd, self.usd_basis, self.usd_rate = self.amount, UsdBasis.STATED, None
        elif self.usd_basis == UsdBasis.CONVERTED:
            if self.usd_rate is None:
                raise ValidationError(
                    {"usd_rate": _("Give the rate the amount was converted at, and cite it.")}
                )
            if self.amount is not None:
                self.amount_usd = (self.amount * self.usd_rate).quantize(Decimal("0.01"))
        elif self.usd_basis == UsdBasis.STATED:
            if self.amount_usd is None:
                raise ValidationError(
                    {"amount_usd": _("Give the amount in US dollars the source states.")}
                )
            self.usd_rate = None
        elif self.amount_usd is not None or self.usd_rate is not None:
            raise ValidationError(
                {
                    "usd_basis": _(
                        "Say whether the amount in US dollars is stated by the source or "
                        "converted at a cited rate."
                    )
                }
            )

    @property
    def amount_display(self):
        return decimal_display(self.amount)

    @property
    def amount_usd_display(self):
        return decimal_display(self.amount_usd)

    @property
    def interest_rate_display(self):
        return decimal_display(self.interest_rate)

    @property
    def maturity_years_display(self):
        return decimal_display(self.maturity_years)

    @property
    def grace_period_years_display(self):
        return decimal_display(self.grace_period_years)

    @property
    def pledge_date_display(self):
        return format_date(self.pledge_date, self.pledge_date_precision)

    @property
    def commitment_date_display(self):
        return format_date(self.commitment_date, self.commitment_date_precision)

    @property
    def disbursement_date_display(self):
        return format_date(self.disbursement_date, self.disbursement_date_precision)

    @property
    def year(self):
        """The year of its commitment, else of its pledge, else of its disbursement."""
        for name in self.year_dates:
            if getattr(self, name) is not None:
                return getattr(self, name).year
        return None


def decimal_display(value):
    """A decimal with thousands separators and no trailing zeros: "2,890,000,000", "1.5"."""
    if value is None:
        return ""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class FinancingTotals:
    """What rows of financing add up to: a total per currency, and a total in US dollars of
    the rows that have an amount in US dollars, with how many rows it leaves out. Cancelled
    commitments are not counted."""

    by_currency: list  # [(currency, total, rows)], by currency code
    usd: Decimal | None
    usd_rows: int
    usd_left_out: int

    @classmethod
    def of_rows(cls, rows):
        """From rows already loaded (a project's, prefetched with it)."""
        by_currency, usd, usd_rows, left_out = {}, Decimal(0), 0, 0
        for row in rows:
            if row.status == FinancingStatus.CANCELLED:
                continue
            total, count = by_currency.get(row.currency, (Decimal(0), 0))
            by_currency[row.currency] = (total + row.amount, count + 1)
            if row.amount_usd is None:
                left_out += 1
            else:
                usd += row.amount_usd
                usd_rows += 1
        return cls(
            by_currency=[(code, *by_currency[code]) for code in sorted(by_currency)],
            usd=usd if usd_rows else None,
            usd_rows=usd_rows,
            usd_left_out=left_out,
        )

    @classmethod
    def of_queryset(cls, queryset):
        """Summed by the database (a lender's, the whole list's, however many) in one grouped
        query, worked out once per version of the tables it reads: at 100,000 projects the
        sums over 150,000 rows cost more than the page that shows them."""
        grouped = (
            queryset.exclude(status=FinancingStatus.CANCELLED)
            .order_by()
            .values_list("currency")
            .annotate(Sum("amount"), Count("pk"), Sum("amount_usd"), Count("amount_usd"))
        )
        try:
            groups = stored_per_table_version(grouped, lambda: list(grouped), kind="totals")
        except EmptyResultSet:  # A filter that can match nothing: nothing to add up.
            groups = []
        usd_rows = sum(usd_count for *_, usd_count in groups)
        return cls(
            by_currency=sorted((code, total, rows) for code, total, rows, _, _ in groups),
            usd=sum(usd for *_, usd, _ in groups if usd is not None) if usd_rows else None,
            usd_rows=usd_rows,
            usd_left_out=sum(rows - usd_count for _, _, rows, _, usd_count in groups),
        )

    @property
    def by_currency_display(self):
        return [(code, decimal_display(total), rows) for code, total, rows in self.by_currency]

    @property
    def usd_display(self):
        return decimal_display(self.usd)


class LocationPrecision(models.TextChoices):
    """How precisely a location is known, as AidData's and Global Energy Monitor's precision
    codes give it (AidData: 1 exact, 2 near, 3 district, 4 province, 6 country)."""

    EXACT = "exact", _("Exact site")
    NEAR = "near", _("Near the site")
    CITY = "city", _("City or district")
    PROVINCE = "province", _("Province")
    COUNTRY = "country", _("Country")


# What a location's geometry is, in words, by its GeoJSON type.
GEOMETRY_NAMES = {
    "LineString": _("A line (a route)"),
    "MultiLineString": _("Lines (a route in parts)"),
    "Polygon": _("An area"),
    "MultiPolygon": _("Areas"),
    "MultiPoint": _("Several points"),
}


class PlaceCountry(models.TextChoices):
    """The countries of the corridor, whose places are checked against their extent."""

    PAKISTAN = "PK", _("Pakistan")
    CHINA = "CN", _("China")


class Location(RecordPart):
    """A place of a project: a point, or a line or area (a GeoJSON geometry, WGS 84), with
    its name and how precisely it is known."""

    public_through = ("project",)
    search_fields = ["place_name"]

    project = part_of(Project, related_name="locations", help_text=_("The project that is here."))
    place_name = models.CharField(
        max_length=200,
        help_text=_("The place as the source names it: a site, a city, a district, a route."),
    )
    precision = models.CharField(
        max_length=10,
        choices=LocationPrecision.choices,
        help_text=_(
            "How precisely the place is known: the exact site, near it, the city or district, "
            "the province or only the country."
        ),
    )
    country = models.CharField(
        max_length=2,
        choices=PlaceCountry.choices,
        default=PlaceCountry.PAKISTAN,
        help_text=_("The country the place is in (ISO 3166 code): its coordinates are checked."),
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("For a point: its longitude in degrees east (WGS 84), -180 to 180."),
    )
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("For a point: its latitude in degrees north (WGS 84), -90 to 90."),
    )
    geometry = models.JSONField(
        null=True,
        blank=True,
        help_text=_(
            "For a line or an area instead of a point: a GeoJSON geometry (RFC 7946), "
            'positions as [longitude, latitude], e.g. {"type": "LineString", "coordinates": '
            "[[74.9, 36.8], [73.1, 33.7]]}."
        ),
    )
    geonames_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("The GeoNames place the point was taken from, when an editor chose one."),
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("An editor's note on the place, not from the source."),
    )

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(longitude__isnull=False, latitude__isnull=False, geometry__isnull=True)
                | Q(longitude__isnull=True, latitude__isnull=True, geometry__isnull=False),
                name="location_point_or_geometry",
                violation_error_message=(
                    "A location is either a point (longitude and latitude) or a geometry."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.place_name} ({self.get_precision_display()})"

    def clean(self):
        has_point = self.longitude is not None or self.latitude is not None
        if has_point and self.geometry is not None:
            raise ValidationError(
                _("Give either a point (longitude and latitude) or a geometry, not both.")
            )
        if has_point:
            if self.longitude is None or self.latitude is None:
                raise ValidationError(_("A point needs both its longitude and its latitude."))
            try:
                check_longitude_latitude(float(self.longitude), float(self.latitude), self.country)
            except ValidationError as error:
                raise ValidationError({"longitude": error}) from None
        elif self.geometry is not None:
            try:
                validate_geometry(self.geometry, self.country)
            except ValidationError as error:
                raise ValidationError({"geometry": error}) from None
            # Pasted from a GIS with fifteen decimals: kept to a point's six (about 10 cm).
            self.geometry = rounded(self.geometry)
        else:
            raise ValidationError(
                _(
                    "Give the place's longitude and latitude, or a geometry; a place the "
                    "gazetteer does not know is entered by hand."
                )
            )

    @column_property("geometry", "longitude", "latitude")
    def geojson_geometry(geometry, longitude, latitude):
        """The place as a GeoJSON geometry: the point, or the geometry as stored."""
        if geometry is not None:
            return geometry
        return point(longitude, latitude)

    @property
    def position_display(self):
        """Where it is, in words: a point's latitude and longitude ("25.1216° N, 62.3254° E"),
        or the kind of its geometry."""
        if self.geometry is not None:
            return GEOMETRY_NAMES.get(self.geometry.get("type"), self.geometry.get("type"))
        latitude, longitude = float(self.latitude), float(self.longitude)
        return pgettext("a point's latitude and longitude", "{latitude}, {longitude}").format(
            latitude=f"{abs(latitude):.4f}° {'N' if latitude >= 0 else 'S'}",
            longitude=f"{abs(longitude):.4f}° {'E' if longitude >= 0 else 'W'}",
        )

    @property
    def country_warning(self):
        """A warning when the place lies outside its stated country, else ""."""
        return outside_country_warning(self.geojson_geometry, self.country)
