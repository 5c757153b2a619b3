"""The reads of a meeting and of an official: each the one queryset its page, its API detail and
its line in /data/'s JSON Lines are read from (the page and the answer cannot drift apart)."""

from django.db.models import Prefetch

from cpec_tracker.records.models import Theme

from .models import Appointment, Meeting, Official, Outcome, Participation


def meeting_list():
    """Published meetings, each with its series: the rows of the list page, the calendar and
    the feed."""
    return Meeting.objects.published().select_related("body")


def meeting_detail():
    """Published meetings, each with its series, themes, public participants, outcomes,
    projects and citations."""
    # Projects are one app up the dependency chain: reached through the reverse relation.
    project_model = Meeting.projects.rel.related_model
    return meeting_list().prefetch_related(
        Prefetch("themes", queryset=Theme.objects.published()),
        Prefetch(
            "participations",
            queryset=Participation.objects.published(reached_from="meeting").select_related(
                "official"
            ),
        ),
        Prefetch(
            "outcomes",
            queryset=Outcome.objects.published(reached_from="meeting").select_related("stated_by"),
        ),
        Prefetch("projects", queryset=project_model.objects.published()),
    )


def official_detail():
    """Published officials, each with the offices they held, the published meetings they took
    part in (newest first) and their citations."""
    return Official.objects.published().prefetch_related(
        Prefetch(
            "appointments",
            queryset=Appointment.objects.published(reached_from="official").select_related(
                "organization"
            ),
        ),
        Prefetch(
            "participations",
            queryset=Participation.objects.published(reached_from="official")
            .select_related("meeting")
            # By official first (each official's meetings keep their order): in date order
            # alone SQLite walks every published meeting for each batch of officials.
            .order_by("official_id", "-meeting__date", "meeting__title", "pk"),
        ),
    )
