"""Faults degrade, never break: a database that cannot answer is a 503, a lost Redis a miss.

The errors here are real ones, from a real SQLite file locked or opened read-only and a real
connection refused where no Redis listens; tests/scaleout/ injects the same faults into
running gunicorn servers.
"""

import json
import logging
import socket
import sqlite3
import tempfile
import threading

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from cpec_tracker.caching import redis_cache
from cpec_tracker.caching.redis_cache import ResilientRedisCache
from cpec_tracker.site.views import database_unavailable, server_error
from tests.servers import Redis, free_port


def django_error(action):
    """The Django OperationalError that `action` raises, as Django wraps sqlite3's."""
    try:
        action()
    except sqlite3.OperationalError as cause:
        try:
            raise OperationalError(*cause.args) from cause
        except OperationalError as error:
            return error
    raise AssertionError("no error raised")


@pytest.fixture
def database_file(tmp_path):
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE record (name TEXT)")
    return path


@pytest.fixture
def locked_error(database_file):
    """The error a writer gets when another holds the write lock past the busy timeout."""
    holder = sqlite3.connect(database_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO record VALUES ('an import, half way')")
    writer = sqlite3.connect(database_file, timeout=0)
    error = django_error(lambda: writer.execute("INSERT INTO record VALUES ('an edit')"))
    holder.rollback()
    return error


def read_only_error(database_file):
    reader = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    return django_error(lambda: reader.execute("INSERT INTO record VALUES ('an edit')"))


def missing_table_error(database_file):
    return django_error(lambda: sqlite3.connect(database_file).execute("SELECT * FROM nothing"))


def answer_during(error, request):
    try:
        raise error
    except Exception:
        return server_error(request)


def test_locked_and_read_only_databases_are_unavailable_a_missing_table_is_a_bug(
    locked_error, database_file
):
    assert database_unavailable(locked_error)
    assert database_unavailable(read_only_error(database_file))
    assert not database_unavailable(missing_table_error(database_file))
    assert not database_unavailable(ValueError("not the database"))


def test_a_busy_database_answers_an_editors_save_with_a_503_that_says_nothing_was_saved(
    locked_error,
):
    request = RequestFactory().post("/admin/meetings/meeting/1/change/", {"title": "x"})
    response = answer_during(locked_error, request)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert b"Nothing was saved" in response.content


def test_a_database_that_cannot_answer_is_a_503_page_for_visitors_and_json_for_the_api(
    locked_error,
):
    page = answer_during(locked_error, RequestFactory().get("/meetings/"))
    assert page.status_code == 503
    assert b"Temporarily unavailable" in page.content
    assert b"Nothing was saved" not in page.content
    api = answer_during(locked_error, RequestFactory().get("/api/v1/meetings/"))
    assert api.status_code == 503
    assert api["Content-Type"] == "application/json"
    assert set(json.loads(api.content)) == {"detail", "errors"}
    assert int(api["Retry-After"]) > 0


def test_any_other_error_is_still_a_500(database_file):
    response = answer_during(missing_table_error(database_file), RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
def test_the_page_cache_says_whether_it_answered_from_a_stored_copy(client, make, page_cache):
    make.make_meeting()
    assert client.get("/meetings/")["X-Cache"] == "miss"
    assert client.get("/meetings/")["X-Cache"] == "hit"
    assert "X-Cache" not in client.get("/healthz")


@pytest.fixture
def unreachable_redis(settings, tmp_path, monkeypatch):
    """A Redis address where nothing listens (connections are refused), as the cache."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # The outage marker goes here.
    settings.CPEC_REDIS_RETRY_SECONDS = 0  # Try Redis on every call: still one warning.
    location = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "cpec_tracker.caching.redis_cache.ResilientRedisCache",
            "LOCATION": location,
        }
    }
    return location


def test_unreachable_redis_answers_every_call_as_an_empty_cache_and_warns_once(
    unreachable_redis, caplog
):
    cache = ResilientRedisCache(unreachable_redis, {})
    with caplog.at_level(logging.WARNING, logger="cpec_tracker.caching.redis_cache"):
        for _ in range(3):
            assert cache.get("page", "missed") == "missed"
            assert cache.get_many(["page"]) == {}
            assert cache.add("count", 0) is False
            assert cache.set("page", "stored") is None
            assert cache.has_key("page") is False
            with pytest.raises(ValueError):
                cache.incr("count")
    assert len(caplog.records) == 1
    assert "cannot be reached" in caplog.records[0].getMessage()


@pytest.mark.django_db
def test_unreachable_redis_lets_the_api_answer_past_its_throttle_limit(
    unreachable_redis, settings, make
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/day"},
    }
    make.make_theme()
    client = Client()
    statuses = {client.get("/api/v1/themes/").status_code for _ in range(5)}
    assert statuses == {200}


@pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed")
def test_an_outage_logged_by_processes_long_gone_does_not_silence_the_next_one(
    settings, tmp_path, monkeypatch, caplog
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(redis_cache, "_reached", set())  # A process just started.
    settings.CPEC_REDIS_RETRY_SECONDS = 0
    server = Redis(tmp_path).start()
    cache = ResilientRedisCache(server.url, {})
    # Left by processes that stopped while an earlier outage lasted.
    redis_cache.outage_marker(server.url).touch()
    try:
        with caplog.at_level(logging.WARNING, logger="cpec_tracker.caching.redis_cache"):
            cache.set("page", "stored")
            assert cache.get("page") == "stored"
            server.stop()
            assert cache.get("page") is None
    finally:
        server.stop()
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert "reachable again" in messages[0]
    assert "cannot be reached" in messages[1]


@pytest.fixture
def redis_server(tmp_path):
    if not Redis.available():
        pytest.skip("redis-server is not installed")
    server = Redis(tmp_path).start()
    yield server
    server.stop()


def test_reads_take_no_connection_from_the_pool_and_threads_never_share_one(redis_server):
    """A page cache hit's read goes over a connection of the thread's own: answers read by
    eight threads at once are each the thread's own values, never another's."""
    cache = ResilientRedisCache(redis_server.url, {})
    cache.set_many({f"page-{n}": f"stored-{n}" for n in range(8)})
    pool = cache._cache._get_connection_pool(write=False)
    pooled_before = len(pool._available_connections) + len(pool._in_use_connections)
    failures = []

    def read(n):
        for _ in range(300):
            found = cache.get_many([f"page-{n}", "absent"])
            if found != {f"page-{n}": f"stored-{n}"} or cache.get(f"page-{n}") != f"stored-{n}":
                failures.append((n, found))

    threads = [threading.Thread(target=read, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(pool._available_connections) + len(pool._in_use_connections) == pooled_before


def test_a_read_after_redis_closed_the_connection_is_answered_at_once(redis_server, caplog):
    """Redis restarted (here: every client's connection closed): the next read reopens the
    thread's connection and finds what is stored, no miss and no outage logged."""
    cache = ResilientRedisCache(redis_server.url, {})
    cache.set("page", "stored")
    assert cache.get("page") == "stored"
    with socket.create_connection(("127.0.0.1", redis_server.port)) as admin:
        admin.sendall(b"CLIENT KILL TYPE normal SKIPME yes\r\n")
        assert admin.recv(64).startswith(b":")
    with caplog.at_level(logging.WARNING, logger="cpec_tracker.caching.redis_cache"):
        assert cache.get_many(["page"]) == {"page": "stored"}
    assert caplog.records == []


@pytest.fixture
def data_version_raises(monkeypatch, page_cache):
    """Every request's first query (the page cache's data-version read) raises `error`."""
    from cpec_tracker.caching import dataversion

    def raise_error(error):
        def read_versions(using="default"):
            raise error

        monkeypatch.setattr(dataversion, "current", read_versions)
        monkeypatch.setattr(dataversion, "versions", read_versions)

    return raise_error


@pytest.mark.django_db
def test_a_database_outage_is_logged_as_one_warning_line_without_traceback(
    locked_error, data_version_raises, caplog
):
    data_version_raises(locked_error)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/meetings/?page=\n2")
    assert response.status_code == 503
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    (record,) = records
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    message = record.getMessage()
    assert "\n" not in message
    assert "503" in message and "GET /meetings/" in message
    assert "database is locked" in message


@pytest.mark.django_db
def test_a_bug_is_still_logged_at_error_with_its_traceback(
    database_file, data_version_raises, caplog
):
    data_version_raises(missing_table_error(database_file))
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/meetings/")
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].name == "django.request"
    assert errors[0].exc_info is not None
    assert isinstance(errors[0].exc_info[1], OperationalError)
