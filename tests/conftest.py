"""Shared fixtures: the factories, the seeded database, editor accounts, the browser."""

import os

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from cpec_tracker.roles import CHIEF_EDITORS, EDITORS
from tests import factories
from tests.browsers import CHROMIUM, CHROMIUM_ARGS
from tests.intake_server import intake_fixture_server, intake_server  # noqa: F401 (fixtures)


def pytest_configure(config):
    # whitenoise warns at every request when the folder `collectstatic` fills is missing.
    django_settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # The manifest storage needs `collectstatic` first; tests read static files in place.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def make():
    """The factories module: `make.make_meeting(...)`, `make.make_official(...)`."""
    return factories


@pytest.fixture
def seeded(db):
    call_command("seed", verbosity=0)


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


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    # Off unless a test asks for `page_cache`: other tests count a view's own queries.
    settings.CPEC_PAGE_CACHE = False


@pytest.fixture
def page_cache(settings):
    """The page cache switched on and empty."""
    settings.CPEC_PAGE_CACHE = True
    caches[settings.CPEC_PAGE_CACHE_ALIAS].clear()
    yield caches[settings.CPEC_PAGE_CACHE_ALIAS]
    caches[settings.CPEC_PAGE_CACHE_ALIAS].clear()


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

    items.sort(key=ends_by_emptying_tables)


# Playwright's sync API runs an event loop in the test thread; the tests' own database work
# there is still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
