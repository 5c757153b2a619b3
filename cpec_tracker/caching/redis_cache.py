"""Django's Redis cache, answering as an empty cache while Redis cannot be reached.

Django's `RedisCache` raises on every call when Redis is down, which would turn a cache outage
into a site outage: the page cache, the list counts and the API throttle all call it on every
request. This backend turns a failed call into a miss (`get` returns the default, `add` and
`set` store nothing, `incr` finds no key), then leaves Redis alone for
`CPEC_REDIS_RETRY_SECONDS` so that visitors do not each pay a connection attempt.

The outage is logged once, not once per request: the first process to see it creates a marker
file beside the other processes of the machine and logs a warning; the others stay quiet. The
first process to reach Redis again removes the marker and logs that it is back.

Reads (`get`, `get_many`) go over a connection of the thread's own (`ThreadReadClient`): a page
cache hit is one of them, and redis-py's way through its pool (taking a connection, checking it
has nothing unread, the retries, giving it back) cost four times the round trip itself.
"""

import functools
import hashlib
import logging
import os
import secrets
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

# Per process and Redis address: until when Redis is left alone after a failure.
_resting_until = {}
# Per process: the Redis addresses it has reached at least once.
_reached = set()


def outage_marker(location):
    """The file whose existence says an outage of Redis at `location` has been logged."""
    digest = hashlib.sha256(str(location).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"cpec-redis-unreachable-{digest}"


def report_outage(location, error):
    try:
        os.close(os.open(outage_marker(location), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return  # Another process (or this one) has logged this outage already.
    except OSError:
        pass  # No shared marker possible (read-only temp folder): log it from here.
    logger.warning(
        "Redis at %s cannot be reached (%s): serving without the cache, API throttling off, "
        "retrying every %s s.",
        location,
        error,
        settings.CPEC_REDIS_RETRY_SECONDS,
    )


def report_recovery(location):
    try:
        outage_marker(location).unlink()
    except FileNotFoundError:
        return  # Nothing was logged, or another process has said it is back.
    except OSError:
        pass
    logger.warning("Redis at %s is reachable again: the cache is back in use.", location)


def fails_as(miss):
    """Run the cache call, or answer `miss()` while Redis cannot be reached."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            location = self._servers[0]
            if time.monotonic() < _resting_until.get(location, 0):
                return miss(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNREACHABLE as error:
                _resting_until[location] = time.monotonic() + settings.CPEC_REDIS_RETRY_SECONDS
                report_outage(location, error)
                return miss(*args, **kwargs)
            if _resting_until.pop(location, None) is not None or location not in _reached:
                # Back, or reached for the first time by this process: a marker left by
                # processes that stopped during an outage must not silence the next one.
                _reached.add(location)
                report_recovery(location)
            return result

        return wrapper

    return decorator


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _default(key, default=None, version=None):
    return default


def _empty(*args, **kwargs):
    return {}


def _all_failed(data, *args, **kwargs):
    return list(data)


def _no_key(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (Redis cannot be reached).")


# Store a value only while a guard key still holds what the caller read before it computed the
# value (compare-and-set): see `cpec_tracker.caching.shared_versions`.
SET_UNLESS_CHANGED = """
if (redis.call('GET', KEYS[2]) or '') == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
    return 1
end
return 0
"""


class ThreadReadClient(RedisCacheClient):
    """Django's Redis client, reading over one connection per thread and process.

    A read sends its command and reads the answer on a `redis.Connection` that only this
    thread uses: no pool to take it from and give it back to, and none of the checks that
    sharing needs. A connection found closed (Redis restarted) is reopened once, at once; a
    read that fails midway closes it, so no half-read answer is left for the next command.
    Writes go through the pool as before.
    """

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._own = threading.local()

    def _connection(self):
        """This thread's connection to the server a read goes to, opened on first use."""
        pool = self._get_connection_pool(write=False)
        own = self._own
        if getattr(own, "pid", None) != os.getpid():
            # Not those of the process this one was forked from (a gunicorn worker's parent).
            own.pid, own.connections = os.getpid(), {}
        connection = own.connections.get(pool)
        if connection is None:
            connection = own.connections[pool] = pool.connection_class(**pool.connection_kwargs)
        return connection

    def _read(self, *command):
        connection = self._connection()
        for attempt in (1, 2):
            try:
                connection.send_command(*command)
                return connection.read_response()
            except RedisConnectionError:
                connection.disconnect()
                if attempt == 2:
                    raise
            except BaseException:
                connection.disconnect()
                raise

    def get(self, key, default):
        value = self._read("GET", key)
        return default if value is None else self._serializer.loads(value)

    def get_many(self, keys):
        keys = list(keys)
        if not keys:
            return {}
        values = self._read("MGET", *keys)
        return {
            key: self._serializer.loads(value)
            for key, value in zip(keys, values, strict=True)
            if value is not None
        }


class ResilientRedisCache(RedisCache):
    """`RedisCache`, with every call a miss while Redis cannot be reached (see the module),
    and reads over a connection of the thread's own (`ThreadReadClient`)."""

    @cached_property
    def _cache(self):
        return ThreadReadClient(self._servers, **self._options)

    get = fails_as(_default)(RedisCache.get)
    get_many = fails_as(_empty)(RedisCache.get_many)
    has_key = fails_as(_false)(RedisCache.has_key)
    add = fails_as(_false)(RedisCache.add)
    set = fails_as(_nothing)(RedisCache.set)
    set_many = fails_as(_all_failed)(RedisCache.set_many)
    touch = fails_as(_false)(RedisCache.touch)
    delete = fails_as(_false)(RedisCache.delete)
    delete_many = fails_as(_nothing)(RedisCache.delete_many)
    # A missing key: the throttle then counts this request as the window's first.
    incr = fails_as(_no_key)(RedisCache.incr)
    clear = fails_as(_false)(RedisCache.clear)

    # For a value derived from the database, kept in Redis without ever outliving a change
    # (cpec_tracker.caching.shared_versions): each call atomic in Redis.

    @fails_as(_false)
    def set_unless_changed(self, key, value, *, guard, seen, timeout):
        """Store `value` under `key` for `timeout` seconds if `guard` still holds `seen` (as
        `get_many` gave it; None for absent). Whether it was stored."""
        client = self._cache.get_client(key, write=True)
        stored = client.eval(
            SET_UNLESS_CHANGED,
            2,
            self.make_and_validate_key(key),
            self.make_and_validate_key(guard),
            "" if seen is None else str(seen),
            self._cache._serializer.dumps(value),
            max(1, int(timeout * 1000)),
        )
        return bool(stored)

    @fails_as(_false)
    def change_guard(self, guard, *, dropping):
        """Give `guard` a new random value and delete `dropping`, in one transaction. Whether
        Redis took it (False while Redis cannot be reached)."""
        client = self._cache.get_client(guard, write=True)
        with client.pipeline(transaction=True) as pipeline:
            pipeline.set(self.make_and_validate_key(guard), secrets.randbits(62))
            pipeline.delete(self.make_and_validate_key(dropping))
            pipeline.execute()
        return True
