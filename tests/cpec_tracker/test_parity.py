"""The suite runs with the settings `make run` serves with, not a friendlier test setup."""

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection

pytestmark = pytest.mark.django_db


def test_suite_runs_with_debug_off_and_the_page_cache_on():
    assert settings.DEBUG is False
    assert settings.CPEC_PAGE_CACHE is True


def test_sqlite_test_database_is_a_file_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA database_list")
        main_file = next(row[2] for row in cursor.fetchall() if row[1] == "main")
    assert main_file.endswith(".sqlite3")


def test_pages_link_static_files_by_their_hashed_names(client):
    page = client.get("/").content.decode()
    hashed = staticfiles_storage.url("cpec_tracker/site.css")
    assert hashed != f"/{settings.STATIC_URL}cpec_tracker/site.css"
    assert hashed in page
    assert client.get(hashed).status_code == 200


def test_no_page_cache_switches_the_cache_off(no_page_cache):
    assert settings.CPEC_PAGE_CACHE is False
