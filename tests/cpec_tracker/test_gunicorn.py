"""gunicorn as the site is served (cpec_tracker/gunicorn.conf.py): long streams run to the end."""

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


def test_a_stream_longer_than_the_worker_timeout_is_not_cut():
    # The stream lasts 4 s against a 1 s timeout: a sync worker is killed after about 1-2 s
    # and the client gets a few rows after a 200; a gthread worker keeps its heartbeat.
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            f"--config={CONFIG}",
            "--timeout=1",
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
            "tests.slow_stream:application",
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
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
                body = response.read().decode()
        except Exception as error:  # a cut chunked stream raises IncompleteRead
            body = getattr(error, "partial", b"").decode()
        assert body.splitlines() == [f"row {n}" for n in range(slow_stream.CHUNKS)]
    finally:
        server.terminate()
        server.wait(timeout=30)
