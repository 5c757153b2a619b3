"""Two app servers on one PostgreSQL and one Redis behave as one site.

Each test speaks to both gunicorn instances started by `servers` (tests/scaleout/conftest.py):
what one server does, the other sees on its very next answer.
"""

import secrets

from tests.admin_forms import form_data
from tests.scaleout.conftest import (
    API_THROTTLE_LIMIT,
    LOGIN_FAILURE_LIMIT,
    admin_login,
    approve_pending_changes,
    client_address,
    meeting_admin_url,
    visit,
)

MEETING = "jwg-icc-5th-meeting"


def test_an_editors_save_through_one_server_shows_on_the_others_next_answer(servers, report):
    first, second = servers
    page = f"/meetings/{MEETING}/"
    api = f"/api/v1/meetings/{MEETING}/"
    for path in (page, api):
        visit(second, path)
        assert visit(second, path).headers["X-Cache"] == "hit"  # The old page, stored.

    session, login = admin_login(first)
    assert login.url.endswith("/admin/"), "the editor could not log in"
    change_url = meeting_admin_url(first, session, MEETING)
    data = {
        name: value
        for name, value in form_data(session.get(change_url)).items()
        if "__prefix__" not in name
    }
    summary = f"Saved through the first server ({secrets.token_hex(4)})."
    data["summary"] = summary
    saved = session.post(change_url, data=data, allow_redirects=False)
    assert saved.status_code == 302, saved.text[:2000]
    # The meeting is published: the save waits for a second person, who approves it there too.
    assert summary not in visit(second, page).text
    assert approve_pending_changes(first) >= 1

    shown = visit(second, page)
    assert shown.status_code == 200
    assert summary in shown.text
    assert shown.headers["X-Cache"] == "miss"
    assert visit(second, api).json()["summary"] == summary
    report(
        "two servers: an admin save on the first showed on the second's next page and API answer"
    )


def test_the_page_cache_is_shared_the_second_server_answers_the_firsts_render(servers, report):
    first, second = servers
    path = f"/?probe={secrets.token_hex(8)}"
    rendered = visit(first, path)
    assert rendered.status_code == 200
    assert rendered.headers["X-Cache"] == "miss"
    stored = visit(second, path)
    assert stored.headers["X-Cache"] == "hit"
    assert stored.content == rendered.content
    assert stored.headers["ETag"] == rendered.headers["ETag"]
    report("two servers: a page rendered by the first was a cache hit on the second")


def test_the_api_throttle_counts_requests_to_both_servers(servers, report):
    address = client_address()
    answers = []
    # Each a different address, so each is rendered (a stored answer is served before DRF
    # throttles), alternating between the two servers.
    for number in range(1, API_THROTTLE_LIMIT + 2):
        server = servers[number % 2]
        answers.append(visit(server, f"/api/v1/themes/?page_size={number}", address=address))
    statuses = [answer.status_code for answer in answers]
    assert statuses == [200] * API_THROTTLE_LIMIT + [429], statuses
    assert int(answers[-1].headers["Retry-After"]) > 0
    # Each server answered half the requests, far below the limit: they count together.
    assert len(answers[0::2]) < API_THROTTLE_LIMIT and len(answers[1::2]) < API_THROTTLE_LIMIT
    assert visit(servers[0], "/api/v1/themes/?page_size=1").status_code == 200  # Another client.
    report(
        f"two servers: API throttle of {API_THROTTLE_LIMIT}/day reached after "
        f"{API_THROTTLE_LIMIT} requests split {API_THROTTLE_LIMIT // 2}+{API_THROTTLE_LIMIT // 2}"
        f" between them; request {API_THROTTLE_LIMIT + 1} got 429"
    )


def test_the_login_lockout_counts_failures_on_both_servers(servers, report):
    address = client_address()
    statuses = []
    for attempt in range(LOGIN_FAILURE_LIMIT):
        _, answer = admin_login(servers[attempt % 2], address=address, password="wrong-password")
        statuses.append(answer.status_code)
    # Three failures on the first server, two on the second: locked on both.
    for server in servers:
        _, answer = admin_login(server, address=address)
        assert answer.status_code == 429, statuses
    # The lockout is for that username from that address only (django-axes in PostgreSQL).
    _, elsewhere = admin_login(servers[1], address=client_address())
    assert elsewhere.url.endswith("/admin/")
    report(
        f"two servers: {LOGIN_FAILURE_LIMIT} failed logins split 3+2 locked the editor out on "
        f"both (statuses {statuses}, then 429 with the right password on each)"
    )
