"""Helpers for the API tests: read a response's JSON or CSV, count a request's queries."""

import csv
import io

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

BYTE_ORDER_MARK = "\ufeff".encode()


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def get_csv(client, url):
    """The rows of a CSV answer as dicts, and the response."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    content = b"".join(response.streaming_content)
    # The byte-order mark a spreadsheet needs to read UTF-8 (see CSVRenderer).
    assert content.startswith(BYTE_ORDER_MARK)
    text = content.removeprefix(BYTE_ORDER_MARK).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text))), response


def slugs(data):
    return [item["slug"] for item in data["results"]]


def queries_for(client, url):
    """How many SQL queries answering GET `url` takes, from a cold cache of content types."""
    # Content types are cached per process: start each count without them, so it does not
    # depend on which tests ran before (as tests/pages.py's).
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, response.content[:500]
    return len(context.captured_queries)
