"""API v1 serializers for officials and meetings."""

from rest_framework import serializers

from cpec_tracker.api.serializers import (
    AliasesField,
    CitedSerializer,
    CodeLabelField,
    DateDisplayField,
    IsoDateField,
    IsoPrecisionField,
    IsoPrecisionLabelField,
    LocalNameField,
    ModelSerializer,
    NamedRefSerializer,
    RecordSerializer,
    TitledRefSerializer,
)

from .models import (
    Appointment,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Official,
    Outcome,
    Participation,
    ParticipationRole,
)


class OfficialSerializer(RecordSerializer):
    class Meta:
        model = Official
        fields = [
            *RecordSerializer.record_fields,
            "name",
            "names",
            "native_name",
            "country",
            "wikidata_id",
            "updated_at",
        ]


class AppointmentSerializer(CitedSerializer):
    """An office held, with its dates as precise as they are known (empty when unknown)."""

    organization = NamedRefSerializer(read_only=True, allow_null=True)
    start_display = DateDisplayField()
    start_iso = IsoDateField("start")
    start_iso_precision = IsoPrecisionField("start")
    start_iso_precision_label = IsoPrecisionLabelField("start")
    end_display = DateDisplayField()
    end_iso = IsoDateField("end")
    end_iso_precision = IsoPrecisionField("end")
    end_iso_precision_label = IsoPrecisionLabelField("end")
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "title",
            "organization",
            "start",
            "start_precision",
            "start_display",
            "start_iso",
            "start_iso_precision",
            "start_iso_precision_label",
            "end",
            "end_precision",
            "end_display",
            "end_iso",
            "end_iso_precision",
            "end_iso_precision_label",
            "is_current",
            "citations",
        ]


class MeetingRefSerializer(TitledRefSerializer):
    date = serializers.DateField(read_only=True)
    date_precision = serializers.CharField(read_only=True)
    date_display = DateDisplayField()
    date_iso = IsoDateField("date")
    date_iso_precision = IsoPrecisionField("date")
    date_iso_precision_label = IsoPrecisionLabelField("date")


class AttendanceSerializer(ModelSerializer):
    """A published meeting the official took part in, and as what."""

    meeting = MeetingRefSerializer(read_only=True)
    role_label = CodeLabelField("role", ParticipationRole)

    class Meta:
        model = Participation
        fields = ["meeting", "role", "role_label", "title_at_meeting"]


class OfficialDetailSerializer(OfficialSerializer):
    aliases = AliasesField()
    appointments = AppointmentSerializer(many=True, read_only=True)
    meetings = AttendanceSerializer(source="participations", many=True, read_only=True)

    class Meta(OfficialSerializer.Meta):
        fields = [
            *OfficialSerializer.Meta.fields,
            "aliases",
            "bio",
            "appointments",
            "meetings",
            "citations",
        ]


class MeetingSerializer(RecordSerializer):
    title = LocalNameField()
    series = NamedRefSerializer(
        source="body", read_only=True, allow_null=True, help_text="The body it is a session of."
    )
    themes = NamedRefSerializer(many=True, read_only=True)
    kind_label = CodeLabelField("kind", MeetingKind)
    status_label = CodeLabelField("status", MeetingStatus)
    date_display = DateDisplayField()
    date_iso = IsoDateField("date")
    date_iso_precision = IsoPrecisionField("date")
    date_iso_precision_label = IsoPrecisionLabelField("date")

    class Meta:
        model = Meeting
        fields = [
            *RecordSerializer.record_fields,
            "title",
            "names",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "date",
            "date_precision",
            "date_display",
            "date_iso",
            "date_iso_precision",
            "date_iso_precision_label",
            "city",
            "country",
            "series",
            "sequence_number",
            "themes",
            "updated_at",
        ]


class ParticipantSummarySerializer(ModelSerializer):
    """Who took part: a published official, or the name the source gives."""

    official = NamedRefSerializer(read_only=True, allow_null=True)
    name = serializers.CharField(source="display_name", read_only=True)
    role_label = CodeLabelField("role", ParticipationRole)

    class Meta:
        model = Participation
        fields = ["official", "name", "role", "role_label", "title_at_meeting"]


class ParticipantSerializer(CitedSerializer, ParticipantSummarySerializer):
    """Who took part: a published official, or the name the source gives; with the citations
    that say so."""

    class Meta(ParticipantSummarySerializer.Meta):
        fields = [*ParticipantSummarySerializer.Meta.fields, "citations"]


class OutcomeSerializer(CitedSerializer):
    stated_by = NamedRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Outcome
        fields = ["order", "text", "stated_by", "note", "citations"]


class MeetingDetailSerializer(MeetingSerializer):
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    projects = TitledRefSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "summary",
            "participants",
            "outcomes",
            "projects",
            "citations",
        ]
