"""Projects and programmes, their key figures, timelines and the organizations involved."""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

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

    cited_parts = ("key_figures", "milestones", "roles")

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
