"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def site(live_server, transactional_db, seed_replay):
    """The live server's address, with the seed loaded into its (test) database."""
    seed_replay.load()
    return live_server.url


@pytest.fixture
def console_errors(page):
    """Errors the browser logs (failed requests, script errors) while the test runs."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


# The policy the site is served with in production (added in parallel by the security work);
# the pages must run under it with no violation, which Chromium reports as a console error.
STRICT_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


@pytest.fixture
def strict_csp(page, site):
    """Every page of the site arrives with the strict Content-Security-Policy header."""

    def add_policy(route):
        if route.request.resource_type != "document":
            route.continue_()  # the policy of a page is the one its document arrives with
            return
        # Redirects go back to the browser, so it navigates to them as it would unrouted.
        response = route.fetch(max_redirects=0)
        headers = {**response.headers, "content-security-policy": STRICT_POLICY}
        route.fulfill(response=response, headers=headers)

    page.route(f"{site}/**", add_policy)
    yield STRICT_POLICY
    # Requests still in flight when the test ends (the favicon) must not fail its teardown.
    page.unroute_all(behavior="ignoreErrors")
