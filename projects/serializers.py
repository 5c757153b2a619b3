"""API v1 serializers for projects and programmes."""

from cpec_tracker.api.serializers import (
    AliasesField,
    CitedSerializer,
    DateDisplayField,
    LocalNameField,
    NamedRefSerializer,
    RecordSerializer,
    TitledRefSerializer,
)
from meetings.serializers import MeetingRefSerializer

from .models import Financing, KeyFigure, Milestone, Project, ProjectRole


class ProjectSerializer(RecordSerializer):
    title = LocalNameField()
    parent = TitledRefSerializer(
        read_only=True, allow_null=True, help_text="The programme it is part of."
    )
    themes = NamedRefSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            *RecordSerializer.record_fields,
            "title",
            "names",
            "kind",
            "status",
            "sector",
            "subsector",
            "province",
            "location",
            "parent",
            "themes",
            "wikidata_id",
            "updated_at",
        ]


class KeyFigureSerializer(CitedSerializer):
    """A number with its unit and the date it was given for; `value` is a decimal string."""

    as_of_display = DateDisplayField()

    class Meta:
        model = KeyFigure
        fields = [
            "kind",
            "value",
            "unit",
            "as_of",
            "as_of_precision",
            "as_of_display",
            "note",
            "citations",
        ]


class MilestoneSerializer(CitedSerializer):
    date_display = DateDisplayField()

    class Meta:
        model = Milestone
        fields = [
            "kind",
            "date",
            "date_precision",
            "date_display",
            "description",
            "status_after",
            "citations",
        ]


class ProjectRoleSerializer(CitedSerializer):
    organization = NamedRefSerializer(read_only=True)

    class Meta:
        model = ProjectRole
        fields = ["organization", "role", "note", "citations"]


class FinancingSerializer(CitedSerializer):
    """One commitment: amounts are decimal strings; a term not known is null, never 0."""

    project = TitledRefSerializer(read_only=True)
    lender = NamedRefSerializer(read_only=True)
    borrower = NamedRefSerializer(read_only=True, allow_null=True)
    guarantor = NamedRefSerializer(read_only=True, allow_null=True)
    pledge_date_display = DateDisplayField()
    commitment_date_display = DateDisplayField()
    disbursement_date_display = DateDisplayField()

    class Meta:
        model = Financing
        fields = [
            "id",
            "project",
            "lender",
            "borrower",
            "guarantor",
            "instrument",
            "amount",
            "currency",
            "amount_usd",
            "usd_basis",
            "usd_rate",
            "status",
            "pledge_date",
            "pledge_date_precision",
            "pledge_date_display",
            "commitment_date",
            "commitment_date_precision",
            "commitment_date_display",
            "disbursement_date",
            "disbursement_date_precision",
            "disbursement_date_display",
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
    key_figures = KeyFigureSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    roles = ProjectRoleSerializer(many=True, read_only=True)
    financing = ProjectFinancingSerializer(many=True, read_only=True)
    meetings = MeetingRefSerializer(many=True, read_only=True)
    parts = TitledRefSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "aliases",
            "summary",
            "key_figures",
            "milestones",
            "roles",
            "financing",
            "meetings",
            "parts",
            "citations",
        ]
