"""Django's Redis cache, answering as an empty cache while Redis cannot be reached.

Django's `RedisCache` raises on every call when Redis is down, which would turn a cache outage
into a site outage: the page cache, the list counts and the API throttle all call it on every
request. This backend turns a failed call into a miss (`get` returns the default, `add` and
`set` store nothing, `incr` finds no key), then leaves Redis alone for
`CPEC_REDIS_RETRY_SECONDS` so that visitors do not each pay a connection attempt.

The outage is logged once, not once per request: the first process to see it creates a marker
file beside the other processes of the machine and logs a warning; the others stay quiet. The
first process to reach Redis again removes the marker and logs that it is back.
"""

import functools
import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
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


class ResilientRedisCache(RedisCache):
    """`RedisCache`, with every call a miss while Redis cannot be reached (see the module)."""

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
