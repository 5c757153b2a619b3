"""The read of a project: the one queryset its page, its API detail and its line in /data/'s
JSON Lines are read from (the page and the answer cannot drift apart)."""

import datetime

from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from cpec_tracker.records.models import Theme
from meetings.models import Meeting

from .models import Financing, KeyFigure, Location, Milestone, Project, ProjectRole

# A financing row's organizations, loaded with it (a draft borrower or guarantor is left out
# where it is shown, by `if_public`).
FINANCING_PARTIES = ("lender", "borrower", "guarantor")


def with_status_since(projects):
    """`projects` with the date their status holds since, read from their timelines.

    The step that brought a project to its current `status`: the earliest dated, published
    milestone with that `status_after` after the last one that led elsewhere (a project
    suspended and resumed is under construction since the resumption). Each project gets
    `status_since` and `status_since_precision` (null when no step says) and
    `status_since_milestone_id`, whose citations are the source of the date.
    """
    steps = Milestone.objects.published(reached_from="project").filter(
        project=OuterRef("pk"), date__isnull=False
    )
    left_for_elsewhere = (
        steps.exclude(status_after="")
        .exclude(status_after=OuterRef("status"))
        .order_by("-date", "-id")
        .values("date")[:1]
    )
    reached = (
        steps.filter(status_after=OuterRef("status"))
        .filter(date__gt=Coalesce(OuterRef("status_left_on"), datetime.date.min))
        .order_by("date", "id")
    )
    return projects.annotate(status_left_on=Subquery(left_for_elsewhere)).annotate(
        status_since=Subquery(reached.values("date")[:1]),
        status_since_precision=Subquery(reached.values("date_precision")[:1]),
        status_since_milestone_id=Subquery(reached.values("id")[:1]),
    )


def project_detail():
    """Published projects, each with its programme, themes, key figures, milestones, the
    published organizations involved, its financing, places, meetings, published parts and
    citations."""
    return (
        with_status_since(Project.objects.published())
        .select_related("parent")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.published()),
            Prefetch(
                "key_figures",
                queryset=KeyFigure.objects.published(reached_from="project"),
            ),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.published(reached_from="project"),
            ),
            Prefetch(
                "roles",
                queryset=ProjectRole.objects.published(reached_from="project").select_related(
                    "organization"
                ),
            ),
            Prefetch(
                "financing",
                queryset=Financing.objects.published(reached_from="project").select_related(
                    *FINANCING_PARTIES
                ),
            ),
            Prefetch("locations", queryset=Location.objects.published(reached_from="project")),
            Prefetch("meetings", queryset=Meeting.objects.published()),
            # In the order of the parent's index (then the parts' own order): in title order
            # alone SQLite reads every published project for each batch of projects.
            Prefetch(
                "parts",
                queryset=Project.objects.published().order_by("parent_id", *Project._meta.ordering),
            ),
        )
    )


def financing_list():
    """Published financing (of published projects, by published lenders) with the project and
    the organizations each row shows."""
    return Financing.objects.published().select_related("project", *FINANCING_PARTIES)


def financing_detail():
    """Published financing, each row with its project and organizations (its citations are
    loaded by the page and the API's detail)."""
    return financing_list()


def financing_lent_by(organization):
    """The published financing `organization` (a published lender) provides."""
    return (
        Financing.objects.published(reached_from="lender")
        .filter(lender=organization)
        .select_related("project", *FINANCING_PARTIES)
    )
