"""The read of a project: the one queryset its page, its API detail and its line in /data/'s
JSON Lines are read from (the page and the answer cannot drift apart)."""

from django.db.models import Prefetch

from cpec_tracker.records.models import Theme
from meetings.models import Meeting

from .models import KeyFigure, Milestone, Project, ProjectRole


def project_detail():
    """Published projects, each with its programme, themes, key figures, milestones, the
    published organizations involved, meetings, published parts and citations."""
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
            Prefetch("meetings", queryset=Meeting.objects.published()),
            # In the order of the parent's index (then the parts' own order): in title order
            # alone SQLite reads every published project for each batch of projects.
            Prefetch(
                "parts",
                queryset=Project.objects.published().order_by("parent_id", *Project._meta.ordering),
            ),
        )
    )
