"""API v1 serializers for projects and programmes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cpec_tracker.api.serializers import (
    AliasesField,
    CitationSerializer,
    CitedSerializer,
    CodeLabelField,
    DateDisplayField,
    IsoDateField,
    IsoPrecisionField,
    IsoPrecisionLabelField,
    LocalNameField,
    NamedRefSerializer,
    NumberField,
    RecordSerializer,
    TitledRefSerializer,
)
from meetings.serializers import MeetingRefSerializer

from .models import (
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


class ProjectSerializer(RecordSerializer):
    title = LocalNameField()
    parent = TitledRefSerializer(
        read_only=True, allow_null=True, help_text="The programme it is part of."
    )
    themes = NamedRefSerializer(many=True, read_only=True)
    kind_label = CodeLabelField("kind", ProjectKind)
    status_label = CodeLabelField("status", ProjectStatus)
    status_since_iso = IsoDateField(
        "status_since",
        help_text="Since when the project has had its `status`, as far as the date is known: "
        "the date of the timeline's step that brought it there; null when the timeline does "
        "not say.",
    )
    status_since_iso_precision = IsoPrecisionField("status_since")
    status_since_iso_precision_label = IsoPrecisionLabelField("status_since")
    status_since_display = DateDisplayField(
        help_text="The same date in words, in the language asked for; empty when unknown."
    )
    sector_label = CodeLabelField("sector", Sector)
    province_label = CodeLabelField("province", Province)

    class Meta:
        model = Project
        fields = [
            *RecordSerializer.record_fields,
            "title",
            "names",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "status_since_iso",
            "status_since_iso_precision",
            "status_since_iso_precision_label",
            "status_since_display",
            "sector",
            "sector_label",
            "subsector",
            "province",
            "province_label",
            "location",
            "parent",
            "themes",
            "wikidata_id",
            "updated_at",
        ]


class KeyFigureSerializer(CitedSerializer):
    """A number with its unit and the date it was given for; `value` is a decimal string (v1),
    `value_number` the same as a number."""

    kind_label = CodeLabelField("kind", FigureKind)
    value_number = NumberField("value", help_text="`value` as a number, in `unit`.")
    as_of_display = DateDisplayField()
    as_of_iso = IsoDateField("as_of")
    as_of_iso_precision = IsoPrecisionField("as_of")
    as_of_iso_precision_label = IsoPrecisionLabelField("as_of")

    class Meta:
        model = KeyFigure
        fields = [
            "kind",
            "kind_label",
            "value",
            "value_number",
            "unit",
            "as_of",
            "as_of_precision",
            "as_of_display",
            "as_of_iso",
            "as_of_iso_precision",
            "as_of_iso_precision_label",
            "note",
            "citations",
        ]


class MilestoneSerializer(CitedSerializer):
    kind_label = CodeLabelField("kind", MilestoneKind)
    date_display = DateDisplayField()
    date_iso = IsoDateField("date")
    date_iso_precision = IsoPrecisionField("date")
    date_iso_precision_label = IsoPrecisionLabelField("date")
    status_after_label = CodeLabelField("status_after", ProjectStatus)

    class Meta:
        model = Milestone
        fields = [
            "kind",
            "kind_label",
            "date",
            "date_precision",
            "date_display",
            "date_iso",
            "date_iso_precision",
            "date_iso_precision_label",
            "description",
            "status_after",
            "status_after_label",
            "citations",
        ]


class ProjectRoleSerializer(CitedSerializer):
    organization = NamedRefSerializer(read_only=True)
    role_label = CodeLabelField("role", Role)

    class Meta:
        model = ProjectRole
        fields = ["organization", "role", "role_label", "note", "citations"]


class ProjectDetailSerializer(ProjectSerializer):
    aliases = AliasesField()
    status_since_citations = serializers.SerializerMethodField(
        help_text="The source of `status_since_iso`: the citations of the timeline's step that "
        "dates it (empty when the timeline does not say)."
    )
    key_figures = KeyFigureSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    roles = ProjectRoleSerializer(many=True, read_only=True)
    meetings = MeetingRefSerializer(many=True, read_only=True)
    parts = TitledRefSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "status_since_citations",
            "aliases",
            "summary",
            "key_figures",
            "milestones",
            "roles",
            "meetings",
            "parts",
            "citations",
        ]

    @extend_schema_field(CitationSerializer(many=True))
    def get_status_since_citations(self, project):
        step = project.status_since_milestone
        if step is None:
            return []
        return CitationSerializer(step.citations, many=True, context=self.context).data
