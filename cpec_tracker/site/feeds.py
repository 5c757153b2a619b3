"""Atom feeds: new meetings, and every record as it is added or changed."""

from itertools import chain

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cpec_tracker.records import registry
from cpec_tracker.records.labels import record_kind
from cpec_tracker.records.text import plain_text
from cpec_tracker.site.changes import changes_for, public_changes
from meetings.selectors import meeting_list

# How many entries a feed carries.
FEED_LENGTH = 50


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


class ChangesFeed(Feed):
    """The changelog (/changes/) as a feed: each published change with its fields and quotes."""

    feed_type = Atom1Feed
    title = _("CPEC Tracker: changes")
    subtitle = _("What changed in the published records, field by field.")
    link = reverse_lazy("changes")

    def items(self):
        return changes_for(list(public_changes()[:FEED_LENGTH]))

    def item_title(self, item):
        return plain_text(f"{item.kind}: {item.record}")

    def item_description(self, item):
        if item.first_publication:
            lines = [gettext("Published")]
        else:
            lines = [f"{f.label}: {f.old or '—'} → {f.new or '—'}" for f in item.fields] or [
                gettext("Saved again, with no change to the fields shown here")
            ]
        lines += [f"“{c.quote}” — {c.source.publisher}" for c in item.citations]
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
