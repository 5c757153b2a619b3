"""The site's addresses: records' without a `reverse()` per row, and a request's path as a
link to the same page (in any language) that cannot lead off the site.

A list of 50 API items named some 350 addresses (each item's API and page address, its
parent's, its themes'), and `reverse()` with `build_absolute_uri()` cost more than the rest
of the answer. An address pattern is reversed once per process, language and URLconf, with a
marker where the slug goes, and every record's address is that text around its slug.
"""

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# A slug that needs no escaping in a path (what `Record.slug` holds).
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
MARKER = "cpec-slug-marker"


@functools.lru_cache(maxsize=512)
def _around_slug(viewname, script_prefix, language, urlconf):
    before, _marker, after = reverse(viewname, args=[MARKER], urlconf=urlconf).rpartition(MARKER)
    return before, after


def slug_reverse(viewname, slug):
    """`reverse(viewname, args=[slug])`, with the pattern reversed once."""
    if not PLAIN_SLUG.fullmatch(slug):
        return reverse(viewname, args=[slug])
    before, after = _around_slug(viewname, get_script_prefix(), get_language(), get_urlconf())
    return f"{before}{slug}{after}"


def absolute(request, path):
    """`request.build_absolute_uri(path)` for a path from `reverse()`, with the scheme and host
    worked out once per request."""
    origin = getattr(request, "_cpec_origin", None)
    if origin is None:
        origin = request.build_absolute_uri("/")[:-1]
        request._cpec_origin = origin
    return origin + path


# Browsers read a link that starts with two slashes, or a slash and a backslash, as an address
# on another host (`//evil.example/`, `/\\evil.example/`), and drop tabs and line breaks
# before they read it (`/<tab>/evil.example/`).
OTHER_HOST_START = re.compile(r"[/\\][\t\n\r]*[/\\]")


def split_language_prefix(path):
    """(prefix, rest) of a path: ("/ur", "/meetings/") for "/ur/meetings/", ("", path) for a
    path in the default language, which has no prefix (cpec_tracker/site/urls.py)."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}"
        if code != settings.LANGUAGE_CODE and (path == prefix or path.startswith(prefix + "/")):
            return prefix, path[len(prefix) :] or "/"
    return "", path


def page_path(path):
    """A request's `path` as a link to the page: the path itself, or the home page in its
    language when what follows the language prefix would lead a browser to another host
    (`//evil.example/`, `/ur//evil.example/`, `/ur/\\evil.example/`). No page has such an
    address; such a path answers the 404, whose links (language switcher, alternates,
    canonical) are made from this. The one check of a path the site writes back as a link."""
    prefix, rest = split_language_prefix(path)
    if not rest.startswith("/") or OTHER_HOST_START.match(rest):
        return f"{prefix}/"
    return path


def path_in_language(path, code):
    """`path` (of any language) as the address of the same page in language `code`.

    Addresses differ between languages only by their prefix (cpec_tracker/site/urls.py), so
    this works for any path, one that is not a page (the 404) included.
    """
    _prefix, rest = split_language_prefix(page_path(path))
    return rest if code == settings.LANGUAGE_CODE else f"/{code}{rest}"
