"""The read of a project: the one queryset its page, its API detail and its line in /data/'s
JSON Lines are read from (the page and the answer cannot drift apart)."""

from django.db.models import Prefetch

from cpec_tracker.records.models import Theme
from meetings.models import Meeting

from .models import Financing, KeyFigure, Milestone, Project, ProjectRole

# A financing row's organizations, loaded with it (a draft borrower or guarantor is left out
# where it is shown, by `if_public`).
FINANCING_PARTIES = ("lender", "borrower", "guarantor")


def project_detail():
    """Published projects, each with its programme, themes, key figures, milestones, the
    published organizations involved, its financing, meetings, published parts and citations."""
    return (
        Project.objects.published()
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
