"""gunicorn as the site is served (cpec_tracker/gunicorn.conf.py): long streams run to the end,
and no client can tell it a request came over HTTPS."""

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests import slow_stream

ROOT = Path(__file__).resolve().parent.parent.parent
CONFIG = ROOT / "cpec_tracker" / "gunicorn.conf.py"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app, *options):
    """gunicorn with the site's config serving `app` on a free port; yields its address."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            f"--config={CONFIG}",
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
            *options,
            app,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_stream_longer_than_the_worker_timeout_is_not_cut():
    # The stream lasts 4 s against a 1 s timeout: a sync worker is killed after about 1-2 s
    # and the client gets a few rows after a 200; a gthread worker keeps its heartbeat.
    with gunicorn("tests.slow_stream:application", "--timeout=1") as address:
        try:
            with urllib.request.urlopen(f"{address}/", timeout=30) as response:
                body = response.read().decode()
        except Exception as error:  # a cut chunked stream raises IncompleteRead
            body = getattr(error, "partial", b"").decode()
    assert body.splitlines() == [f"row {n}" for n in range(slow_stream.CHUNKS)]


def test_gunicorn_believes_no_forwarded_header_even_from_its_own_machine():
    # gunicorn's default trusts 127.0.0.1: a client there (or a proxy that passes the header
    # on) made a plain-HTTP request HTTPS and chose SCRIPT_NAME, the prefix of every address.
    # Whether a request is HTTPS is Django's to read, from DJANGO_PROXY_SSL_HEADER.
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on", "SCRIPT_NAME": "/evil"}
    with gunicorn("tests.wsgi_echo:application") as address:
        request = urllib.request.Request(f"{address}/evil/page/", headers=forged)
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.read().decode() == "http "
