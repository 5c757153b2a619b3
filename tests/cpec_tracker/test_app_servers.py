"""Real gunicorn processes on the suite's database: what one app server hands out, another
honours. Each server has its own in-memory cache, as two servers without Redis do."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.servers import database_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Behind a reverse proxy every app server sees the site's one host name; the page cache keys
# (and so the ETags) include it.
HOST = "127.0.0.1"


def request(port, path, headers=None):
    """GET `path` from the server on `port`: (status, headers)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        conn.close()


def wait_until_serving(port, server):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {server.stderr.read().decode()[-2000:]}")
        try:
            if request(port, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer within 60 s")


@pytest.fixture
def app_servers(collected_static):
    """Two gunicorn instances (one sync worker each) with the production settings, serving
    the test database on loopback ports of their own; yields their ports."""
    environment = {
        **{
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "CPEC_", "DATABASE_URL", "REDIS_URL"))
        },
        "DJANGO_SETTINGS_MODULE": "cpec_tracker.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_STATIC_ROOT": str(collected_static),
        "DATABASE_URL": database_url(connection.settings_dict),
    }
    servers = []
    try:
        for _ in range(2):
            # Bound here on port 0 and handed over, so the port is free and known.
            listener = socket.create_server(("127.0.0.1", 0))
            port = listener.getsockname()[1]
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "cpec_tracker.wsgi", "--workers", "1"]
                + ["--bind", f"fd://{listener.fileno()}"],
                cwd=django_settings.BASE_DIR,
                env=environment,
                pass_fds=[listener.fileno()],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            listener.close()
            servers.append((port, server))
        for port, server in servers:
            wait_until_serving(port, server)
        yield [port for port, _ in servers]
    finally:
        for _, server in servers:
            server.terminate()
        for _, server in servers:
            server.wait(timeout=30)
            server.stderr.close()


@pytest.mark.parametrize(
    "path", ["/meetings/", "/officials/", "/api/v1/meetings/", "/api/v1/projects/"]
)
def test_etag_from_one_app_server_gets_a_304_from_the_other(app_servers, make, path):
    make.make_meeting(title="Seen by both servers")
    make.make_project()
    first, second = app_servers

    status, headers = request(first, path)
    assert status == 200
    etag = headers["ETag"]
    # The second server never rendered the page: a miss there, answered from the key alone.
    assert request(second, path, {"If-None-Match": etag})[0] == 304
    # The first server has the page stored: a hit.
    assert request(first, path, {"If-None-Match": etag})[0] == 304
    # Rendered by the second server too, the page carries the same ETag.
    status, headers = request(second, path)
    assert (status, headers["ETag"]) == (200, etag)
