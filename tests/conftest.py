"""Shared fixtures: the factories, the seeded database, editor accounts, the browser."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.utils import translation
from django_tasks import task_backends
from pytest_django.live_server_helper import LiveServer

from cpec_tracker.editing.roles import CHIEF_EDITORS, EDITORS
from tests import factories
from tests.browsers import CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM
from tests.intake_server import intake_fixture_server, intake_server  # noqa: F401 (fixtures)
from tests.seed_replay import SeedReplay

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def pytest_configure(config):
    # The suite runs with the settings `make run` serves with (README, "The two commands"):
    # DEBUG off (pytest-django's default), the page cache on, the manifest static files storage
    # and an SQLite file in WAL mode, whatever the environment says. A test that needs a
    # feature off asks for it by fixture (`no_page_cache`).
    django_settings.CPEC_PAGE_CACHE = True
    django_settings.CPEC_COUNT_CACHE = True
    assert django_settings.STORAGES["staticfiles"]["BACKEND"] == MANIFEST_STORAGE
    # A folder of the session's own for `collectstatic` (set before any test module is
    # imported, so no storage or whitenoise instance has seen another one).
    django_settings.STATIC_ROOT = Path(tempfile.mkdtemp(prefix="cpec-test-static-"))
    # /data/'s files, one folder per data version: the session's own, never the project's.
    django_settings.CPEC_DATA_DIR = Path(tempfile.mkdtemp(prefix="cpec-test-data-"))
    # A test's data sits in its transaction, which no worker process can see: /data/'s build
    # job runs at once where it is enqueued (tests of the background build name "default",
    # the database queue, as `make run` does).
    django_settings.TASKS = {
        **django_settings.TASKS,
        "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
    django_settings.CPEC_DATA_BUILD_BACKEND = "immediate"
    # django-tasks read TASKS when the apps loaded: let it read them again.
    task_backends._settings = None
    task_backends.__dict__.pop("settings", None)


def pytest_unconfigure(config):
    shutil.rmtree(django_settings.STATIC_ROOT, ignore_errors=True)
    shutil.rmtree(django_settings.CPEC_DATA_DIR, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """`collectstatic` once per session, as `make run` does: pages link their static files by
    hashed name, and a file missing from the manifest fails the test that renders it."""
    call_command("collectstatic", interactive=False, verbosity=0)
    return django_settings.STATIC_ROOT


@pytest.fixture(scope="session")
def live_server(request, collected_static):
    """pytest-django's live server, with static files served by whitenoise from what
    `collectstatic` wrote, as in production: pytest-django's own static handler looks files up
    in the apps by their unhashed names and answers 404 to the hashed ones pages link to."""
    address = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Every database wrapper of the session holds what pytest-django serialized at setup.

    Playwright's sync API runs an asyncio loop in the test thread, and while a loop runs,
    asgiref gives Django's connections a store of their own (the context's, not the
    thread's): a new DatabaseWrapper, without the contents serialized for
    `serialized_rollback`. A transactional test on it would not restore them, and its
    teardown would empty every table for good: the editors' groups gone, the content types
    renumbered under the cached ones. Set on the class, the contents are every wrapper's.
    """
    for connection in connections.all():
        if hasattr(connection, "_test_serialized_contents"):
            type(connection)._test_serialized_contents = connection._test_serialized_contents
    return django_db_setup


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language, as each request does: a request to /ur/…
    leaves Urdu active in its thread, where `reverse()` and `gettext` would otherwise use it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    # pytest-django's SQLite test database lives in memory, where WAL cannot apply: give it a
    # file, as `make run` has, so the suite runs in WAL mode with the busy timeout.
    database = connections["default"].settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test_db.sqlite3")


@pytest.fixture
def make():
    """The factories module: `make.make_meeting(...)`, `make.make_official(...)`."""
    return factories


@pytest.fixture(scope="session")
def seed_replay():
    """The seed as this process's first `seed` wrote it (tests/seed_replay.py)."""
    return SeedReplay()


@pytest.fixture
def seeded(db, seed_replay):
    """The seed loaded, as `manage.py seed` loads it: replayed after the first time."""
    seed_replay.load()


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user(
        "editor", password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", password="a-long-test-password")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def chief_editor(db):
    user = get_user_model().objects.create_user(
        "chief", password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=CHIEF_EDITORS))
    return user


@pytest.fixture
def chief_editor_client(chief_editor):
    # A client of its own, so a test can act as an editor and a chief editor side by side.
    client = Client()
    client.force_login(chief_editor)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    # Throttle counters (and anything else cached) must not leak from one test into the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_page_cache(settings):
    """The page cache switched off: for tests that count a view's own queries or need every
    request rendered afresh (lists count their rows every time too)."""
    settings.CPEC_PAGE_CACHE = False
    settings.CPEC_COUNT_CACHE = False


@pytest.fixture
def page_cache(settings):
    """The page cache (on by default), empty: the cache itself, to inspect what it stores."""
    settings.CPEC_PAGE_CACHE = True
    caches[settings.CPEC_PAGE_CACHE_ALIAS].clear()
    yield caches[settings.CPEC_PAGE_CACHE_ALIAS]
    caches[settings.CPEC_PAGE_CACHE_ALIAS].clear()


@pytest.fixture(params=["page cache on", "page cache off"])
def page_cache_on_and_off(request, settings):
    """Runs the test twice, with the page cache on and off: for answers (400, 404, 304) that
    must not depend on who serves them, the view or the cache."""
    settings.CPEC_PAGE_CACHE = request.param == "page cache on"
    return settings.CPEC_PAGE_CACHE


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Tests on a live server end by emptying every table, which also removes what migrations
    # wrote (the editors' groups and their permissions). They run last, so that no test after
    # them finds those rows gone.
    def ends_by_emptying_tables(item):
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction")) or bool(
            {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))
        )

    # Among those, the browser tests (a minute or so each) go first, so that the short ones
    # after them even out the two workers' ends rather than one waiting for the other's.
    items.sort(
        key=lambda item: (
            ends_by_emptying_tables(item),
            not item.get_closest_marker("browser"),
        )
    )
    # A missing browser stops the run before its first test, not with errors half-way.
    if not HAS_CHROMIUM and any(item.get_closest_marker("browser") for item in items):
        pytest.exit(
            f"The browser tests need Chromium at {CHROMIUM}: install it (Debian: apt-get "
            "install chromium) or leave them out with -m 'not browser'.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


# Playwright's sync API runs an event loop in the test thread; the tests' own database work
# there is still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
