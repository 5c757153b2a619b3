"""Stored API details: a record's detail kept as the bytes the API sends, per version of the
tables it was read from (a per-record document cache, apart from the page cache).

Reading a project's detail is about a dozen queries and a serializer over some hundred model
instances; the answer only changes when one of the tables those queries named is written. So
the first request renders it and keeps `(the versions of the tables it read, the bytes)` in
the page cache's store (`CPEC_PAGE_CACHE_ALIAS`: Redis, or each process's memory), and the
next request serves the bytes if those tables' versions (one query, shared with the page
cache's look-up) are still the same. The versions are kept by database triggers on every
write (`cpec_tracker.caching.dataversion`), so an edit to the record or to anything its
answer shows (its organizations, sources, meetings…) is seen on the very next request, and a
record made a draft answers 404 again: the view reads it afresh, and only a 200 is stored.

A document is keyed on everything else its bytes depend on: the address (scheme, host, path
and query, so `?lang=` and any filter parameter), the language the answer is in
(`Accept-Language`), the negotiated media type, the day and the code
(`pages.code_version`). Only the body is stored: the headers, the ETag and a 304 come from
the view and its middleware as before, so an answer is byte for byte the one the view would
render. A GET writes nothing to the database for it: the store is the cache backend, whose
failures (a Redis that does not answer) cost a render, never the request.

On by default, off with `CPEC_DOCUMENT_CACHE=false` (and in debug mode), whatever
`CPEC_PAGE_CACHE` says: like the counts of lists, it is a store per table version under the
page cache, not the page cache.
"""

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

from cpec_tracker.caching import dataversion
from cpec_tracker.caching.pages import rendering_key


class StoredDetailMixin:
    """A detail answered from its stored document while the
    tables it was read from are unchanged (see the module)."""

    def retrieve(self, request, *args, **kwargs):
        if not settings.CPEC_DOCUMENT_CACHE:
            return super().retrieve(request, *args, **kwargs)
        versions = dataversion.versions()
        if versions.get(dataversion.WHOLE_DATABASE) is None:
            # Before the first write there is no version to keep a document against.
            return super().retrieve(request, *args, **kwargs)
        cache = caches[settings.CPEC_PAGE_CACHE_ALIAS]
        key = document_key(request)
        stored = cache.get(key)
        if stored is not None:
            read_at, content = stored
            tables = [table for table, _version in read_at]
            if dataversion.versions_of(tables, versions) == read_at:
                # A page cache around this view keys the answer on the tables it stands for.
                dataversion.record_reads(tables)
                return self.document_response(content)
        # Kept against the versions read before rendering: a write while it renders makes the
        # document stale at once, never the answer.
        with dataversion.recording_reads() as read:
            data = self.get_serializer(self.get_object()).data
        content = self.render_document(data)
        read_at = dataversion.versions_of(read, versions)
        cache.set(key, (read_at, content), settings.CPEC_PAGE_CACHE_SECONDS)
        return self.document_response(content)

    def render_document(self, data):
        """The bytes DRF's `Response` would render `data` to for this request."""
        renderer = self.request.accepted_renderer
        content = renderer.render(
            data, self.request.accepted_media_type, self.get_renderer_context()
        )
        return content.encode(renderer.charset) if isinstance(content, str) else content

    def document_response(self, content):
        renderer = self.request.accepted_renderer
        content_type = renderer.media_type
        if renderer.charset is not None:
            content_type = f"{content_type}; charset={renderer.charset}"
        return HttpResponse(content, content_type=content_type)


def document_key(request):
    """The key of the document `request` asks for, whatever the data."""
    return rendering_key("cpec-document", request.accepted_media_type, request.build_absolute_uri())
