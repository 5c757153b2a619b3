"""Record addresses without a `reverse()` per row.

A list of 50 API items named some 350 addresses (each item's API and page address, its
parent's, its themes'), and `reverse()` with `build_absolute_uri()` cost more than the rest
of the answer. An address pattern is reversed once per process, language and URLconf, with a
marker where the slug goes, and every record's address is that text around its slug.
"""

import functools
import re

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
