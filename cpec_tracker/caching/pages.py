"""Full-page and API caching that never serves stale data.

Every stored response is keyed on the data version (`cpec_tracker.caching.dataversion`), which every
save, delete, publish and import changes, so the first request after a change renders afresh.
Only anonymous GET and HEAD requests are served from the cache, only public 200 responses that
set no cookie are stored, and the excluded paths (the admin) are never touched. Each of them
carries one ETag, derived from its key, whether the view or the cache answers.
"""

import datetime
import functools
import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.http import parse_etags
from django.utils.translation import get_language

from cpec_tracker.caching import dataversion

# Request headers that change what a view returns (DRF negotiates JSON/HTML on Accept).
KEY_HEADERS = ("HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "HTTP_ACCEPT_LANGUAGE")
# Says whether the page cache answered from a stored copy ("hit") or rendered and stored the
# page ("miss"); absent when the cache was not used. Shows operators (and the two-server
# tests) that app servers share one cache.
CACHE_STATUS_HEADER = "X-Cache"
# How often a request waiting for another's render of its page looks whether it is done (a
# render takes 10 ms to a second).
RENDER_POLL_SECONDS = 0.01
# Response Cache-Control directives that forbid keeping a shared copy.
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")


def is_cacheable_request(request):
    """Anonymous GET/HEAD of a public address: no session, no messages, no credentials."""
    if request.method not in ("GET", "HEAD"):
        return False
    excluded = (f"/{settings.ADMIN_PATH}", *settings.CPEC_PAGE_CACHE_EXCLUDED_PATHS)
    if request.path.startswith(excluded):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def is_cacheable_response(request, response):
    """A complete public 200 that sets no cookie (so no session and no CSRF token)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in PRIVATE_DIRECTIVES):
        return False
    return "*" not in response.get("Vary", "")


@functools.cache
def code_version():
    """A digest of the code and templates that render pages, so a deploy starts a fresh cache
    (a shared Redis outlives the processes), plus CPEC_RELEASE for what it cannot see."""
    digest = hashlib.sha256(settings.CPEC_RELEASE.encode())
    for folder in settings.CPEC_PAGE_CACHE_CODE_FOLDERS:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.suffix != ".pyc":
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def address_key(request):
    """What names a response whatever the data: the code, the day ("current" offices), the
    address and the negotiated headers. The page last stored for it is kept under it, with
    the versions of the tables it was rendered from (`cache_key`).

    It holds the language LocaleMiddleware activated, which is what the page is rendered in,
    so one language's page is never served to another's request whatever chose it.
    """
    return rendering_key(
        "cpec-page",
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        *(request.META.get(header, "") for header in KEY_HEADERS),
    )


def rendering_key(prefix, *parts):
    """A cache key for what `parts` name, rendered by this code, today, in the active language."""
    parts = [code_version(), datetime.date.today().isoformat(), get_language() or "", *parts]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return f"{prefix}:{digest}"


def cache_key(address, tables, versions):
    """What names the response at `address` rendered from `tables` at these versions: kept
    with the stored page, which is served only while the versions give the same key, and
    the source of its ETag."""
    read_at = dataversion.versions_of(tables, versions)
    parts = [address, *(f"{table}={version}" for table, version in read_at)]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"cpec-page:{digest}"


class PageCacheMiddleware:
    """Serve anonymous readers from the cache; store what they may all share.

    A page is stored under its address with the versions of the tables its view read, recorded
    while it rendered, and served while those tables are unwritten, so a write goes cold only
    the pages that read the table written. One entry per address, the page stored last: a slow
    render read at older versions can replace a newer page, which costs the next request a
    render and never serves stale data (the stored key is checked against the versions).
    One request at a time renders a page from given versions (`claim_render`); the others
    asking for it meanwhile wait for its page rather than render it beside it.

    Sits right after whitenoise, before sessions, CSRF and authentication, so a cache hit
    costs no template rendering and one small query (the versions) with one cache read, or,
    when Redis keeps the versions (`shared_versions`), no query and one Redis round trip for
    both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        with dataversion.read_once():
            return self.serve(request)

    def serve(self, request):
        if not settings.CPEC_PAGE_CACHE:
            return self.get_response(request)
        address = address_key(request)
        # The page last stored at this address comes with the versions: with Redis, in one
        # round trip.
        versions, stored = dataversion.versions_and_cached(address)
        if versions.get(dataversion.WHOLE_DATABASE) is None:
            return self.get_response(request)
        answer = stored_answer(request, address, versions, stored)
        if answer is not None:
            return answer
        claim = render_claim(address, stored, versions)
        claimed = False
        if request.method == "GET":  # a HEAD stores nothing: it neither waits nor is waited for
            claimed = claim_render(claim)
        if request.method == "GET" and not claimed:
            # Another request that read the same versions is rendering this page: the page it
            # stores is the one this request would render.
            wait_for_render(claim)
            _, stored = dataversion.versions_and_cached(address)
            answer = stored_answer(request, address, versions, stored)
            if answer is not None:
                return answer
        try:
            return self.render(request, address, versions)
        finally:
            if claimed:
                release_render(claim)

    def render(self, request, address, versions):
        """The view's response, stored under `address` when readers may share it."""
        with dataversion.recording_reads() as read:
            response = self.get_response(request)
        if not is_cacheable_response(request, response):
            return response
        # Keyed on the versions read before the view ran: a write while it rendered makes the
        # key stale at once, never the page.
        tables = tuple(sorted(read))
        key = cache_key(address, tables, versions)
        etag = key_etag(key)
        mark_shared(response, etag)
        if request.method == "GET":
            stored = (key, tables, response.status_code, dict(response.headers), response.content)
            cache = caches[settings.CPEC_PAGE_CACHE_ALIAS]
            cache.set(address, stored, timeout=settings.CPEC_PAGE_CACHE_SECONDS)
            response[CACHE_STATUS_HEADER] = "miss"
        if names_etag(request, etag):
            # The client holds this very page (another server rendered it): no body to send.
            return mark_shared(HttpResponseNotModified(), etag)
        return response


def stored_answer(request, address, versions, stored):
    """The answer from `stored` (the page last stored at `address`), or None when it was
    rendered from tables written since the `versions`."""
    if stored is None:
        return None
    stored_key, tables, status, headers, content = stored
    key = cache_key(address, tables, versions)
    if key != stored_key:
        return None
    etag = key_etag(key)
    if names_etag(request, etag):
        return mark_shared(HttpResponseNotModified(), etag)
    response = HttpResponse(content, status=status, headers=headers)
    response[CACHE_STATUS_HEADER] = "hit"
    return response


def render_claim(address, stored, versions):
    """What names the render of the page at `address` at these versions: the key it will be
    stored under when the page last stored says which tables it reads, so that a request
    that read newer versions (a save came between) does not wait for a render it cannot
    use; before any page is stored, the address."""
    if stored is None:
        return f"{address}:rendering"
    _, tables, *_ = stored
    return f"{cache_key(address, tables, versions)}:rendering"


def claim_render(claim):
    """Whether this request is the one to do the render `claim` names: no other request (in
    any worker, on any server sharing the cache) is doing it.

    After a save, every reader of a page the save went cold asks for it at once; rendered
    side by side, four renders on two cores each take twice as long as one, and no one is
    served meanwhile. The claim lapses after CPEC_PAGE_RENDER_WAIT_SECONDS should its
    holder die. With Redis unreachable no claim is granted and none is waited for (the
    cache answers as an empty one): each request renders its own, as without the claims.
    """
    cache = caches[settings.CPEC_PAGE_CACHE_ALIAS]
    return cache.add(claim, True, timeout=settings.CPEC_PAGE_RENDER_WAIT_SECONDS)


def wait_for_render(claim):
    """Until the request doing the render `claim` names is done, at most
    CPEC_PAGE_RENDER_WAIT_SECONDS."""
    cache = caches[settings.CPEC_PAGE_CACHE_ALIAS]
    deadline = time.monotonic() + settings.CPEC_PAGE_RENDER_WAIT_SECONDS
    while cache.has_key(claim) and time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)


def release_render(claim):
    caches[settings.CPEC_PAGE_CACHE_ALIAS].delete(claim)


def key_etag(key):
    """The ETag of whatever is stored under `key`.

    It replaces any ETag the view set (the API's content digest), so a response has one ETag
    whoever serves it, the view or the cache. Being derived from the key (code, versions of
    the tables read, address and negotiated headers), every worker and every app server
    computes the same one, and answers 304 to it: before rendering when the shared cache
    knows which tables the address reads, after rendering otherwise.
    """
    return f'W/"{key[-32:]}"'


def names_etag(request, etag):
    """Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for GET).

    `*` ("any version") is left to the view, which knows whether the address exists; a value
    that is not a list of ETags names none.
    """
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header or header.strip() == "*":
        return False
    return any(tag.removeprefix("W/") == etag.removeprefix("W/") for tag in parse_etags(header))


def mark_shared(response, etag):
    """Headers of a response any reader may share: the key's ETag, and revalidate after
    CPEC_PAGE_MAX_AGE seconds. A 304 carries them too, as RFC 9110 asks."""
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.CPEC_PAGE_MAX_AGE)
    patch_cache_control(response, must_revalidate=True)
    return response


def stored_per_table_version(queryset, compute, *, kind="count", reading=None):
    """`compute()`, which reads `queryset` (its count, a few grouped rows), worked out once per
    version of the tables the queryset reads and kept in the page cache's store.

    A count of 100,000 rows costs more than rendering the page that shows it; a save to a
    meeting leaves the projects' figures alone. A page built from a stored value is keyed on
    the tables it stands for too. Off with `CPEC_COUNT_CACHE=false`. A queryset that can match
    nothing (`.none()`, `pk__in=[]`) has no SQL: it raises EmptyResultSet, for the caller to
    answer without a query.

    It is kept per version without prose of the tables whose prose it does not read
    (`dataversion.counted_versions`): `reading`, when given, is a queryset whose SQL names
    only the columns `compute` reads, where `queryset`'s names more.
    """
    if not settings.CPEC_COUNT_CACHE:
        return compute()
    sql, params = queryset.query.sql_with_params()
    versions = dataversion.versions(queryset.db)
    if versions.get(dataversion.WHOLE_DATABASE) is None:
        return compute()
    tables = dataversion.tables_in(sql)
    read_sql = sql if reading is None else reading.query.sql_with_params()[0]
    read_at = dataversion.counted_versions(read_sql, versions)
    digest = hashlib.sha256(f"{read_at!r}\n{sql}\n{params!r}".encode()).hexdigest()
    key = f"cpec-{kind}:{digest}"
    cache = caches[settings.CPEC_PAGE_CACHE_ALIAS]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.CPEC_PAGE_CACHE_SECONDS)
    else:
        dataversion.record_reads(tables)
    return value


def versioned_count(queryset):
    """`queryset.count()`, counted once per version of the tables it reads."""
    queryset = queryset.order_by()
    # What the count reads: the rows the filters give, not the columns a list shows (a
    # summary), unless the rows' columns decide which are distinct (or a union's).
    query = queryset.query
    plain = not (query.distinct or query.combinator) and query.group_by is None
    try:
        return stored_per_table_version(
            queryset, queryset.count, reading=queryset.values("pk") if plain else None
        )
    except EmptyResultSet:
        # Django's own count() answers 0 for it without a query, and so do we.
        return 0


class VersionedCountPaginator(Paginator):
    """A Paginator that counts a list once per version of the tables it counts, not on every
    request (`versioned_count`): every page of a list (and every ordering) shares the count,
    so a crawler walking 4,000 pages of projects counts them once.
    """

    @cached_property
    def count(self):
        if not hasattr(self.object_list, "query"):
            return super().count
        return versioned_count(self.object_list)
