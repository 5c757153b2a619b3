"""Atom feeds: new meetings, and every record as it is added or changed."""

from itertools import chain

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from cpec_tracker.text import plain_text
from meetings.models import Meeting, Official
from projects.models import Project

# How many entries a feed carries.
FEED_LENGTH = 50


class MeetingsFeed(Feed):
    feed_type = Atom1Feed
    title = "CPEC Tracker: meetings"
    subtitle = "Meetings of the China–Pakistan Economic Corridor, newest first."

    def link(self):
        return reverse("meetings:list")

    def items(self):
        return Meeting.objects.published().select_related("body")[:FEED_LENGTH]

    # plain_text: XML cannot carry a control character that a row saved before they were
    # refused may still hold; one would make the whole feed fail.
    def item_title(self, item):
        return plain_text(f"{item.title} ({item.date_display})")

    def item_description(self, item):
        return plain_text(item.summary or item.title)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class UpdatesFeed(Feed):
    feed_type = Atom1Feed
    title = "CPEC Tracker: updates"
    subtitle = "Meetings, officials and projects as they are added or corrected."

    def link(self):
        return reverse("home")

    def items(self):
        recent = (
            model.objects.published().order_by("-updated_at")[:FEED_LENGTH]
            for model in (Meeting, Official, Project)
        )
        newest_first = sorted(chain(*recent), key=lambda item: item.updated_at, reverse=True)
        return newest_first[:FEED_LENGTH]

    def item_title(self, item):
        return plain_text(f"{item._meta.verbose_name.capitalize()}: {item}")

    def item_description(self, item):
        return plain_text(getattr(item, "summary", "") or getattr(item, "bio", "") or str(item))

    def item_guid(self, item):
        return f"{item.get_absolute_url()}#version-{item.version}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at
