"""Officials, the offices they hold, meetings, who took part, and what was agreed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from cpec_tracker.records.columns import column_property
from cpec_tracker.records.dates import format_date, truncate_date
from cpec_tracker.records.models import (
    Aliased,
    CitableQuerySet,
    Organization,
    Record,
    RecordPart,
    RecordQuerySet,
    Theme,
    aliases_field,
    part_of,
    precision_field,
    published_list_indexes,
    wikidata_id_field,
)
from cpec_tracker.records.names import CHINESE, URDU, Multilingual, translated_field
from cpec_tracker.records.places import city_point


class Official(Multilingual, Aliased, Record):
    """A person who holds or held an office and took part in meetings."""

    cited_parts = ("appointments",)

    name = models.CharField(
        max_length=200,
        help_text=_("The person's name in English, as sources spell it."),
    )
    name_ur = translated_field(URDU, max_length=200, label="Name")
    name_zh_hans = translated_field(CHINESE, max_length=200, label="Name")
    native_name = models.CharField(
        max_length=200, blank=True, help_text=_("The name in its own script, if a source gives it.")
    )
    aliases = aliases_field()
    country = CountryField(
        blank=True,
        help_text=_("The country they serve (ISO 3166 code)."),
    )
    bio = models.TextField(
        blank=True,
        help_text=_("A short account of who they are."),
    )
    wikidata_id = wikidata_id_field(
        help_text=_("Their Wikidata item, e.g. Q12345; empty if none is known.")
    )

    search_fields = ["name", "native_name", "aliases", "bio"]
    native_search_fields = ["name_ur", "name_zh_hans", "native_name", "aliases"]
    name_fields = ("name", "name_ur", "name_zh_hans", "native_name")

    class Meta:
        ordering = ["name"]
        indexes = published_list_indexes("official", ["name"], filters=["country"])

    def __str__(self):
        return self.name


class AppointmentQuerySet(CitableQuerySet):
    def current(self, on=None):
        """Offices held on `on` (today by default): started by then and not yet ended."""
        on = on or datetime.date.today()
        return self.filter(Q(start__isnull=True) | Q(start__lte=on)).filter(
            Q(end__isnull=True) | Q(end__gte=on)
        )


class Appointment(RecordPart):
    """An office held by an official, with the dates it was held (empty when not known)."""

    public_through = ("official",)
    # Found by site-wide search: an official by the offices held (`Search.related`).
    search_fields = ["title"]

    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        related_name="appointments",
        help_text=_("Who held the office."),
    )
    title = models.CharField(max_length=200, help_text=_("e.g. Foreign Secretary"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        help_text=_("The organization the office is in, if any."),
    )
    start = models.DateField(null=True, blank=True, help_text=_("Empty when no source gives it."))
    start_precision = precision_field(_("How much of the start date is known: day, month or year."))
    end = models.DateField(null=True, blank=True, help_text=_("Empty while the office is held."))
    end_precision = precision_field(_("How much of the end date is known: day, month or year."))

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = [F("end").desc(nulls_first=True), F("start").desc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="appointment_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.official}, {self.title}"

    def clean(self):
        self.start = truncate_date(self.start, self.start_precision)
        self.end = truncate_date(self.end, self.end_precision)
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "An appointment cannot end before it starts."})

    @column_property("start", "end")
    def is_current(start, end):
        """Whether the office is held today, as far as its dates say."""
        today = datetime.date.today()
        return (start is None or start <= today) and (end is None or end >= today)

    @property
    def attested_on(self):
        """The publication date of the latest source cited for this office (from its loaded
        public citations), None without one: an office with no end date is known to be held
        as of then, not for ever."""
        return max(
            (citation.source.published_on for citation in self.citations.all()), default=None
        )

    @property
    def start_display(self):
        return format_date(self.start, self.start_precision)

    @property
    def end_display(self):
        return format_date(self.end, self.end_precision)


class MeetingKind(models.TextChoices):
    WORKING_GROUP_SESSION = "working_group_session", _("Working-group session")
    BILATERAL_MEETING = "bilateral_meeting", _("Bilateral meeting")
    CEREMONY = "ceremony", _("Ceremony")
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(RecordQuerySet):
    def in_series(self, body):
        return self.filter(body=body)

    def with_participants(self):
        return self.prefetch_related("participations__official")


class Meeting(Multilingual, Record):
    """A meeting, session, ceremony, visit or call, held or scheduled."""

    cited_parts = ("participations", "outcomes")

    title = models.CharField(
        max_length=300,
        help_text=_("The meeting's name, e.g. “5th meeting of the JWG-ICC”."),
    )
    title_ur = translated_field(URDU, max_length=300, label="Title")
    title_zh_hans = translated_field(CHINESE, max_length=300, label="Title")
    kind = models.CharField(
        max_length=30,
        choices=MeetingKind.choices,
        help_text=_("What kind of meeting it was."),
    )
    body = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("The working group or committee this meeting is a session of."),
    )
    sequence_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Its number in the series: 5 for the 5th meeting.")
    )
    date = models.DateField(
        help_text=_("When it took (or takes) place; read it only as far as its precision."),
    )
    date_precision = precision_field(_("How much of the date is known: day, month or year."))
    city = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("The city where it took place."),
    )
    country = CountryField(
        blank=True,
        help_text=_("The country where it took place (ISO 3166 code)."),
    )
    summary = models.TextField(
        blank=True,
        help_text=_("What the meeting was about, in a few sentences."),
    )
    status = models.CharField(
        max_length=10,
        choices=MeetingStatus.choices,
        default=MeetingStatus.HELD,
        help_text=_("Whether it was held, is scheduled or was cancelled."),
    )
    themes = models.ManyToManyField(
        Theme,
        blank=True,
        related_name="meetings",
        help_text=_("The themes the meeting took up."),
    )

    objects = MeetingQuerySet.as_manager()
    search_fields = ["title", "summary", "city"]
    native_search_fields = ["title_ur", "title_zh_hans"]
    translated_name = "title"
    _history_m2m_fields = ["themes"]

    class Meta:
        ordering = ["-date", "title"]
        # The list index (publication_status, -date, title) also serves the home page.
        indexes = published_list_indexes(
            "meeting",
            ["-date", "title"],
            filters=["kind", "status", "country"],
            orderings=["title"],
        )
        constraints = [
            models.UniqueConstraint(
                fields=["body", "sequence_number"],
                condition=Q(body__isnull=False, sequence_number__isnull=False),
                name="meeting_sequence_unique_in_series",
                violation_error_message="This series already has a meeting with this number.",
            ),
            models.CheckConstraint(
                condition=Q(sequence_number__isnull=True) | Q(body__isnull=False),
                name="meeting_sequence_needs_series",
                violation_error_message="A sequence number needs the series (body) it counts in.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date_display})"

    def clean(self):
        self.date = truncate_date(self.date, self.date_precision)

    @property
    def date_display(self):
        return format_date(self.date, self.date_precision)

    @property
    def city_point(self):
        """The city's point as GeoJSON, read from the offline gazetteer when asked (not stored:
        it is derived from the cited city, not a claim of its own); None when the gazetteer
        does not know the city."""
        return city_point(self.city, str(self.country))

    def previous_in_series(self):
        """The published meeting of the same series with the next lower number, if any."""
        return self._neighbour_in_series("sequence_number__lt", "-sequence_number")

    def next_in_series(self):
        """The published meeting of the same series with the next higher number, if any."""
        return self._neighbour_in_series("sequence_number__gt", "sequence_number")

    def _neighbour_in_series(self, number_lookup, order):
        if self.body_id is None or self.sequence_number is None:
            return None
        return (
            Meeting.objects.published()
            .in_series(self.body_id)
            .filter(**{number_lookup: self.sequence_number})
            .order_by(order)
            .first()
        )


class ParticipationRole(models.TextChoices):
    # In context: a chair alone reads as a president in Urdu (صدر), a speaker as a
    # spokesperson in Chinese (发言人).
    CO_CHAIR = "co_chair", pgettext_lazy("role at a meeting", "Co-chair")
    CHAIR = "chair", pgettext_lazy("role at a meeting", "Chair")
    HOST = "host", pgettext_lazy("role at a meeting", "Host")
    SPEAKER = "speaker", pgettext_lazy("role at a meeting", "Speaker")
    PARTICIPANT = "participant", pgettext_lazy("role at a meeting", "Participant")


class Participation(RecordPart):
    """Who took part in a meeting, in what role, and the title they held at the time."""

    public_through = ("meeting", "official")
    # A meeting is found by the people in it and the offices they held there.
    search_fields = ["name", "title_at_meeting"]

    meeting = part_of(
        Meeting, related_name="participations", help_text=_("The meeting taken part in.")
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text=_("Who took part, when the tracker knows them as an official."),
    )
    name = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "For someone the source does not name in full, e.g. “the Foreign Office "
            "spokesperson”. Leave empty when an official is chosen."
        ),
    )
    role = models.CharField(
        max_length=20,
        choices=ParticipationRole.choices,
        default=ParticipationRole.PARTICIPANT,
        help_text=_("The part they played at the meeting."),
    )
    title_at_meeting = models.CharField(
        max_length=200, blank=True, help_text=_("The title they held then, as the source gives it.")
    )
    order = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Their place in the source's list of participants."),
    )

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(official__isnull=False) | ~Q(name=""),
                name="participation_names_someone",
                violation_error_message="Choose an official or type the name the source gives.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "official"],
                condition=Q(official__isnull=False),
                name="participation_once_per_meeting",
                violation_error_message="This official is already listed for this meeting.",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} at {self.meeting.title}"

    @column_property("official_id", "official__name", "name")
    def display_name(official_id, official_name, name):
        """The official's name, or the name the source gives for someone not in the record."""
        return official_name if official_id else name


class Outcome(RecordPart):
    """A point agreed or stated at a meeting, in the order the source gives it."""

    public_through = ("meeting",)
    search_fields = ["text"]

    meeting = part_of(
        Meeting, related_name="outcomes", help_text=_("The meeting where it was agreed or stated.")
    )
    order = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Its place among the meeting's outcomes, as the source gives them."),
    )
    text = models.TextField(
        help_text=_("What was agreed or stated, close to the source's words."),
    )
    stated_by = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text=_("For a point one speaker made; empty when both sides agreed it."),
    )
    note = models.TextField(
        blank=True,
        help_text=_("An editor's note, not from the source."),
    )

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="outcome_order_unique_in_meeting",
                violation_error_message="Another outcome of this meeting has this position.",
            ),
        ]

    def __str__(self):
        return self.text
