"""Run independent pieces of CPU-bound work at once, each in a forked process.

Python runs one thread at a time, so a job that is all Python (the /data/ build: minutes of
reading rows and writing JSON at 100,000 projects) uses one core however many the machine has.
`run_forked` spreads a list of such pieces over a few processes forked from this one: each
inherits what this process has set up (settings, translations, the build's folder) and opens
its own database connection.

Where other processes cannot see this one's data, the pieces run here, one after another:
inside a transaction (uncommitted rows; the test suite's), and on an in-memory SQLite database.
"""

import ctypes
import gc
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor

from django.core.cache import caches
from django.db import connections

# The pieces of the running `run_forked`, for the forked processes to find by index: a
# process pool sends each process the function to call pickled, and a closure cannot be.
_pieces = ()


def _run_piece(index):
    try:
        return _pieces[index]()
    finally:
        # The piece's cyclic garbage, if any, collected at once (see _start_piece_process).
        gc.collect()


# Database connections a forked process inherited open: kept, never closed nor collected (a
# PostgreSQL connection's finalizer would tell the server to end the parent's session); the
# process ends with os._exit, which runs no finalizers.
_inherited = []

# prctl(2)'s option: the signal this process gets when the process that forked it ends.
PR_SET_PDEATHSIG = 1


def _start_piece_process(parent):
    """Set up a forked process before its first piece.

    Its database connections are its own: any it inherited open (its parent's sockets, which
    the parent closes before forking, but a connection's close is skipped in some states) are
    dropped without a word to the server, which is still talking to the parent over them;
    the first query opens a new one.

    Its cyclic garbage collector runs once after each piece, not every 700 new objects: a
    piece makes millions of short-lived dicts and lists (rows, items), which reference
    counting frees, and the collector's passes over them were a fifth of a /data/ build's
    time. What the process inherited is frozen out of those passes.

    The kernel kills it when its parent ends: a worker killed mid-build (SIGKILL) must not
    leave its build's processes running, holding what it held (the build's lock, inherited)
    and writing into a folder the next build removes.
    """
    gc.disable()
    gc.freeze()
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            _inherited.append(connection.connection)
        connection.connection = None
        connection.closed_in_transaction = False
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:  # Not Linux: the processes end when their piece does.
        return
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # It ended before prctl took effect.
        os._exit(1)


def shared_with_other_processes():
    """Whether a process connecting now sees what this one sees in every database."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            return False
    for connection in connections.all():
        if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
            connection.settings_dict["NAME"]
        ):
            return False
    return True


def run_forked(pieces, processes):
    """Each of `pieces` (functions of no argument) called, their results in the same order.

    Up to `processes` at a time, each in a forked process, taking the pieces in their order as
    processes free up: put the longest first. An exception in a piece is raised here (after
    the pieces already running end); a process killed outright raises BrokenProcessPool.
    """
    global _pieces
    if processes <= 1 or len(pieces) <= 1 or not shared_with_other_processes():
        return [piece() for piece in pieces]
    # A forked process must not share this one's sockets: it would talk over them to the
    # database and the cache at the same time as this process. Closed here, each side
    # reconnects on its next query.
    connections.close_all()
    caches.close_all()
    _pieces = tuple(pieces)
    try:
        with ProcessPoolExecutor(
            max_workers=min(processes, len(pieces)),
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_piece_process,
            initargs=(os.getpid(),),
        ) as pool:
            return list(pool.map(_run_piece, range(len(pieces))))
    finally:
        _pieces = ()
