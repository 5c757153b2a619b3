"""Projects and programmes, their key figures, timelines and the organizations involved."""

from django.db import models
from django.db.models import F

from cpec_tracker.addresses import slug_reverse
from cpec_tracker.dates import DatePrecision, format_date, truncate_date
from cpec_tracker.models import (
    Aliased,
    Citable,
    Organization,
    Record,
    Theme,
    aliases_field,
    published_list_indexes,
)
from meetings.models import Meeting


class ProjectKind(models.TextChoices):
    PROGRAMME = "programme", "Programme"
    PROJECT = "project", "Project"
    FACILITY = "facility", "Facility"


class Sector(models.TextChoices):
    ENERGY = "energy", "Energy"
    TRANSPORT = "transport", "Transport and connectivity"
    INDUSTRY = "industry", "Industry and SEZs"
    AGRICULTURE = "agriculture", "Agriculture"
    SOCIAL = "social", "Social and livelihood"
    ICT = "ict", "Information technology"
    WATER = "water", "Water"
    MULTI_SECTOR = "multi_sector", "Multi-sector"


class ProjectStatus(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    PLANNED = "planned", "Planned"
    UNDER_CONSTRUCTION = "under_construction", "Under construction"
    OPERATIONAL = "operational", "Operational"
    COMPLETED = "completed", "Completed"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"


class Province(models.TextChoices):
    BALOCHISTAN = "balochistan", "Balochistan"
    KHYBER_PAKHTUNKHWA = "khyber_pakhtunkhwa", "Khyber Pakhtunkhwa"
    PUNJAB = "punjab", "Punjab"
    SINDH = "sindh", "Sindh"
    GILGIT_BALTISTAN = "gilgit_baltistan", "Gilgit-Baltistan"
    AZAD_KASHMIR = "azad_kashmir", "Azad Jammu and Kashmir"
    ISLAMABAD = "islamabad", "Islamabad Capital Territory"
    SEVERAL = "several", "Several provinces"


class Project(Aliased, Record):
    """A CPEC programme, project or facility and where it stands."""

    title = models.CharField(max_length=300)
    aliases = aliases_field()
    kind = models.CharField(max_length=20, choices=ProjectKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text="The programme this is part of (CPEC 2.0 is the umbrella of its parts).",
    )
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    subsector = models.CharField(max_length=100, blank=True, help_text="e.g. nuclear power")
    status = models.CharField(max_length=20, choices=ProjectStatus.choices)
    province = models.CharField(max_length=20, choices=Province.choices, blank=True)
    location = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects")
    meetings = models.ManyToManyField(
        Meeting, blank=True, related_name="projects", help_text="Meetings where it was discussed."
    )

    search_fields = ["title", "aliases", "subsector", "location", "summary"]
    name_fields = ("title",)
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

    def get_absolute_url(self):
        return slug_reverse("projects:detail", self.slug)


class FigureKind(models.TextChoices):
    CAPACITY = "capacity", "Capacity"
    COST = "cost", "Cost"
    JOBS = "jobs", "Jobs"
    LENGTH = "length", "Length"
    OTHER = "other", "Other"


class KeyFigure(Citable):
    """A number about a project (capacity, cost, jobs) with its unit and the date it held."""

    public_through = ("project",)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="key_figures")
    kind = models.CharField(max_length=20, choices=FigureKind.choices)
    value = models.DecimalField(max_digits=20, decimal_places=2)
    unit = models.CharField(
        max_length=100, help_text="MW, km, USD (the currency for a cost), or what is counted."
    )
    as_of = models.DateField(help_text="The date the figure was given for.")
    as_of_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["project", "kind", "-as_of"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value_display} {self.unit}"

    def get_absolute_url(self):
        return self.project.get_absolute_url()

    def clean(self):
        self.as_of = truncate_date(self.as_of, self.as_of_precision)

    @property
    def value_display(self):
        """The value with thousands separators and no trailing zeros: "40,000", "1.5"."""
        text = f"{self.value:,f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    @property
    def as_of_display(self):
        return format_date(self.as_of, self.as_of_precision)


class MilestoneKind(models.TextChoices):
    AGREEMENT = "agreement", "Agreement"
    GROUNDBREAKING = "groundbreaking", "Groundbreaking"
    CONSTRUCTION_START = "construction_start", "Construction start"
    OPENING = "opening", "Opening"
    COMPLETION = "completion", "Completion"
    SUSPENSION = "suspension", "Suspension"
    OTHER = "other", "Other"


class Milestone(Citable):
    """A dated step in a project's timeline, with the project's status after it."""

    public_through = ("project",)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    date = models.DateField(null=True, blank=True, help_text="Empty when the source gives none.")
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    description = models.TextField()
    status_after = models.CharField(max_length=20, choices=ProjectStatus.choices, blank=True)

    class Meta:
        ordering = ["project", F("date").asc(nulls_last=True), "id"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.project}"

    def get_absolute_url(self):
        return self.project.get_absolute_url()

    def clean(self):
        self.date = truncate_date(self.date, self.date_precision)

    @property
    def date_display(self):
        return format_date(self.date, self.date_precision) or "Date not given"


class Role(models.TextChoices):
    SPONSOR = "sponsor", "Sponsor"
    FINANCIER = "financier", "Financier"
    DEVELOPER = "developer", "Developer"
    CONTRACTOR = "contractor", "Contractor"
    OPERATOR = "operator", "Operator"
    GOVERNMENT_AGENCY = "government_agency", "Government agency"
    OTHER = "other", "Other"


class ProjectRole(Citable):
    """An organization's part in a project: sponsor, financier, contractor, operator…"""

    public_through = ("project", "organization")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roles")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="project_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    note = models.CharField(max_length=300, blank=True)

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

    def get_absolute_url(self):
        return self.project.get_absolute_url()
