"""What a subscription follows: a feed of changes, read by the feed's own code."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation

from cpec_tracker.site.feeds import ChangesFeed, InvalidFilters

# Longest feed address followed (the column's size).
FEED_URL_MAX_LENGTH = 2000


class NotFollowable(Exception):
    """An address that names no feed of changes, or one whose record or filters it refuses."""


def unprefixed_path(path):
    """`path` without its language prefix (/ur/projects/feed.atom → /projects/feed.atom)."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def followed_feed(feed_url, language=None):
    """(feed, Followed) of the feed at `feed_url`, as its view reads it, in `language` (its
    title, its page) or English; raises NotFollowable."""
    if not isinstance(feed_url, str) or not feed_url or len(feed_url) > FEED_URL_MAX_LENGTH:
        raise NotFollowable("no feed address")
    if "\x00" in feed_url:
        raise NotFollowable("no feed address")
    address = urlsplit(feed_url)
    if address.scheme or address.netloc:
        raise NotFollowable("not an address of this site")
    path = unprefixed_path(address.path)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404 as error:
            raise NotFollowable("no feed at this address") from error
    feed = match.func
    if not isinstance(feed, ChangesFeed):
        raise NotFollowable("no feed of changes at this address")
    # The feed reads its parameters from a request, as it does when a reader fetches it.
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(address.query)
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            return feed, feed.get_object(request)
        except (Http404, InvalidFilters) as error:
            raise NotFollowable(str(error)) from error
