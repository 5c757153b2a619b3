"""Atom feeds: new meetings, and every record as it is added or changed."""

from dataclasses import dataclass
from itertools import chain

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponseBadRequest, QueryDict
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from cpec_tracker.records import registry
from cpec_tracker.records.labels import record_kind
from cpec_tracker.records.searching import search_backend
from cpec_tracker.records.text import plain_text
from cpec_tracker.site.changes import changed_record, changes_for, public_changes
from cpec_tracker.site.views import SearchFacetsForm, narrowed, search_query
from cpec_tracker.web.views import record_feed
from meetings.selectors import meeting_list

# How many entries a feed carries.
FEED_LENGTH = 50
# A search feed follows the changes of this many of its best hits (a common word matches
# thousands of records, more than one query should name).
SEARCH_FEED_RECORDS = 1000


class LocalisedFeed(Feed):
    """A feed in the language of its address (/ur/feeds/…): Django's Feed writes the active
    language as its xml:lang, and the titles below are translated when it renders."""

    feed_type = Atom1Feed


class MeetingsFeed(LocalisedFeed):
    title = _("CPEC Tracker: meetings")
    subtitle = _("Meetings of the China–Pakistan Economic Corridor, newest first.")
    link = reverse_lazy("meetings:list")

    def items(self):
        return meeting_list()[:FEED_LENGTH]

    # plain_text: XML cannot carry a control character that a row saved before they were
    # refused may still hold; one would make the whole feed fail.
    def item_title(self, item):
        title = gettext("{title} ({date})").format(title=item.title, date=item.date_display)
        return plain_text(title)

    def item_description(self, item):
        return plain_text(item.summary or item.title)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class UpdatesFeed(LocalisedFeed):
    title = _("CPEC Tracker: updates")
    subtitle = _("Meetings, officials and projects as they are added or corrected.")
    link = reverse_lazy("home")

    def items(self):
        recent = (
            kind.model.objects.published().order_by("-updated_at")[:FEED_LENGTH]
            for kind in registry.listed()
            if kind.in_feed
        )
        newest_first = sorted(chain(*recent), key=lambda item: item.updated_at, reverse=True)
        return newest_first[:FEED_LENGTH]

    def item_title(self, item):
        kind = str(record_kind(item)).capitalize()
        return plain_text(gettext("{kind}: {record}").format(kind=kind, record=item))

    def item_description(self, item):
        return plain_text(getattr(item, "summary", "") or getattr(item, "bio", "") or str(item))

    def item_guid(self, item):
        return f"{item.get_absolute_url()}#version-{item.version}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class InvalidFilters(Exception):
    """A followed list's or search's parameters that its page refuses too."""


@dataclass(frozen=True)
class Followed:
    """What a feed of changes follows: its title, the page it follows, its own address and the
    records whose changes it carries: one `record` with its parts, or those `among` names
    ({model: pks or a queryset}), or, neither given, every record."""

    title: str
    link: str
    feed_url: str
    record: object = None
    among: dict | None = None


class ChangesFeed(LocalisedFeed):
    """The changelog (/changes/) as a feed: each published change with its fields and quotes.

    `?record=<kind>/<slug>` follows one record, as /changes/?record= shows it; the list and
    search feeds below follow the records of a result. All of them read the changelog's one
    implementation (cpec_tracker.site.changes), so an entry is the same wherever it appears.
    """

    subtitle = _("What changed in the published records, field by field.")

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFilters as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    def get_object(self, request):
        if "record" not in request.GET:
            return Followed(
                title=gettext("CPEC Tracker: changes"),
                link=reverse("changes"),
                feed_url=request.path,
            )
        record = changed_record(request.GET["record"])
        if record is None:
            raise Http404(gettext("There is no published record at this address."))
        return Followed(
            title=gettext("CPEC Tracker: changes to {record}").format(record=record),
            link=record.get_absolute_url(),
            feed_url=record_feed(record)["url"],
            record=record,
        )

    def title(self, followed):
        return plain_text(followed.title)

    def link(self, followed):
        return followed.link

    def feed_url(self, followed):
        return followed.feed_url

    def items(self, followed):
        changes = public_changes(record=followed.record, among=followed.among)
        return changes_for(list(changes[:FEED_LENGTH]))

    def item_title(self, item):
        if item.part:
            return plain_text(f"{item.kind}: {item.record} · {item.part}")
        return plain_text(f"{item.kind}: {item.record}")

    def item_description(self, item):
        if item.first_publication:
            lines = [gettext("Published")]
        elif item.added:
            lines = [pgettext("a row added to a record's page", "Added")]
            lines += [f"{f.label}: {f.new}" for f in item.fields]
        else:
            lines = [f"{f.label}: {f.old or '—'} → {f.new or '—'}" for f in item.fields] or [
                gettext("Saved again, with no change to the fields shown here")
            ]
        lines += [
            f"“{c.quote}” — {c.source.publisher}, {c.source.title} ({c.source.url})"
            if c.source.url
            else f"“{c.quote}” — {c.source.publisher}, {c.source.title}"
            for c in item.citations
        ]
        return plain_text("\n".join(lines))

    def item_link(self, item):
        return item.record.get_absolute_url()

    # A record changes many times: each change is its own entry, not the record's page.
    item_guid_is_permalink = False

    def item_guid(self, item):
        return item.guid

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date


def followed_query(request, names):
    """`request`'s parameters among `names`, as a query string ("" for none)."""
    query = QueryDict(mutable=True)
    for name in names:
        if name in request.GET:
            query.setlist(name, request.GET.getlist(name))
    return query.urlencode()


class ListChangesFeed(ChangesFeed):
    """The records entering or changing in a list page's result, with its filters
    (/projects/feed.atom?sector=energy): the list's own FilterSet reads them, so a value the
    list refuses is refused here too (400), and a parameter it ignores is ignored."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        # The list page whose parameters it reads, named as Django names a class-based view's
        # (`view_class`), so that what discovers a page's filters (.ci/hostile_battery.py)
        # finds this feed's too.
        self.view_class = import_string(kind.pages.list)

    def get_object(self, request):
        list_view = self.view_class()
        list_view.setup(request)
        filterset = list_view.labelled_filterset(request)
        list_view.filterset = filterset
        if not filterset.is_valid():
            raise InvalidFilters(
                "\n".join(
                    f"{name}: {error['message']}"
                    for error in list_view.filter_errors()
                    for name in [error["name"]]
                )
            )
        filters = [
            f"{active['label']}: {active['value']}"
            for active in list_view.active_filters()
            if active["name"] != "ordering"
        ]
        # The list's name in the visitor's language: search's for its kind ("Projects"), or
        # the kind's own word for a kind search does not show ("Financing").
        name = self.kind.search.title if self.kind.search else capfirst(self.kind.label)
        title = gettext("CPEC Tracker: {list}").format(list=name)
        if filters:
            title = f"{title} ({'; '.join(filters)})"
        query = followed_query(request, filterset.filters)
        link = reverse(self.kind.list_url)
        return Followed(
            title=title,
            link=f"{link}?{query}" if query else link,
            feed_url=f"{request.path}?{query}" if query else request.path,
            among={self.kind.model: filterset.qs.values("pk")},
        )


class SearchChangesFeed(ChangesFeed):
    """The records entering or changing in a search's result (/search/feed.atom?q=coal&
    kind=projects), its facets read as the search page reads them; one it refuses is a 400."""

    def get_object(self, request):
        query = search_query(request)
        form = SearchFacetsForm(request.GET)
        if not form.is_valid():
            raise InvalidFilters(
                "\n".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            )
        hits = narrowed(search_backend().search(query).hits, form.narrowing()) if query else []
        among = {}
        for hit in hits[:SEARCH_FEED_RECORDS]:
            among.setdefault(type(hit.record), []).append(hit.record.pk)
        parameters = followed_query(request, ["q", *form.fields])
        return Followed(
            title=gettext("CPEC Tracker: search for “{query}”").format(query=query),
            link=f"{reverse('search')}?{parameters}",
            feed_url=f"{request.path}?{parameters}",
            among=among,
        )
