"""The /data/ build spread over processes (cpec_tracker/forked.py): pieces run in forked
processes when those can see the data, and here, in order, when they cannot; the files are
the same either way."""

import gc
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import weakref
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from cpec_tracker.forked import run_forked
from cpec_tracker.site import datafiles
from projects.models import Project
from tests.cpec_tracker.test_opendata import add_related_records
from tests.servers import PROJECT


class PieceFailed(Exception):
    pass


def fail():
    raise PieceFailed("a piece failed")


def published_projects():
    return Project.objects.published().count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pieces_run_in_forked_processes_and_give_their_results_in_order(make):
    make.make_project(slug="committed-before-the-fork")
    pieces = [os.getpid, published_projects, *[os.getpid] * 4, lambda: "last"]
    results = run_forked(pieces, processes=2)
    assert results[-1] == "last"
    assert results[1] == 1  # each process reads the database over its own connection
    pids = set(results[:1] + results[2:-1])
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    # This process still reads it, over a new connection.
    assert published_projects() == 1


def database_session():
    """This process's database session: PostgreSQL's backend pid, or SQLite's connection."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]
    connection.ensure_connection()
    return id(connection.connection)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_forked_process_never_talks_over_its_parents_connection(make, monkeypatch):
    """Even one the parent left open (a close Django skipped): on one socket, two processes'
    queries and answers cross, and both wait forever."""
    make.make_project(slug="committed-before-the-fork")
    parent_session = database_session()
    monkeypatch.setattr(connections, "close_all", lambda: None)
    pieces = [database_session, published_projects] * 3
    results = run_forked(pieces, processes=2)
    assert results[1::2] == [1, 1, 1]
    if connection.vendor == "postgresql":
        assert parent_session not in results[::2]
    # The parent's session goes on: no process ended it.
    assert database_session() == parent_session
    assert published_projects() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_piece_fails_the_run():
    with pytest.raises(PieceFailed):
        run_forked([os.getpid, fail, os.getpid], processes=2)


class Cycle:
    def __init__(self):
        self.itself = self


# The cycles made by the pieces a process ran, as weak references.
_cycles_made = []


def make_cycle_and_look_back():
    """Make a cycle (garbage once the piece returns) and say whether the cycles the pieces
    before this one made in this process are gone, with how the collector is set."""
    earlier_cycles_gone = all(made() is None for made in _cycles_made)
    _cycles_made.append(weakref.ref(Cycle()))
    return gc.isenabled(), gc.get_freeze_count() > 0, earlier_cycles_gone


def test_a_piece_runs_without_the_automatic_collector_and_its_garbage_goes_after_it():
    """The collector's passes over a piece's millions of short-lived rows were a fifth of a
    build's time: off during a piece, one collection after it."""
    results = run_forked([make_cycle_and_look_back] * 6, processes=2)
    assert results == [(False, True, True)] * 6
    assert gc.isenabled()  # this process's collector is untouched


@pytest.mark.django_db
def test_in_a_transaction_the_pieces_run_here_and_see_its_uncommitted_rows(make):
    make.make_project(slug="not-committed")
    assert transaction.get_connection().in_atomic_block
    results = run_forked([os.getpid, published_projects, os.getpid], processes=2)
    assert results == [os.getpid(), 1, os.getpid()]


SLEEPING_PIECES = """
import os, sys, time, django
django.setup()
from cpec_tracker.forked import run_forked

def piece(number):
    path = f"{sys.argv[1]}/piece-{number}"
    with open(path + ".part", "w") as out:
        out.write(str(os.getpid()))
    os.rename(path + ".part", path)
    time.sleep(120)

run_forked([lambda: piece(1), lambda: piece(2)], processes=2)
"""


def ended(pid):
    """Whether the process is gone (or a zombie no one has reaped yet)."""
    try:
        status = open(f"/proc/{pid}/status").read()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


def test_a_process_killed_outright_leaves_none_of_its_pieces_running(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cpec_tracker.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    parent = subprocess.Popen(
        [sys.executable, "-c", SLEEPING_PIECES, str(tmp_path)], env=env, cwd=PROJECT
    )
    try:
        deadline = time.monotonic() + 60
        while len(list(tmp_path.glob("piece-?"))) < 2:
            assert time.monotonic() < deadline and parent.poll() is None, "no pieces started"
            time.sleep(0.05)
        pids = [int(path.read_text()) for path in tmp_path.glob("piece-?")]
        assert parent.pid not in pids
        os.kill(parent.pid, signal.SIGKILL)
    finally:
        parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while not all(ended(pid) for pid in pids):
        assert time.monotonic() < deadline, "a piece outlived the process that forked it"
        time.sleep(0.05)


def build_files(folder, settings, processes):
    settings.CPEC_DATA_BUILD_PROCESSES = processes
    folder.mkdir()
    return datafiles.write_files(folder, "same-version")


def sqlite_dump(path):
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_build_in_two_processes_writes_what_a_build_in_one_writes(
    make, monkeypatch, settings, tmp_path
):
    call_command("seed", verbosity=0)
    add_related_records(make, 7)
    # Several pieces of each JSON Lines file, joined in order.
    monkeypatch.setattr(datafiles, "JSONL_PIECE_RECORDS", 3)
    one = build_files(tmp_path / "one", settings, processes=1)
    two = build_files(tmp_path / "two", settings, processes=2)

    def files(manifest):
        return {entry["name"]: entry for entry in manifest["files"]}

    one_files, two_files = files(one), files(two)
    assert list(one_files) == list(two_files)
    assert json.loads((tmp_path / "two" / "projects.jsonl").read_text().splitlines()[0])
    for name, entry in one_files.items():
        assert entry["rows"] == two_files[name]["rows"], name
        if name.endswith((".jsonl", ".csv", ".geojson", "-popolo.json")):
            assert entry["hash"] == two_files[name]["hash"], name
    assert sqlite_dump(tmp_path / "one" / datafiles.SQLITE_NAME) == sqlite_dump(
        tmp_path / "two" / datafiles.SQLITE_NAME
    )
    with zipfile.ZipFile(tmp_path / "two" / datafiles.ZIP_NAME) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                assert archive.read(name) == (tmp_path / "one" / name).read_bytes(), name
    # Nothing of the pieces is left in the build's folder.
    assert not (tmp_path / "two" / datafiles.PIECES_FOLDER).exists()
    projects = one_files["projects.jsonl"]["rows"]
    assert projects > 3 * 2  # three pieces at least
