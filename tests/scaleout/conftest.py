"""Two app servers on one PostgreSQL and one Redis, all real, for the scale-out and fault tests.

They run only when `CPEC_SCALEOUT_DATABASE_URL` names a PostgreSQL database they may fill (it
is migrated and seeded here) and `CPEC_SCALEOUT_PG_CLUSTER` names its cluster ("15 faults"),
which the fault tests stop and start: never the cluster other work depends on. `.ci/scaleout`
sets both and fails if any of these tests is skipped.
"""

import os
import re
import secrets
import subprocess
import time

import pytest
import requests

from tests.admin_forms import form_data
from tests.servers import PROJECT, Gunicorn, Redis, Worker, manage

ARTIFACTS = PROJECT / "test-artifacts" / "scaleout"
EDITOR = "scaleout-editor"
EDITOR_PASSWORD = "a-long-scaleout-password"
# A second account: an editor's save to a published record waits for a second person's
# approval (cpec_tracker.editing.review).
REVIEWER = "scaleout-reviewer"
# The `manage.py shell` command that makes both accounts (superusers) with that password.
MAKE_ACCOUNTS = (
    "from django.contrib.auth import get_user_model; User = get_user_model()\n"
    f"for name in ({EDITOR!r}, {REVIEWER!r}):\n"
    "    user = User.objects.filter(username=name).first() or User.objects.create_superuser(name)\n"
    f"    user.set_password({EDITOR_PASSWORD!r}); user.save()"
)
# Low enough for a test to reach with a dozen requests, per client address and day.
API_THROTTLE_LIMIT = 12
LOGIN_FAILURE_LIMIT = 5
# Saves ask for a /data/ build this many seconds ahead (CPEC_DATA_BUILD_DELAY).
DATA_BUILD_DELAY = 5
# Every answer, even a fault's, must come back this fast.
ANSWER_SECONDS = 5
# What the fault tests ask for: pages, a search and API answers, some of them cached.
PAGES = ["/", "/meetings/", "/meetings/jwg-icc-5th-meeting/", "/projects/", "/search/?q=energy"]
API = ["/api/v1/projects/", "/api/v1/meetings/jwg-icc-5th-meeting/"]


def required_env(name):
    value = os.environ.get(name, "")
    if not value:
        pytest.skip(f"{name} is not set (see tests/scaleout/conftest.py; .ci/scaleout sets it)")
    return value


@pytest.fixture(scope="session")
def report():
    """Write a line of figures to test-artifacts/scaleout/report.txt (CI prints it)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "report.txt"

    def write(line):
        with path.open("a") as report_file:
            report_file.write(line + "\n")

    return write


@pytest.fixture(scope="session")
def postgres_cluster():
    """(version, name) of the PostgreSQL cluster the tests may stop, e.g. ("15", "faults")."""
    version, name = required_env("CPEC_SCALEOUT_PG_CLUSTER").split()
    return version, name


@pytest.fixture(scope="session")
def site_env(postgres_cluster, tmp_path_factory):
    """The settings both servers share: production settings on the migrated, seeded database."""
    database_url = required_env("CPEC_SCALEOUT_DATABASE_URL")
    assert database_url.startswith("postgres"), "the scale-out tests need PostgreSQL"
    env = {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "CPEC_PAGE_CACHE": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "CPEC_API_THROTTLE_RATE": f"{API_THROTTLE_LIMIT}/day",
        "CPEC_LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT),
        # Behind a reverse proxy: the client is the address it appends to X-Forwarded-For,
        # so each test can speak as clients of its own.
        "CPEC_PROXY_COUNT": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Try a stopped Redis again after a second (the default is 5), to keep tests short.
        "CPEC_REDIS_RETRY_SECONDS": "1",
        # One /data/ folder for both servers and the workers, as docs/deployment.md asks: the
        # workers build there and the servers serve from it.
        "CPEC_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "CPEC_DATA_BUILD_DELAY": str(DATA_BUILD_DELAY),
    }
    manage("migrate", "--noinput", "-v0", env=env)
    manage("seed", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage("axes_reset", env=env)
    manage("shell", "-c", MAKE_ACCOUNTS, env=env)
    return env


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    if not Redis.available():
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    server = Redis(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def servers(site_env, redis_server):
    """Two gunicorn instances, two app servers, on the same PostgreSQL and Redis."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = {**site_env, "REDIS_URL": redis_server.url}
    started = []
    try:
        for name in ("first", "second"):
            log = ARTIFACTS / f"gunicorn-{name}.log"
            log.unlink(missing_ok=True)
            started.append(Gunicorn(env, log).start())
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def start_worker(site_env, redis_server):
    """Start `manage.py db_worker` processes (the Procfile's `worker:` line) with the servers'
    settings, each under the worker id given; all are stopped (SIGTERM) after the test."""
    env = {**site_env, "REDIS_URL": redis_server.url}
    started = []

    def start(worker_id):
        log = ARTIFACTS / f"worker-{worker_id}.log"
        log.unlink(missing_ok=True)
        started.append(Worker(env, log, worker_id).start())
        return started[-1]

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def client_address():
    """A private address of its own, so tests never share a throttle or lockout count."""
    return "10." + ".".join(str(byte) for byte in secrets.token_bytes(3))


# The site's name, as the reverse proxy in front of every app server passes it on (the page
# cache keys on it: each server's own address and port would make it a cache per server).
SITE_HOST = "localhost"


def visit(server, path, address=None, **kwargs):
    """An anonymous GET, as a visitor at `address` (a new one unless given) behind the proxy."""
    headers = {
        "Host": SITE_HOST,
        "X-Forwarded-For": address or client_address(),
        **kwargs.pop("headers", {}),
    }
    return requests.get(server.url + path, headers=headers, timeout=ANSWER_SECONDS, **kwargs)


def admin_login(server, address=None, username=EDITOR, password=EDITOR_PASSWORD):
    """Log in through the admin's login form, as a browser does: (session, answer)."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = address or client_address()
    login_url = f"{server.url}/admin/login/"
    page = session.get(login_url, timeout=ANSWER_SECONDS)
    data = form_data(page)
    data.update(username=username, password=password, next="/admin/")
    answer = session.post(
        login_url, data=data, headers={"Referer": login_url}, timeout=ANSWER_SECONDS
    )
    return session, answer


def approve_pending_changes(server, address=None):
    """Approve the pending changes through the review queue as the second account, as a
    chief editor other than the author does, newest first (an older one left by an earlier
    test is then refused as stale rather than overwriting it); how many were decided."""
    session, _ = admin_login(server, address, username=REVIEWER)
    queue_url = f"{server.url}/admin/editing/pendingchange/"
    queue = session.get(queue_url, timeout=ANSWER_SECONDS)
    found = re.findall(r'href="/admin/editing/pendingchange/(\d+)/change/', queue.text)
    ids = sorted({int(change_id) for change_id in found}, reverse=True)
    for change_id in ids:
        page = session.get(f"{queue_url}{change_id}/change/", timeout=ANSWER_SECONDS)
        data = form_data(page, "review-form")
        data["_approve"] = "Approve and apply"
        decided = session.post(
            f"{queue_url}{change_id}/decide/",
            data=data,
            headers={"Referer": page.url},
            allow_redirects=False,
            timeout=ANSWER_SECONDS,
        )
        assert decided.status_code == 302, decided.text[:1000]
    return len(ids)


def postgres_ctl(cluster, action):
    version, name = cluster
    extra = ["-m", "fast"] if action == "stop" else []
    subprocess.run(["pg_ctlcluster", version, name, action, *extra], check=True)


def meeting_admin_url(server, session, slug):
    """The admin change page of the meeting with `slug`, found through the admin's search."""
    changelist = session.get(
        f"{server.url}/admin/meetings/meeting/", params={"q": slug}, timeout=ANSWER_SECONDS
    )
    match = re.search(r'href="(/admin/meetings/meeting/\d+/change/)[^"]*"', changelist.text)
    assert match, f"no meeting {slug} in the admin"
    return server.url + match.group(1)


def timed(request, *args, **kwargs):
    """`request(*args, **kwargs)` and the seconds it took to answer."""
    started = time.monotonic()
    answer = request(*args, **kwargs)
    return answer, time.monotonic() - started
