"""The reads of a source, an organization and a theme: each the one queryset its page, its API
detail and its line in /data/'s JSON Lines are read from (the page and the answer cannot drift
apart). The apps keep theirs in their own `selectors.py`."""

from django.db.models import Prefetch

from cpec_tracker.records.citations import citations_prefetch
from cpec_tracker.records.models import Organization, Source, Theme


def source_detail(*, citations=True):
    """Published sources, with their own citations unless `citations` is false (the source's
    page shows the quotes taken from it instead, `public_quotes_of`)."""
    sources = Source.objects.published()
    return sources.prefetch_related(citations_prefetch()) if citations else sources


def organization_detail(*, children=True):
    """Published organizations, each with the one it is part of, its citations and, unless
    `children` is false, every published part (the page lists its parts a page at a time)."""
    organizations = (
        Organization.objects.published()
        .select_related("parent")
        .prefetch_related(citations_prefetch())
    )
    if children:
        organizations = organizations.prefetch_related(
            Prefetch("children", queryset=Organization.objects.published())
        )
    return organizations


def theme_detail():
    """Published themes, each with its citations (its meetings and projects are lists of their
    own, a page at a time)."""
    return Theme.objects.published().prefetch_related(citations_prefetch())
