"""With Redis, the tables' versions are kept there (cpec_tracker.caching.shared_versions): a
page-cache hit reads no SQL, and still no server serves a page older than a committed save."""

import os
import subprocess
import sys
import threading

import pytest
import redis.connection
from django.conf import settings as django_settings
from django.db import connection, transaction

from cpec_tracker.caching import dataversion, redis_cache, shared_versions
from meetings.models import Meeting
from tests.servers import Redis, database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed"),
]


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = Redis(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def redis_page_cache(redis_server, settings, monkeypatch):
    """The page cache in a real Redis, keeping the versions (as with REDIS_URL set)."""
    monkeypatch.setattr(redis_cache, "_resting_until", {})
    monkeypatch.setattr(shared_versions, "_drops_owed", set())
    settings.CACHES = {
        "default": {
            "BACKEND": "cpec_tracker.caching.redis_cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": f"test-{os.getpid()}",
        }
    }
    settings.CPEC_PAGE_CACHE = True
    settings.CPEC_VERSIONS_CACHE_SECONDS = 60
    cache = shared_versions.page_cache()
    cache.clear()
    assert shared_versions.kept_in_cache()
    yield cache
    cache.clear()


def page(client, meeting):
    answer = client.get(meeting.get_absolute_url())
    return answer.get("X-Cache"), answer.content.decode()


def test_a_cache_hit_reads_no_query(client, make, redis_page_cache, django_assert_num_queries):
    make.make_meeting(title="Cached meeting")
    first = client.get("/meetings/")
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/meetings/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_a_cache_hit_is_one_redis_round_trip(client, make, redis_page_cache, monkeypatch):
    # The versions and the page stored at the address come in one MGET.
    make.make_meeting(title="Cached meeting")
    assert client.get("/meetings/")["X-Cache"] == "miss"
    sent = []
    send = redis.connection.AbstractConnection.send_packed_command

    def counted(connection, command, *args, **kwargs):
        sent.append(command)
        return send(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    assert client.get("/meetings/")["X-Cache"] == "hit"
    assert len(sent) == 1


def test_a_save_committed_on_another_connection_shows_on_the_next_request(
    client, make, redis_page_cache
):
    meeting = make.make_meeting(title="Before the edit")
    page(client, meeting)
    assert page(client, meeting)[0] == "hit"

    def save_elsewhere():  # another thread: a connection of its own, committing its transaction
        with transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(title="After the edit")

    thread = threading.Thread(target=save_elsewhere)
    thread.start()
    thread.join()
    status, content = page(client, meeting)
    assert "After the edit" in content
    assert status == "miss"


def test_a_save_in_another_process_shows_on_the_next_request(
    client, make, redis_page_cache, redis_server
):
    meeting = make.make_meeting(title="Before the edit")
    page(client, meeting)
    assert page(client, meeting)[0] == "hit"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": redis_server.url,
        "CPEC_CACHE_KEY_PREFIX": f"test-{os.getpid()}",
    }
    command = (
        "from meetings.models import Meeting\n"
        f"meeting = Meeting.objects.get(pk={meeting.pk}); meeting.title = 'After the edit'\n"
        "meeting.save()"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", command],
        cwd=django_settings.BASE_DIR,
        env=environment,
        check=True,
        capture_output=True,
    )
    assert "After the edit" in page(client, meeting)[1]


def test_a_transaction_that_wrote_reads_its_own_versions(make, redis_page_cache):
    make.make_meeting()
    before = dataversion.versions()
    with transaction.atomic():
        Meeting.objects.update(title="Renamed")
        inside = dataversion.versions()
        assert inside["meetings_meeting"] != before["meetings_meeting"]
    assert dataversion.versions() == inside


def test_versions_read_before_a_save_are_not_stored_after_it(make, redis_page_cache):
    make.make_meeting()
    versions_key, guard_key = shared_versions.keys("default")
    seen = redis_page_cache.get_many([guard_key]).get(guard_key)
    before = dataversion._read_versions("default")
    Meeting.objects.update(title="Renamed")  # commits and changes the guard
    stored = redis_page_cache.set_unless_changed(
        versions_key, before, guard=guard_key, seen=seen, timeout=60
    )
    assert not stored
    assert redis_page_cache.get(versions_key) is None
    assert dataversion.versions() != before


def test_redis_down_gives_the_databases_versions(client, make, redis_page_cache, redis_server):
    meeting = make.make_meeting(title="Before the edit")
    page(client, meeting)
    redis_server.stop()
    try:
        Meeting.objects.filter(pk=meeting.pk).update(title="After the edit")
        assert "After the edit" in page(client, meeting)[1]
    finally:
        redis_server.start()


def test_a_drop_redis_did_not_take_makes_this_process_read_the_database(
    client, make, redis_page_cache, monkeypatch
):
    meeting = make.make_meeting(title="Before the edit")
    page(client, meeting)
    assert page(client, meeting)[0] == "hit"
    # Redis misses the drop (a blip) but keeps the copy of the versions read before the save.
    with monkeypatch.context() as patch:
        patch.setattr(type(redis_page_cache), "change_guard", lambda *args, **kwargs: False)
        Meeting.objects.filter(pk=meeting.pk).update(title="After the edit")
        assert shared_versions._drops_owed == {"default"}
        assert "After the edit" in page(client, meeting)[1]
    # Redis is back: the drop is paid, then the copy in Redis is used again.
    assert "After the edit" in page(client, meeting)[1]
    assert shared_versions._drops_owed == set()
    assert page(client, meeting)[0] == "hit"
