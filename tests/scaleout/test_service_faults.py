"""PostgreSQL and Redis stopped for real under the two running app servers.

A stopped database is a 503 with Retry-After within seconds, never a 500 or a hang, and the
site comes back by itself; a stopped Redis only costs the cache: every page is still served.
"""

import socket
import time

from tests.admin_forms import form_data
from tests.scaleout.conftest import (
    ANSWER_SECONDS,
    API,
    API_THROTTLE_LIMIT,
    ARTIFACTS,
    PAGES,
    admin_login,
    client_address,
    meeting_admin_url,
    postgres_ctl,
    timed,
    visit,
)
from tests.servers import Gunicorn

# How long the site may take to answer again once the database is back.
RECOVERY_SECONDS = 30
# How long the servers may keep answering from the page cache once the database is gone: the
# life of the table versions' copy in Redis (settings.CPEC_VERSIONS_CACHE_SECONDS, its
# default). Within it a stored page is still the current one, since nothing can be saved.
VERSIONS_COPY_SECONDS = 5


def test_stopped_postgresql_is_a_503_with_retry_after_and_the_site_recovers_by_itself(
    servers, postgres_cluster, report
):
    for server in servers:
        for path in PAGES + API:
            assert visit(server, path).status_code == 200  # Warm: some answers are stored.
    editor, _ = admin_login(servers[0])
    change_url = meeting_admin_url(servers[0], editor, "jwg-icc-5th-meeting")
    edit = {k: v for k, v in form_data(editor.get(change_url)).items() if "__prefix__" not in k}
    edit["summary"] = "Saved while the database was down."

    postgres_ctl(postgres_cluster, "stop")
    try:
        time.sleep(VERSIONS_COPY_SECONDS + 1)
        slowest = 0.0
        for server in servers:
            for path in PAGES + API:
                answer, seconds = timed(visit, server, path)
                slowest = max(slowest, seconds)
                assert answer.status_code == 503, (path, answer.status_code, answer.text[:500])
                assert int(answer.headers["Retry-After"]) > 0
                if path.startswith("/api/"):
                    assert set(answer.json()) == {"detail", "errors"}
                else:
                    assert "Temporarily unavailable" in answer.text
        saved, seconds = timed(editor.post, change_url, data=edit, timeout=ANSWER_SECONDS)
        slowest = max(slowest, seconds)
        assert saved.status_code == 503
        assert "Nothing was saved" in saved.text
    finally:
        restarting = time.monotonic()
        postgres_ctl(postgres_cluster, "start")
    started = time.monotonic()

    # Back by itself: every worker of both servers reconnects on its next request.
    while visit(servers[1], "/meetings/").status_code != 200:
        assert time.monotonic() - started < RECOVERY_SECONDS, "the site did not recover"
        time.sleep(0.2)
    recovered = time.monotonic() - started
    for server in servers:
        for path in (PAGES + API) * 2:
            assert visit(server, path).status_code == 200, path
    assert "Saved while the database was down." not in visit(servers[1], PAGES[2]).text
    report(
        f"PostgreSQL stopped: {len(servers) * (len(PAGES) + len(API)) + 1} requests to both "
        f"servers all 503 with Retry-After (JSON under /api/, the editor's save 'Nothing was "
        f"saved'), slowest {slowest:.2f} s; PostgreSQL took {started - restarting:.2f} s to "
        f"start again, and the first 200 came {recovered:.2f} s after it was up"
    )


def test_stopped_redis_still_serves_every_page_and_logs_one_warning(servers, redis_server, report):
    warning = "cannot be reached"

    def warnings_logged(text):
        return sum(server.log_text().count(text) for server in servers)

    redis_server.stop()
    try:
        slowest = 0.0
        for server in servers:
            for path in (PAGES + API) * 3:
                answer, seconds = timed(visit, server, path)
                slowest = max(slowest, seconds)
                assert answer.status_code == 200, (path, answer.status_code)
                assert answer.headers.get("X-Cache") != "hit"
        # Throttling fails open: one client past the limit is still answered.
        address = client_address()
        throttled = [
            visit(servers[number % 2], f"/api/v1/themes/?page_size={number}", address=address)
            for number in range(1, API_THROTTLE_LIMIT + 4)
        ]
        assert {answer.status_code for answer in throttled} == {200}
        time.sleep(1.5)  # Past CPEC_REDIS_RETRY_SECONDS: each worker tries Redis again.
        for server in servers:
            for path in PAGES * 2:
                assert visit(server, path).status_code == 200
        # Four worker processes on two servers, many requests: one warning.
        assert warnings_logged(warning) == 1
    finally:
        redis_server.start()

    started = time.monotonic()
    path = PAGES[1]
    while True:
        visit(servers[0], path)
        if visit(servers[1], path).headers.get("X-Cache") == "hit":
            break
        assert time.monotonic() - started < RECOVERY_SECONDS, "the cache did not come back"
        time.sleep(0.2)
    recovered = time.monotonic() - started
    time.sleep(1.5)
    for server in servers:
        for path in PAGES * 2:
            visit(server, path)
    assert warnings_logged("reachable again") == 1
    report(
        f"Redis stopped: {len(servers) * (len(PAGES) + len(API)) * 3 + 4 * len(PAGES)} page and "
        f"API requests all 200 (slowest {slowest:.2f} s), {API_THROTTLE_LIMIT + 3} API requests "
        f"from one client past the limit all 200 (fails open); one warning in the logs of "
        f"4 workers; shared cache hits again {recovered:.2f} s after the restart"
    )


def test_a_database_host_that_never_answers_is_a_503_within_the_connect_timeout(site_env, report):
    # A port that accepts connections and never says a word, like a hung database host.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    host, port = silent.getsockname()
    env = {
        **site_env,
        "DATABASE_URL": f"postgres://cpec:cpec@{host}:{port}/cpec",
        "CPEC_DB_CONNECT_TIMEOUT": "2",
    }
    server = Gunicorn(env, ARTIFACTS / "gunicorn-silent-database.log").start()
    try:
        slowest = 0.0
        for path in ("/", "/meetings/", "/api/v1/projects/"):
            answer, seconds = timed(visit, server, path)
            slowest = max(slowest, seconds)
            assert answer.status_code == 503
            assert int(answer.headers["Retry-After"]) > 0
    finally:
        server.stop()
        silent.close()
    report(
        f"PostgreSQL host hung (accepts, never answers): 503 with Retry-After after at most "
        f"{slowest:.2f} s (CPEC_DB_CONNECT_TIMEOUT=2)"
    )
