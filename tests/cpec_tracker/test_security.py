"""Keeping intruders out: headers, CSP, HTTPS settings, login lockout, the admin's address."""

import importlib
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import clear_url_caches, reverse

from cpec_tracker.web.security import client_ip

pytestmark = pytest.mark.django_db

PROJECT_DIR = Path(django_settings.BASE_DIR)

EXPECTED_CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}
EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

# The production environment the README documents (with a made-up host name).
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_HTTPS": "true",
    "DJANGO_ALLOWED_HOSTS": "cpec.example.org",
}


def directives(policy):
    """A Content-Security-Policy header as {directive: sources}; their order does not matter."""
    parts = [part.strip().split(" ", 1) for part in policy.split(";") if part.strip()]
    return {name: sources for name, sources in parts}


def run_python(code, env, tmp_path):
    """Run `code` with Django set up under `env`, in a fresh process, and return its stdout."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CPEC_"))},
        "DJANGO_SETTINGS_MODULE": "cpec_tracker.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        # The files the session collected, so the manifest storage finds them as in production.
        "DJANGO_STATIC_ROOT": str(django_settings.STATIC_ROOT),
        **env,
    }
    script = f"import django\ndjango.setup()\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("url", ["/", "/admin/login/", "/no-such-page/"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)

    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value, name
    assert directives(response.headers["Content-Security-Policy"]) == EXPECTED_CSP


def test_static_files_carry_the_security_headers_too(settings):
    settings.WHITENOISE_USE_FINDERS = True
    # A fresh client builds its middleware, and so whitenoise, with the setting above.
    response = Client().get("/static/cpec_tracker/site.css")

    assert response.status_code == 200
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value, name
    assert directives(response.headers["Content-Security-Policy"]) == EXPECTED_CSP


def test_every_kind_of_response_carries_every_promised_header_in_production(tmp_path):
    # Production settings, static files collected with the manifest storage and served by
    # whitenoise; each request below is answered by a different layer of the stack.
    code = """
import json
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
site = Client(HTTP_HOST="cpec.example.org")
answers = {
    "static file": site.get(static("cpec_tracker/site.css"), secure=True),
    "page": site.get("/", secure=True),
    "not found": site.get("/no-such-page/", secure=True),
    "trailing-slash redirect": site.get("/meetings", secure=True),
    "https redirect": site.get("/meetings/"),
    "cors preflight": site.options(
        "/api/v1/meetings/",
        secure=True,
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    ),
    "bad host": Client(HTTP_HOST="attacker.example").get("/", secure=True),
    "bad host over http": Client(HTTP_HOST="attacker.example").get("/"),
}
print(json.dumps({
    name: {
        "status": response.status_code,
        "headers": {key.lower(): value for key, value in response.headers.items()},
    }
    for name, response in answers.items()
}))
"""
    environment = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path / "static")}
    answers = json.loads(run_python(code, environment, tmp_path))

    statuses = {name: answer["status"] for name, answer in answers.items()}
    assert statuses == {
        "static file": 200,
        "page": 200,
        "not found": 404,
        "trailing-slash redirect": 301,
        "https redirect": 301,
        "cors preflight": 200,
        "bad host": 400,
        "bad host over http": 400,
    }
    assert answers["cors preflight"]["headers"]["access-control-allow-origin"] == "*"
    assert "immutable" in answers["static file"]["headers"]["cache-control"]  # whitenoise's
    for name, answer in answers.items():
        headers = answer["headers"]
        for header, value in EXPECTED_HEADERS.items():
            assert headers.get(header.lower()) == value, (name, header)
        assert directives(headers["content-security-policy"]) == EXPECTED_CSP, name
        if "http" not in name:  # HSTS is sent over HTTPS only, as browsers require
            assert headers["strict-transport-security"].startswith("max-age=31536000"), name


def test_the_csp_allows_nothing_unsafe(client):
    policy = client.get("/").headers["Content-Security-Policy"]

    assert "unsafe-" not in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "form-action 'self'" in policy
    assert "base-uri 'none'" in policy


def test_admin_pages_carry_the_csp_too(admin_client):
    response = admin_client.get(reverse("admin:meetings_meeting_add"))

    assert directives(response.headers["Content-Security-Policy"]) == EXPECTED_CSP


def test_https_setting_turns_on_hsts_secure_cookies_and_the_redirect(tmp_path):
    code = """
import json
from django.test import Client
client = Client(HTTP_HOST="cpec.example.org")
plain = client.get("/admin/login/")
secure = client.get("/admin/login/", secure=True)
cookie = secure.cookies["csrftoken"]
from django.conf import settings
print(json.dumps({
    "redirect": [plain.status_code, plain.headers.get("Location")],
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "csrf_cookie": [bool(cookie["secure"]), bool(cookie["httponly"])],
    "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
}))
"""
    result = json.loads(run_python(code, PRODUCTION_ENV, tmp_path))

    assert result == {
        "redirect": [301, "https://cpec.example.org/admin/login/"],
        "hsts": "max-age=31536000; includeSubDomains; preload",
        "csrf_cookie": [True, True],
        "session_cookie": [True, True],
    }


def test_without_https_setting_there_is_no_hsts_or_redirect(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize(
    "behind_proxy",
    [{}, {"DJANGO_PROXY_SSL_HEADER": "true", "CPEC_PROXY_COUNT": "1"}],
    ids=["direct", "behind-a-proxy"],
)
def test_check_deploy_is_clean_under_the_documented_production_settings(tmp_path, behind_proxy):
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CPEC_"))},
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        # The files the session collected, so the manifest storage finds them as in production.
        "DJANGO_STATIC_ROOT": str(django_settings.STATIC_ROOT),
        **PRODUCTION_ENV,
        **behind_proxy,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def login(client, username, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        **extra,
    )


def test_five_failed_logins_lock_that_username_from_that_address(superuser):
    client = Client()
    for _ in range(4):
        assert login(client, "admin", "wrong-password").status_code == 200

    assert login(client, "admin", "wrong-password").status_code == 429
    # Locked: even the right password is refused for the hour.
    assert login(client, "admin", "a-long-test-password").status_code == 429


def test_a_lockout_leaves_other_usernames_and_other_addresses_alone(superuser, editor):
    client = Client()
    for _ in range(5):
        login(client, "admin", "wrong-password")

    assert login(Client(), "editor", "a-long-test-password").status_code == 302
    other_address = {"REMOTE_ADDR": "192.0.2.7"}
    assert login(Client(), "admin", "a-long-test-password", **other_address).status_code == 302


def test_a_successful_login_resets_the_failure_count(superuser):
    client = Client()
    for _ in range(4):
        login(client, "admin", "wrong-password")
    assert login(client, "admin", "a-long-test-password").status_code == 302

    client = Client()
    for _ in range(4):
        assert login(client, "admin", "wrong-password").status_code == 200
    assert login(client, "admin", "a-long-test-password").status_code == 302


def test_the_lockout_lasts_an_hour():
    assert django_settings.AXES_COOLOFF_TIME.total_seconds() == 3600
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_client_address_is_remote_addr_without_a_proxy(rf, settings):
    settings.CPEC_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert client_ip(request) == "203.0.113.9"


def test_client_address_behind_a_proxy_ignores_what_the_client_forged(rf, settings):
    settings.CPEC_PROXY_COUNT = 1
    # The client sent a forged X-Forwarded-For; the proxy appended the real address.
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")

    assert client_ip(request) == "203.0.113.9"


def test_users_behind_one_proxy_are_locked_out_one_by_one(superuser, editor, settings):
    settings.CPEC_PROXY_COUNT = 1
    attacker = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    colleague = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    for _ in range(5):
        login(Client(), "admin", "wrong-password", **attacker)

    assert login(Client(), "admin", "a-long-test-password", **attacker).status_code == 429
    assert login(Client(), "admin", "a-long-test-password", **colleague).status_code == 302


@pytest.fixture
def reload_urls(settings):
    import cpec_tracker.site.urls

    def reload():
        importlib.reload(cpec_tracker.site.urls)
        clear_url_caches()

    yield reload
    settings.ADMIN_PATH = "admin/"
    reload()


def test_the_admin_address_comes_from_a_setting(
    client, settings, reload_urls, page_cache_on_and_off
):
    settings.ADMIN_PATH = "back-office-7f3a/"
    reload_urls()

    assert reverse("admin:index") == "/back-office-7f3a/"
    assert client.get("/back-office-7f3a/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404


def test_the_admin_path_setting_reads_its_environment_variable(tmp_path):
    code = "from django.conf import settings; print(settings.ADMIN_PATH)"

    assert run_python(code, {"CPEC_ADMIN_PATH": "/editors-only"}, tmp_path).strip() == (
        "editors-only/"
    )
