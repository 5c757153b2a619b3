"""The tables' versions kept in Redis beside the pages, so that a page-cache hit reads no SQL.

Without this, every hit reads `cpec_tracker_tableversion` (one query; on PostgreSQL a round trip
that costs as much as the rest of the hit). With Redis configured (the page cache is a
`ResilientRedisCache`) the versions are cached in Redis and read in the same round trip as the
page stored at its address (`read`), under a key naming the database, so two databases never
share them.

The database stays the source of truth (its triggers see every write); Redis holds a copy
that must never be older than a committed write Django made, on any server:

- **Dropped on commit.** Every statement that writes a tracked table, through any Django
  connection (the ORM, `bulk_create`, `update()`, raw SQL on a Django cursor, `migrate`, the
  seed), registers `transaction.on_commit` to drop the copy; so the save's own request drops
  it before it answers, and the next request anywhere reads the database again.
- **Stored unless changed.** A request that found no copy reads the database and stores what
  it read only if the guard key it read before the database is still the same (a Lua
  compare-and-set): a save that committed and dropped the copy in between gave the guard a new
  value, so an answer read before the save is never stored after it.
- **Never read by a transaction that wrote.** A transaction that wrote a tracked table and has
  not committed reads the versions from the database, which it sees with its own writes.
- **Redis down**: the cache answers empty, so the versions come from the database; a drop that
  failed is owed, and this process reads the database until Redis has taken it.
- **Writes Django never saw** (psql by hand, a process killed between its commit and the drop,
  a drop lost while another server could still reach Redis) are bounded by the copy's lifetime,
  `CPEC_VERSIONS_CACHE_SECONDS` (5 s by default; 0 switches the copy off).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connections

from cpec_tracker.caching import dataversion

# Statements that begin with these write nothing (a SELECT ... FOR UPDATE locks, and the
# savepoints only delimit the writes, which are seen on their own).
NON_WRITING = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK")
# Aliases whose drop Redis did not take: this process trusts no copy of them until it has.
_drops_owed = set()


def page_cache():
    return caches[settings.CPEC_PAGE_CACHE_ALIAS]


def kept_in_cache():
    """Whether the versions are kept in the page cache: only a shared Redis can hold them (a
    process's own memory would be stale to the others), and only when asked for."""
    return settings.CPEC_VERSIONS_CACHE_SECONDS > 0 and hasattr(page_cache(), "set_unless_changed")


def keys(using):
    """(the versions' key, their guard's key) for the database `using` names: by its engine
    and name (not its host, which servers may spell differently: 127.0.0.1, localhost), so
    two databases of the same name behind one Redis need CPEC_CACHE_KEY_PREFIXes of their own."""
    connection = connections[using]
    return _keys(connection.vendor, str(connection.settings_dict["NAME"]))


@functools.lru_cache(maxsize=32)
def _keys(vendor, name):
    digest = hashlib.sha256(f"{vendor}\n{name}".encode()).hexdigest()[:32]
    return f"cpec-versions:{digest}", f"cpec-versions-guard:{digest}"


def read(using, key, read_database):
    """(the versions, what the page cache holds under `key` or None): from Redis in one round
    trip when the versions are kept there and may be trusted, else `read_database()`."""
    cache = page_cache()
    if not kept_in_cache() or _wrote_uncommitted(connections[using]) or not _owed_dropped(using):
        return read_database(), (cache.get(key) if key else None)
    versions_key, guard_key = keys(using)
    found = cache.get_many([versions_key, guard_key, *([key] if key else [])])
    versions = found.get(versions_key)
    if versions is None:
        versions = read_database()
        cache.set_unless_changed(
            versions_key,
            versions,
            guard=guard_key,
            seen=found.get(guard_key),
            timeout=settings.CPEC_VERSIONS_CACHE_SECONDS,
        )
    return versions, found.get(key) if key else None


def _owed_dropped(using):
    """Whether this process owes Redis no drop of `using`'s versions (paying it if it can)."""
    if using not in _drops_owed:
        return True
    if drop(using):
        _drops_owed.discard(using)
        return True
    return False


def drop(using):
    """Drop the copy of `using`'s versions and change its guard; whether Redis took it."""
    versions_key, guard_key = keys(using)
    return page_cache().change_guard(guard_key, dropping=versions_key)


@functools.cache
def _dropper(using):
    """The on-commit callback for `using` (one object per alias, so a transaction registers
    it once: see `_wrote_uncommitted`)."""

    def drop_on_commit():
        if not drop(using):
            _drops_owed.add(using)

    return drop_on_commit


def _wrote_uncommitted(connection):
    """Whether the connection's open transaction wrote a tracked table (its drop is pending)."""
    callback = _dropper(connection.alias)
    # Django keeps a transaction's callbacks in `run_on_commit` as (savepoints, callback,
    # robust), and forgets those of a savepoint rolled back: so does this.
    return any(entry[1] is callback for entry in connection.run_on_commit)


def noting_writes(execute, sql, params, many, context):
    """Execute wrapper on every connection: a statement that writes a tracked table drops the
    copy of the versions when its transaction commits (at once in autocommit)."""
    result = execute(sql, params, many, context)
    if kept_in_cache() and not sql.lstrip()[:9].upper().startswith(NON_WRITING):
        if dataversion.tables_in(sql):
            connection = context["connection"]
            if not _wrote_uncommitted(connection):
                if connection.in_atomic_block or connection.get_autocommit():
                    connection.on_commit(_dropper(connection.alias), robust=True)
                else:
                    # A transaction managed by hand: no commit hook. Dropped now, and again by
                    # the copy's lifetime after the commit.
                    _dropper(connection.alias)()
    return result


def watch_writes(sender, connection, **kwargs):
    """connection_created receiver: `noting_writes` on every connection, once. First in the
    list: a connection opened inside `connection.execute_wrapper(...)` has that wrapper popped
    off the end when the block ends."""
    if noting_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, noting_writes)
