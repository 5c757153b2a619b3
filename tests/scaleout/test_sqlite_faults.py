"""SQLite, the embedded default, under gunicorn: a long write, then a full disk, for real.

The database lives on a small tmpfs of its own (mounting one needs root), so the test can
fill the disk without touching anything else. Run with CPEC_SQLITE_FAULTS=1 (`.ci/scaleout`).
"""

import errno
import os
import secrets
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.admin_forms import form_data
from tests.scaleout.conftest import (
    ANSWER_SECONDS,
    API,
    ARTIFACTS,
    MAKE_ACCOUNTS,
    PAGES,
    admin_login,
    approve_pending_changes,
    meeting_admin_url,
    timed,
    visit,
)
from tests.servers import Gunicorn, manage

MEETING = "jwg-icc-5th-meeting"
BUSY_TIMEOUT_SECONDS = 1
# At most this many database connections in one gunicorn worker (one per thread).
MAX_READ_ONLY_CONNECTIONS = 8
# How long the "import" holds the write lock: well past the busy timeout.
IMPORT_SECONDS = 6

# An import that has written half its rows and holds SQLite's write lock, then fails.
IMPORT_HOLDING_THE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE meetings_meeting SET summary = 'Half-written by an import.'")
print("writing", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory):
    if not os.environ.get("CPEC_SQLITE_FAULTS"):
        pytest.skip("CPEC_SQLITE_FAULTS is not set (.ci/scaleout sets it)")
    if os.geteuid() != 0:
        pytest.skip("mounting the small tmpfs these tests fill needs root")
    mount_point = tmp_path_factory.mktemp("small-disk")
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m,mode=0755", "tmpfs", str(mount_point)],
        check=True,
    )
    yield mount_point
    subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


@pytest.fixture(scope="module")
def sqlite_server(small_disk, tmp_path_factory):
    """The site on an SQLite file on the small disk, under gunicorn with production settings."""
    database = small_disk / "db.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "false",
        "CPEC_PAGE_CACHE": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "CPEC_SQLITE_BUSY_TIMEOUT": str(BUSY_TIMEOUT_SECONDS),
        "CPEC_PROXY_COUNT": "1",
        "REDIS_URL": "",
    }
    manage("migrate", "--noinput", "-v0", env=env)
    manage("seed", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage("shell", "-c", MAKE_ACCOUNTS, env=env)
    log = ARTIFACTS / "gunicorn-sqlite.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    server = Gunicorn(env, log).start()
    yield server, database
    server.stop()


def saved_summary(database):
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return connection.execute(
            "SELECT summary FROM meetings_meeting WHERE slug = ?", [MEETING]
        ).fetchone()[0]


def integrity(database):
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def editor_with_an_edit(server, summary):
    """A logged-in editor's session, its meeting change page, and the form with `summary`."""
    editor, _ = admin_login(server)
    change_url = meeting_admin_url(server, editor, MEETING)
    edit = {k: v for k, v in form_data(editor.get(change_url)).items() if "__prefix__" not in k}
    edit["summary"] = summary
    return editor, change_url, edit


def readers_all_answer(server):
    """Every page and API answer 200 (one never rendered before among them): the slowest."""
    slowest = 0.0
    for path in [*PAGES, *API, f"/?probe={secrets.token_hex(8)}"]:
        answer, seconds = timed(visit, server, path)
        assert answer.status_code == 200, (path, answer.status_code)
        assert "Half-written" not in answer.text
        slowest = max(slowest, seconds)
    return slowest


def test_a_long_write_lets_visitors_read_and_an_editors_save_waits_then_fails_cleanly(
    sqlite_server, report
):
    server, database = sqlite_server
    summary = f"Saved by an editor during an import ({secrets.token_hex(4)})."
    editor, change_url, edit = editor_with_an_edit(server, summary)
    before = saved_summary(database)

    holder = subprocess.Popen(
        [sys.executable, "-c", IMPORT_HOLDING_THE_LOCK, str(database), str(IMPORT_SECONDS)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "writing"
        slowest_read = readers_all_answer(server)
        saved, waited = timed(editor.post, change_url, data=edit, timeout=ANSWER_SECONDS)
        assert saved.status_code == 503, saved.text[:1000]
        assert "Nothing was saved" in saved.text
        assert int(saved.headers["Retry-After"]) > 0
        assert waited >= BUSY_TIMEOUT_SECONDS  # It waited for the lock before giving up.
    finally:
        assert holder.wait(timeout=IMPORT_SECONDS * 2) == 0

    # The import rolled back and the editor's save never happened: nothing half-written.
    assert saved_summary(database) == before
    assert integrity(database) == "ok"
    # The same form, submitted again once the import is over, is saved and shown.
    assert editor.post(change_url, data=edit, allow_redirects=False).status_code == 302
    assert approve_pending_changes(server) >= 1  # a second person approves the save
    assert summary in visit(server, f"/meetings/{MEETING}/").text
    report(
        f"SQLite busy (an import holding the write lock {IMPORT_SECONDS} s): pages and API 200, "
        f"slowest {slowest_read:.2f} s; the editor's save waited {waited:.2f} s (busy timeout "
        f"{BUSY_TIMEOUT_SECONDS} s) and got a 503 'Nothing was saved'; nothing half-written, "
        f"integrity ok; the same form saved once the import was over"
    )


def fill(disk):
    """Write a file until the disk has no byte left; return it."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC
    finally:
        os.close(descriptor)
    return filler


def test_a_full_disk_refuses_an_editors_save_loses_nothing_and_readers_still_read(
    sqlite_server, report
):
    server, database = sqlite_server
    summary = f"Saved by an editor on a full disk ({secrets.token_hex(4)})."
    editor, change_url, edit = editor_with_an_edit(server, summary)
    before = saved_summary(database)

    filler = fill(database.parent)
    try:
        slowest_read = readers_all_answer(server)
        saved, seconds = timed(editor.post, change_url, data=edit, timeout=ANSWER_SECONDS)
        assert saved.status_code == 503, saved.text[:1000]
        assert "Nothing was saved" in saved.text
        assert saved_summary(database) == before
    finally:
        filler.unlink()
    freed = time.monotonic()

    assert integrity(database) == "ok"
    assert editor.post(change_url, data=edit, allow_redirects=False).status_code == 302
    assert approve_pending_changes(server) >= 1  # a second person approves the save
    assert summary in visit(server, f"/meetings/{MEETING}/").text
    report(
        f"SQLite disk full: pages and API 200 (slowest {slowest_read:.2f} s); the editor's save "
        f"got a 503 'Nothing was saved' in {seconds:.2f} s; earlier data intact, integrity ok; "
        f"the same form saved {time.monotonic() - freed:.2f} s after space was freed"
    )


def test_a_read_only_database_refuses_an_editors_save_loses_nothing_and_readers_read(
    sqlite_server, report
):
    server, database = sqlite_server
    summary = f"Saved by an editor on a read-only file ({secrets.token_hex(4)})."
    editor, change_url, edit = editor_with_an_edit(server, summary)
    before = saved_summary(database)

    subprocess.run(["chattr", "+i", str(database)], check=True)
    try:
        # A server started on the read-only file (one opened before keeps writing through
        # its open file until it reconnects), one worker so the test knows its connection.
        read_only = Gunicorn(server.env, ARTIFACTS / "gunicorn-sqlite-read-only.log", workers=1)
        read_only.start()
        try:
            slowest_read = readers_all_answer(read_only)
            saved, seconds = timed(
                editor.post,
                change_url.replace(server.url, read_only.url),
                data=edit,
                timeout=ANSWER_SECONDS,
            )
            assert saved.status_code == 503, saved.text[:1000]
            assert "Nothing was saved" in saved.text
            assert saved_summary(database) == before
        finally:
            subprocess.run(["chattr", "-i", str(database)], check=True)
        writable = time.monotonic()
        # Writable again: the same server saves the same form. A connection opened while the
        # file was read-only stays so until it fails once (and is dropped, nothing saved);
        # a threaded worker has one per thread, so the editor may need a few tries.
        tries = []
        while not tries or tries[-1] == 503:
            tries.append(
                editor.post(
                    change_url.replace(server.url, read_only.url), data=edit, allow_redirects=False
                ).status_code
            )
            assert len(tries) <= MAX_READ_ONLY_CONNECTIONS + 1, tries
        assert tries[-1] == 302, tries
    finally:
        read_only.stop()
    assert integrity(database) == "ok"
    assert approve_pending_changes(server) >= 1  # a second person approves the save
    assert summary in visit(server, f"/meetings/{MEETING}/").text
    report(
        f"SQLite file read-only (chattr +i): pages and API 200 (slowest {slowest_read:.2f} s); "
        f"the editor's save got a 503 'Nothing was saved' in {seconds:.2f} s; earlier data "
        f"intact, integrity ok; the same form saved by the same server "
        f"{time.monotonic() - writable:.2f} s after the file was writable again "
        f"(answers {tries}: each read-only connection refuses once, then reconnects)"
    )
