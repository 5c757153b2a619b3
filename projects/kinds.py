"""The projects app's kinds of record: projects, their figures, milestones and roles."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from cpec_tracker.records.registry import ChoiceSet, Pages, RecordKind, Search, register
from projects.models import (
    FigureKind,
    KeyFigure,
    Milestone,
    MilestoneKind,
    Project,
    ProjectKind,
    ProjectRole,
    ProjectStatus,
    Province,
    Role,
    Sector,
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
)
