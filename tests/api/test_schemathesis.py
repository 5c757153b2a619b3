"""Schemathesis over the whole API v1 schema, through WSGI, with every check it has.

Each operation gets positive and negative examples (valid and invalid parameters); a 500, an
undocumented status or content type, a response that breaks the schema, valid input refused or
invalid input accepted all fail the test.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings

# The schema is read while tests are collected, before any database is open: the page cache,
# which reads the data version from the database, stays out of that request.
with override_settings(CPEC_PAGE_CACHE=False):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())

# Enough to find what a new parameter breaks while keeping this file around a minute; set
# CPEC_SCHEMATHESIS_EXAMPLES to search harder.
MAX_EXAMPLES = int(os.environ.get("CPEC_SCHEMATHESIS_EXAMPLES", "30"))


@pytest.fixture
def requests_keep_the_test_connection():
    # Django's test client does the same: a WSGI request must not close the connection that
    # holds the test's transaction (on PostgreSQL every later request would fail).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, seeded, requests_keep_the_test_connection):
    case.call_and_validate()
