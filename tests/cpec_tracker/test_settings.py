import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from cpec_tracker.settings import env_bool, env_list, generated_secret_key


def test_generated_secret_key_is_kept_between_starts(tmp_path):
    path = tmp_path / "secret"
    first = generated_secret_key(path)
    assert len(first) >= 50
    assert generated_secret_key(path) == first
    assert path.stat().st_mode & 0o777 == 0o600


def test_boolean_variables_accept_common_spellings_and_refuse_others(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_list_variables_split_on_commas(monkeypatch):
    monkeypatch.setenv("X_HOSTS", " a.org, b.org ,")
    assert env_list("X_HOSTS", "") == ["a.org", "b.org"]


def test_debug_is_off_by_default():
    assert settings.DEBUG is False


def test_sqlite_default_runs_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    connection = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "db.sqlite3"),
            "OPTIONS": settings.SQLITE_OPTIONS,
        }
    )
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
    finally:
        connection.close()


@pytest.mark.django_db
def test_postgresql_sessions_plan_for_whole_results_without_jit():
    """JIT off (it compiled a 2 s search for 1 s) and cursors planned for all their rows (an
    export or the /data/ build reads each to its end)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's session settings")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW cursor_tuple_fraction")
        assert float(cursor.fetchone()[0]) == 1
