"""Helpers for page tests: fetching a page while counting its SQL queries."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url):
    """The number of SQL queries answering `url` (which must answer 200), from a cold cache."""
    # Content types are cached per process: start each count without them, so it does not
    # depend on which tests ran before.
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def text_of(response):
    return response.content.decode()
