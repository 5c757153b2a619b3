"""The data dictionary: every published field with its type and meaning, every choice defined.

Generated from the models, so a new field shows up by itself: its meaning is the field's
`help_text` (or its verbose name), its type the column type the downloads give it. The choice
definitions are written here, one line each; a choice without one fails a test.
Project statuses follow the status categories of Global Energy Monitor's trackers, which
researchers of infrastructure already use (`GEM_SOURCES` below; the page cites them).
"""

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cpec_tracker.records.dates import DatePrecision
from cpec_tracker.records.models import OrganizationKind, SourceKind, ThemeKind
from meetings.models import MeetingKind, MeetingStatus, ParticipationRole
from projects.models import (
    FigureKind,
    MilestoneKind,
    ProjectKind,
    ProjectStatus,
    Province,
    Role,
    Sector,
)

# Where the project statuses' definitions come from (paraphrased, not quoted).
GEM_SOURCES = [
    {
        "title": "Global Energy Monitor, Global Gas Plant Tracker: Methodology (status categories)",
        "url": "https://globalenergymonitor.org/projects/global-gas-plant-tracker/methodology/",
    },
    {
        "title": "Global Energy Monitor, Global Oil and Gas Plant Tracker: Frequently asked "
        "questions (what the colored dots mean)",
        "url": "https://globalenergymonitor.org/projects/global-oil-gas-plant-tracker/"
        "frequently-asked-questions/",
    },
    {
        "title": "Global Energy Monitor, Global Solar Power Tracker: Methodology (status "
        "categories)",
        "url": "https://globalenergymonitor.org/projects/global-solar-power-tracker/methodology/",
    },
]

CHOICE_DEFINITIONS = {
    ProjectStatus: {
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
    DatePrecision: {
        "day": _("The source gives the day: shown as “10 January 2025”."),
        "month": _(
            "The source gives only the month: the date is stored as its first day and shown "
            "as “January 2025”."
        ),
        "year": _(
            "The source gives only the year: the date is stored as 1 January and shown as “2025”."
        ),
    },
    MeetingKind: {
        "working_group_session": _(
            "A numbered session of a standing body such as a joint working group or the Joint "
            "Cooperation Committee."
        ),
        "bilateral_meeting": _("A meeting of officials of the two sides outside a series."),
        "ceremony": _("A signing, inauguration, groundbreaking or handover ceremony."),
        "visit": _("An official's visit to the other country or to a project site."),
        "call": _("A telephone or video call."),
    },
    MeetingStatus: {
        "scheduled": _("Announced for a date that has not yet come, or not yet reported held."),
        "held": _("Took place, as a source reports."),
        "cancelled": _("Called off, as a source reports."),
    },
    ParticipationRole: {
        "co_chair": _("Chaired the meeting jointly with the other side's chair."),
        "chair": _("Chaired the meeting alone."),
        "host": _("Hosted the meeting or visit."),
        "speaker": _("Addressed the meeting without chairing it."),
        "participant": _("Took part, in no role the source singles out."),
    },
    SourceKind: {
        "news_report": _("An article by a news organisation."),
        "official_statement": _("A statement by a government, ministry or embassy."),
        "press_release": _("A press release by an organisation about itself."),
        "report": _("A report or study: by a government, a company or researchers."),
        "other": _("Any other kind of published document."),
    },
    OrganizationKind: {
        "government": _("A national or provincial government as a whole."),
        "ministry": _("A ministry, division or government department."),
        "embassy": _("An embassy, high commission or consulate."),
        "working_group": _("A joint working group of the two sides."),
        "committee": _("A committee, such as the Joint Cooperation Committee."),
        "company": _("A company, state-owned or private."),
        "other": _("Any other organisation (a bank, an authority, a university…)."),
    },
    ThemeKind: {
        "corridor": _(
            "One of CPEC 2.0's five corridors: growth, livelihood, innovation, open, green."
        ),
        "focus_area": _(
            "A focus area of cooperation, such as special economic zones or clean energy."
        ),
        "five_es": _(
            "One of Pakistan's “five Es”: exports, e-Pakistan, energy, environment, equity."
        ),
        "other": _("Any other theme."),
    },
    ProjectKind: {
        "programme": _("An umbrella of projects, such as CPEC 2.0; its parts name it as parent."),
        "project": _("A single undertaking: a plant, a road, a port, a zone."),
        "facility": _("A facility or fund that finances or serves other projects."),
    },
    Sector: {
        "energy": _("Power generation, transmission, and fuels."),
        "transport": _("Roads, railways, ports, airports and other connectivity."),
        "industry": _("Industrial cooperation and special economic zones."),
        "agriculture": _("Agriculture, livestock and fisheries."),
        "social": _("Education, health, poverty alleviation and livelihoods."),
        "ict": _("Telecommunications, fibre and information technology."),
        "water": _("Water supply, dams for water and irrigation."),
        "multi_sector": _("Spans several sectors (programmes, mostly)."),
    },
    Province: {
        "balochistan": _("Balochistan province (Gwadar, Quetta)."),
        "khyber_pakhtunkhwa": _("Khyber Pakhtunkhwa province."),
        "punjab": _("Punjab province."),
        "sindh": _("Sindh province."),
        "gilgit_baltistan": _("Gilgit-Baltistan (Khunjerab Pass, the Karakoram Highway)."),
        "azad_kashmir": _("Azad Jammu and Kashmir."),
        "islamabad": _("Islamabad Capital Territory."),
        "several": _("Located in more than one province."),
    },
    FigureKind: {
        "capacity": _("What it can produce or carry: megawatts, tonnes, containers."),
        "cost": _("What it costs, in the currency given as the unit."),
        "jobs": _("Jobs created or expected."),
        "length": _("Length of a road, railway, line or pipeline."),
        "other": _("Any other figure; the unit says what is counted."),
    },
    MilestoneKind: {
        "agreement": _("An agreement, MoU or contract signed for the project."),
        "groundbreaking": _("The groundbreaking ceremony."),
        "construction_start": _("Physical construction began."),
        "opening": _("Opened or commissioned: operation began."),
        "completion": _("Construction finished."),
        "suspension": _("Work was suspended or the project shelved."),
        "other": _("Any other step."),
    },
    Role: {
        "sponsor": _("Owns or promotes the project."),
        "financier": _("Lends to or invests in the project."),
        "developer": _("Develops the project for its sponsors."),
        "contractor": _("Builds the project, or a part of it."),
        "operator": _("Runs the project once built."),
        "government_agency": _("Approves, oversees or carries out the project for a government."),
        "other": _("Any other part in the project."),
    },
}

# The column type each kind of model field is given in the CSV, SQLite and data package.
NUMBER_FIELDS = (models.DecimalField, models.FloatField)
INTEGER_FIELDS = (models.IntegerField, models.BigAutoField, models.AutoField)


def field_type(field):
    """A Frictionless (Table Schema) type: string, integer, number, date or datetime."""
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, NUMBER_FIELDS):
        return "number"
    if isinstance(field, INTEGER_FIELDS):
        return "integer"
    return "string"


def field_description(field):
    """What a field means: its help text, else its verbose name, in a sentence."""
    text = str(field.help_text or "").strip()
    if not text:
        text = capfirst(str(field.verbose_name)) + "."
    return text


def choices_of(field):
    """The TextChoices class of a field with choices, found by its values."""
    values = {value for value, _label in field.choices or []}
    for choices in CHOICE_DEFINITIONS:
        if set(choices.values) == values:
            return choices
    return None


def choice_rows(choices):
    """[{value, label, definition}] of one choice set, in its own order."""
    definitions = CHOICE_DEFINITIONS[choices]
    return [
        {"value": value, "label": label, "definition": definitions[value]}
        for value, label in choices.choices
    ]
