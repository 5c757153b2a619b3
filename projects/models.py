"""Projects and programmes, their key figures, timelines and the organizations involved."""

from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
        return reverse("projects:detail", args=[self.slug])


class FigureKind(models.TextChoices):
    CAPACITY = "capacity", _("Capacity")
    COST = "cost", _("Cost")
    JOBS = "jobs", _("Jobs")
    LENGTH = "length", _("Length")
    OTHER = "other", _("Other")


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
    AGREEMENT = "agreement", _("Agreement")
    GROUNDBREAKING = "groundbreaking", _("Groundbreaking")
    CONSTRUCTION_START = "construction_start", _("Construction start")
    OPENING = "opening", _("Opening")
    COMPLETION = "completion", _("Completion")
    SUSPENSION = "suspension", _("Suspension")
    OTHER = "other", _("Other")


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
        return format_date(self.date, self.date_precision) or gettext("Date not given")


class Role(models.TextChoices):
    SPONSOR = "sponsor", _("Sponsor")
    FINANCIER = "financier", _("Financier")
    DEVELOPER = "developer", _("Developer")
    CONTRACTOR = "contractor", _("Contractor")
    OPERATOR = "operator", _("Operator")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    OTHER = "other", _("Other")


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
