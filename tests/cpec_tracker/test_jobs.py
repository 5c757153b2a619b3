"""`retried_task`, the one way a job is retried: its `on_failure` hook is told of every failed
attempt, the last one as given up, and a hook that breaks costs no retry. (The jobs that use it
are tested through it: tests/cpec_tracker/test_data_jobs.py, tests/alerts/test_alerts.py.)"""

import datetime

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from cpec_tracker import jobs

pytestmark = pytest.mark.django_db

# What the hook was told, and how many times each job ran: (label, attempt, given up, error).
told = []
runs = []


def note_failure(failure, label, succeeds_on):
    told.append((label, failure.attempt, failure.given_up, failure.summary))
    if label == "broken hook":
        raise RuntimeError("the hook itself failed")


@jobs.retried_task(attempts=3, first_delay=datetime.timedelta(0), on_failure=note_failure)
def flaky(label, succeeds_on):
    """Fails until its attempt number `succeeds_on` (0: always)."""
    runs.append(label)
    if runs.count(label) != succeeds_on:
        raise OSError(f"{label}: down")
    return "done"


@pytest.fixture(autouse=True)
def fresh_notes():
    told.clear()
    runs.clear()


def run_worker(monkeypatch):
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def results():
    return sorted(
        (jobs.attempt_of(result), result.status)
        for result in DBTaskResult.objects.filter(task_path=flaky.module_path)
    )


def test_a_failed_attempt_is_told_to_the_hook_then_retried(monkeypatch):
    flaky.enqueue("second time lucky", 2)
    run_worker(monkeypatch)
    assert told == [("second time lucky", 1, False, "OSError: second time lucky: down")]
    assert results() == [(1, "FAILED"), (2, "SUCCESSFUL")]


def test_the_last_attempt_is_told_as_given_up_and_not_retried(monkeypatch):
    flaky.enqueue("never", 0)
    run_worker(monkeypatch)
    assert [(attempt, given_up) for _, attempt, given_up, _ in told] == [
        (1, False),
        (2, False),
        (3, True),
    ]
    assert results() == [(1, "FAILED"), (2, "FAILED"), (3, "FAILED")]


def test_a_hook_that_fails_costs_no_retry(monkeypatch):
    flaky.enqueue("broken hook", 3)
    run_worker(monkeypatch)
    assert len(told) == 2
    assert results() == [(1, "FAILED"), (2, "FAILED"), (3, "SUCCESSFUL")]
