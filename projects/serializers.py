"""API v1 serializers for projects and programmes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cpec_tracker.api.serializers import (
    AliasesField,
    CitationSerializer,
    CitedSerializer,
    CodeLabelField,
    DateDisplayField,
    GeometryField,
    IsoDateField,
    IsoPrecisionField,
    IsoPrecisionLabelField,
    LocalNameField,
    NamedRefSerializer,
    NumberField,
    OptionalNumberField,
    RecordSerializer,
    TitledRefSerializer,
)
from meetings.serializers import MeetingRefSerializer

from .models import (
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


class LocationSerializer(CitedSerializer):
    """A place of the project: a point, line or area as a GeoJSON geometry, with how precisely
    it is known."""

    geometry = GeometryField(
        source="geojson_geometry",
        help_text="Where the place is: a GeoJSON geometry (RFC 7946), a Point for a point, "
        "positions as [longitude, latitude] (WGS 84).",
    )
    precision_label = CodeLabelField("precision", LocationPrecision)
    country_label = CodeLabelField("country", PlaceCountry)

    class Meta:
        model = Location
        fields = [
            "place_name",
            "geometry",
            "precision",
            "precision_label",
            "country",
            "country_label",
            "geonames_id",
            "note",
            "citations",
        ]


class FinancingSerializer(CitedSerializer):
    """One commitment: amounts are decimal strings; a term not known is null, never 0."""

    project = TitledRefSerializer(read_only=True)
    lender = NamedRefSerializer(read_only=True)
    borrower = NamedRefSerializer(read_only=True, allow_null=True)
    guarantor = NamedRefSerializer(read_only=True, allow_null=True)
    instrument_label = CodeLabelField("instrument", Instrument)
    status_label = CodeLabelField("status", FinancingStatus)
    usd_basis_label = CodeLabelField("usd_basis", UsdBasis)
    amount_number = NumberField("amount", help_text="`amount` as a number, in `currency`.")
    amount_usd_number = OptionalNumberField(
        "amount_usd", help_text="`amount_usd` as a number; null when not known."
    )
    pledge_date_display = DateDisplayField()
    pledge_date_iso = IsoDateField("pledge_date")
    pledge_date_iso_precision = IsoPrecisionField("pledge_date")
    pledge_date_iso_precision_label = IsoPrecisionLabelField("pledge_date")
    commitment_date_display = DateDisplayField()
    commitment_date_iso = IsoDateField("commitment_date")
    commitment_date_iso_precision = IsoPrecisionField("commitment_date")
    commitment_date_iso_precision_label = IsoPrecisionLabelField("commitment_date")
    disbursement_date_display = DateDisplayField()
    disbursement_date_iso = IsoDateField("disbursement_date")
    disbursement_date_iso_precision = IsoPrecisionField("disbursement_date")
    disbursement_date_iso_precision_label = IsoPrecisionLabelField("disbursement_date")

    class Meta:
        model = Financing
        fields = [
            "id",
            "project",
            "lender",
            "borrower",
            "guarantor",
            "instrument",
            "instrument_label",
            "amount",
            "amount_number",
            "currency",
            "amount_usd",
            "amount_usd_number",
            "usd_basis",
            "usd_basis_label",
            "usd_rate",
            "status",
            "status_label",
            "pledge_date",
            "pledge_date_precision",
            "pledge_date_display",
            "pledge_date_iso",
            "pledge_date_iso_precision",
            "pledge_date_iso_precision_label",
            "commitment_date",
            "commitment_date_precision",
            "commitment_date_display",
            "commitment_date_iso",
            "commitment_date_iso_precision",
            "commitment_date_iso_precision_label",
            "disbursement_date",
            "disbursement_date_precision",
            "disbursement_date_display",
            "disbursement_date_iso",
            "disbursement_date_iso_precision",
            "disbursement_date_iso_precision_label",
            "interest_rate",
            "maturity_years",
            "grace_period_years",
            "fees",
            "collateral",
            "note",
            "updated_at",
        ]


class FinancingDetailSerializer(FinancingSerializer):
    class Meta(FinancingSerializer.Meta):
        fields = [*FinancingSerializer.Meta.fields, "citations"]


class ProjectFinancingSerializer(FinancingSerializer):
    """A project's financing inside its detail: the project is the one around it."""

    class Meta(FinancingSerializer.Meta):
        fields = [
            *(name for name in FinancingSerializer.Meta.fields if name != "project"),
            "citations",
        ]


class ProjectDetailSerializer(ProjectSerializer):
    aliases = AliasesField()
    status_since_citations = serializers.SerializerMethodField(
        help_text="The source of `status_since_iso`: the citations of the timeline's step that "
        "dates it (empty when the timeline does not say)."
    )
    key_figures = KeyFigureSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    roles = ProjectRoleSerializer(many=True, read_only=True)
    financing = ProjectFinancingSerializer(many=True, read_only=True)
    locations = LocationSerializer(many=True, read_only=True)
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
            "financing",
            "locations",
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

    def plan_status_since_citations(self, plan, model, prefix):
        """`get_status_since_citations` for a `DetailPlan`: the citations of the step whose id
        the selector reads beside the date (`status_since_milestone_id`)."""
        citations = CitationSerializer(many=True, context=self.context)
        return plan.nested_rows(citations, Milestone, "citations", "status_since_milestone_id")
