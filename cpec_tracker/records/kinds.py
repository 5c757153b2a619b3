"""The floor's kinds of record: sources, citations, organizations and themes."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from cpec_tracker.records.dates import DatePrecision
from cpec_tracker.records.models.citations import Citation
from cpec_tracker.records.models.sources import Source, SourceKind
from cpec_tracker.records.models.vocabulary import Organization, OrganizationKind, Theme, ThemeKind
from cpec_tracker.records.registry import (
    ChoiceSet,
    Pages,
    RecordKind,
    Search,
    register,
    register_choices,
)

SOURCE_KINDS = ChoiceSet(
    SourceKind,
    {
        "news_report": _("An article by a news organisation."),
        "official_statement": _("A statement by a government, ministry or embassy."),
        "press_release": _("A press release by an organisation about itself."),
        "report": _("A report or study: by a government, a company or researchers."),
        "other": _("Any other kind of published document."),
    },
)

ORGANIZATION_KINDS = ChoiceSet(
    OrganizationKind,
    {
        "government": _("A national or provincial government as a whole."),
        "ministry": _("A ministry, division or government department."),
        "embassy": _("An embassy, high commission or consulate."),
        "working_group": _("A joint working group of the two sides."),
        "committee": _("A committee, such as the Joint Cooperation Committee."),
        "company": _("A company, state-owned or private."),
        "other": _("Any other organisation (a bank, an authority, a university…)."),
    },
)

THEME_KINDS = ChoiceSet(
    ThemeKind,
    {
        "corridor": _(
            "One of CPEC 2.0's five corridors: growth, livelihood, innovation, open, green."
        ),
        "focus_area": _(
            "A focus area of cooperation, such as special economic zones or clean energy."
        ),
        "five_es": _(
            "One of Pakistan's “five Es”: exports, e-Pakistan, energy, environment, equity."
        ),
        "other": _("Any other theme."),
    },
)

DATE_PRECISIONS = ChoiceSet(
    DatePrecision,
    {
        "day": _("The source gives the day: shown as “10 January 2025”."),
        "month": _(
            "The source gives only the month: the date is stored as its first day and shown "
            "as “January 2025”."
        ),
        "year": _(
            "The source gives only the year: the date is stored as 1 January and shown as “2025”."
        ),
    },
)


register(
    RecordKind(
        Source,
        name="sources",
        label=pgettext_lazy("kind of record", "source"),
        viewset="cpec_tracker.records.api.SourceViewSet",
        # Site-wide pages, on the roof: they list every app's records.
        pages=Pages(
            list="cpec_tracker.site.views.SourceListView",
            detail="cpec_tracker.site.views.SourceDetailView",
        ),
        position=4,
        api_position=6,
        search=Search(
            title=_("Sources"),
            all_matching=_("All sources matching “{query}”"),
            none_match=_("No sources match."),
            date_field="published_on",
        ),
        home_count=ngettext_lazy(
            "<strong>%(counter)s</strong> source",
            "<strong>%(counter)s</strong> sources",
            "counter",
        ),
        field_labels={
            "title": pgettext_lazy("title of a document", "Title"),
            "author": _("Author"),
            "publisher": _("Publisher"),
            "url": _("URL"),
            "published_on": _("Published on"),
            "language": _("Language"),
            "kind": _("Kind"),
            "text": pgettext_lazy("full text of a document", "Text"),
        },
        choice_sets=(SOURCE_KINDS,),
    ),
    # Citations are in /data/ as one table for every kind they support, not as a table of theirs.
    RecordKind(Citation),
    RecordKind(
        Organization,
        name="organizations",
        label=pgettext_lazy("kind of record", "organization"),
        viewset="cpec_tracker.records.api.OrganizationViewSet",
        pages=Pages(detail="cpec_tracker.site.views.OrganizationDetailView"),
        position=5,
        api_position=4,
        search=Search(
            title=_("Organizations"),
            all_matching="",
            none_match=_("No organizations match."),
        ),
        field_labels={
            "name": pgettext_lazy("name of an organization", "Name"),
            "short_name": _("Short name"),
            "aliases": _("Aliases"),
            "country": _("Country"),
            "parent": pgettext_lazy("organization one is part of", "Parent"),
            "description": _("Description"),
            "wikidata_id": _("Wikidata id"),
        },
        choice_sets=(ORGANIZATION_KINDS,),
    ),
    RecordKind(
        Theme,
        name="themes",
        label=pgettext_lazy("kind of record", "theme"),
        viewset="cpec_tracker.records.api.ThemeViewSet",
        pages=Pages(detail="cpec_tracker.site.views.ThemeDetailView"),
        position=6,
        api_position=5,
        field_labels={"name": pgettext_lazy("name of a theme", "Name")},
        search=Search(title=_("Themes"), all_matching="", none_match=_("No themes match.")),
        choice_sets=(THEME_KINDS,),
    ),
)
# The dates of every app are given as precisely as their source states them.
register_choices(DATE_PRECISIONS)
