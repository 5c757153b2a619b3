"""/data/ is built by a background job: saves queue it (many saves, one build), a failure is
retried with backoff and shown to chief editors, a worker killed mid-build leaves the last
build served and the next one complete, and no request ever builds."""

import datetime
import os
import secrets
import signal
import subprocess
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from cpec_tracker import jobs
from cpec_tracker.site import datafiles, datajobs
from projects.models import Project
from tests.servers import MANAGE, PROJECT, database_url, manage

pytestmark = pytest.mark.django_db

NOTICE = "is being prepared"
NONE_YET = "No version of the files is ready yet"
FAILED = "could not be built yet"


@pytest.fixture
def database_queue(settings):
    """The build goes to the database queue that `make run`'s worker reads."""
    settings.CPEC_DATA_BUILD_BACKEND = "default"
    settings.CPEC_DATA_BUILD_DELAY = 5


def refuse_builds(monkeypatch):
    """Any build in the test's process from now on fails the test: requests must leave it to
    a worker."""

    def refused(label):
        raise AssertionError("a request built the /data/ files")

    monkeypatch.setattr(datafiles, "build_version", refused)


@pytest.fixture
def no_build_in_this_process(monkeypatch):
    refuse_builds(monkeypatch)


def queued_builds():
    return datajobs.build_results().filter(status=TaskResultStatus.READY)


def run_as_the_worker(result):
    """Run one queued job as `db_worker` does, in this test's transaction."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run_task(DBTaskResult.objects.get(pk=result.pk))
    result.refresh_from_db()
    return result


def test_ten_saves_queue_one_build_a_few_seconds_ahead(
    seeded, database_queue, django_capture_on_commit_callbacks, monkeypatch
):
    project = Project.objects.get(slug="chashma-nuclear-power-plant-unit-5")
    before = timezone.now()
    for number in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            project.title = f"Chashma, edit {number}"
            project.save()
    [queued] = queued_builds()
    assert (
        before + datetime.timedelta(seconds=5)
        <= queued.run_after
        <= timezone.now() + datetime.timedelta(seconds=5)
    )

    built = []
    real_build = datafiles.build_version
    monkeypatch.setattr(
        datafiles, "build_version", lambda label: built.append(label) or real_build(label)
    )
    assert run_as_the_worker(queued).status == TaskResultStatus.SUCCESSFUL
    assert built == [datafiles.current_label()]
    build = datafiles.read_build(datafiles.current_label())
    assert "Chashma, edit 9" in (build.folder / "csv" / "projects.csv").read_text()


def test_many_writes_in_one_transaction_ask_once(
    seeded, database_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        for project in Project.objects.all()[:10]:
            project.save()
    assert callbacks == [datajobs.request_build]


def test_a_readers_report_queues_no_build(
    seeded, database_queue, django_capture_on_commit_callbacks
):
    from cpec_tracker.records.models import ErrorReport

    with django_capture_on_commit_callbacks() as callbacks:
        datajobs.request_build_after_commit(ErrorReport)
    assert callbacks == []


def test_a_failed_build_is_retried_with_backoff_then_shown_and_asked_for_again_by_a_change(
    client, seeded, database_queue, monkeypatch, django_capture_on_commit_callbacks
):
    last = datafiles.current_build()
    Project.objects.filter(slug="chashma-nuclear-power-plant-unit-5").update(title="Edited")

    def broken_build(label):
        raise OSError("disk full")

    monkeypatch.setattr(datafiles, "build_version", broken_build)
    datajobs.request_build(delay=0)
    delays = []
    for attempt in range(1, 6):
        [queued] = queued_builds()
        assert jobs.attempt_of(queued) == attempt
        started = timezone.now()
        failed = run_as_the_worker(queued)
        assert failed.status == TaskResultStatus.FAILED
        assert "disk full" in failed.traceback
        retries = list(queued_builds())
        if attempt < 5:
            [retry] = retries
            delays.append(round((retry.run_after - started).total_seconds() / 60, 1))
            # The page, meanwhile: the last build, a newer one coming.
            text = client.get("/data/").content.decode()
            assert f"version {last.label} of" in text and NOTICE in text
        else:
            assert retries == []
    assert delays == [0.5, 2.0, 8.0, 32.0]
    assert datajobs.build_results().filter(status=TaskResultStatus.FAILED).count() == 5

    # Given up: the page says so and keeps the last build; visits queue nothing more.
    page = client.get("/data/")
    text = page.content.decode()
    assert page.status_code == 200
    assert f"version {last.label} of" in text and FAILED in text and NOTICE not in text
    assert not queued_builds().exists()
    # The next change asks again.
    with django_capture_on_commit_callbacks(execute=True):
        Project.objects.get(slug="chashma-nuclear-power-plant-unit-5").save()
    assert queued_builds().count() == 1


def test_chief_editors_see_failed_jobs_in_the_admin_and_editors_do_not(
    seeded, database_queue, chief_editor_client, editor_client
):
    datajobs.request_build(delay=0)
    result = datajobs.build_results().get()
    result.set_failed(OSError("disk full"))
    url = f"/admin/django_tasks_database/dbtaskresult/{result.pk}/change/"
    assert "Task Results" in chief_editor_client.get("/admin/").content.decode()
    page = chief_editor_client.get(url)
    assert page.status_code == 200 and "disk full" in page.content.decode()
    assert "Task Results" not in editor_client.get("/admin/").content.decode()
    assert editor_client.get(url).status_code == 403


def claimed_build(*, seconds_ago):
    """A build job claimed by a worker `seconds_ago` and still RUNNING."""
    datajobs.request_build(delay=0)
    result = queued_builds().get()
    result.claim("gone-worker")
    datajobs.build_results().filter(pk=result.pk).update(
        started_at=timezone.now() - datetime.timedelta(seconds=seconds_ago)
    )
    return result


def test_the_next_build_job_marks_a_build_abandoned_by_its_worker_failed(
    seeded, database_queue, settings, tmp_path
):
    settings.CPEC_DATA_DIR = tmp_path
    abandoned = claimed_build(seconds_ago=60)
    just_claimed = claimed_build(seconds_ago=1)  # Its worker has yet to take the lock.
    datajobs.request_build(delay=0)
    assert run_as_the_worker(queued_builds().get()).status == TaskResultStatus.SUCCESSFUL
    abandoned.refresh_from_db()
    just_claimed.refresh_from_db()
    assert abandoned.status == TaskResultStatus.FAILED and abandoned.finished_at
    assert "worker stopped mid-build" in abandoned.traceback
    assert just_claimed.status == TaskResultStatus.RUNNING


def test_a_build_holding_the_lock_is_not_marked_abandoned(
    seeded, database_queue, settings, tmp_path
):
    settings.CPEC_DATA_DIR = tmp_path
    running = claimed_build(seconds_ago=600)  # A long build, still holding the lock.
    with datafiles.take_build_lock(wait=False):
        assert datajobs.fail_abandoned_builds() == 0
    running.refresh_from_db()
    assert running.status == TaskResultStatus.RUNNING
    assert datajobs.fail_abandoned_builds() == 1


def test_the_data_page_never_builds_and_says_what_it_offers(
    client,
    seeded,
    database_queue,
    settings,
    tmp_path,
    no_build_in_this_process,
    django_assert_max_num_queries,
):
    settings.CPEC_DATA_DIR = tmp_path
    # Before the first build: a clear message, a 200; the files 503 with Retry-After.
    with django_assert_max_num_queries(8):
        page = client.get("/data/")
    text = page.content.decode()
    assert page.status_code == 200 and NONE_YET in text and "no-store" in page["Cache-Control"]
    file = client.get("/data/datapackage.json")
    assert file.status_code == 503 and int(file["Retry-After"]) > 0
    # The visits queued one build between them, and built nothing.
    assert queued_builds().count() == 1
    assert not [folder for folder in tmp_path.iterdir() if folder.is_dir()]


def test_the_data_page_labels_the_current_build_with_its_version_and_date(
    client, seeded, database_queue, django_assert_max_num_queries
):
    build = datafiles.current_build()
    with django_assert_max_num_queries(8):
        page = client.get("/data/")
    text = page.content.decode()
    assert f"Version <strong>{build.label}</strong>, built on" in text
    assert build.built_at.strftime("%Y") in text
    assert NOTICE not in text and FAILED not in text
    assert not queued_builds().exists()


def test_a_stale_data_page_offers_the_last_build_and_says_a_newer_is_coming(
    client, seeded, database_queue, monkeypatch, django_assert_max_num_queries
):
    last = datafiles.current_build()
    refuse_builds(monkeypatch)
    Project.objects.filter(slug="chashma-nuclear-power-plant-unit-5").update(title="Edited")
    with django_assert_max_num_queries(10):
        page = client.get("/data/")
    text = page.content.decode()
    assert f"Version <strong>{last.label}</strong>" in text and NOTICE in text
    assert "no-store" in page["Cache-Control"]
    assert b"Edited" not in b"".join(client.get("/data/csv/projects.csv").streaming_content)
    assert queued_builds().count() == 1
    client.get("/data/")
    assert queued_builds().count() == 1


# With a real worker process -------------------------------------------------------------


def worker_env(settings, collected_static):
    return {
        "DJANGO_SETTINGS_MODULE": "cpec_tracker.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_STATIC_ROOT": str(collected_static),
        "DATABASE_URL": database_url(connection.settings_dict),
        "CPEC_DATA_DIR": str(settings.CPEC_DATA_DIR),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_build_leaves_the_last_build_served_and_the_next_build_complete(
    client, settings, tmp_path, collected_static
):
    call_command("seed", verbosity=0)
    settings.CPEC_DATA_DIR = tmp_path / "data"
    last = datafiles.current_build()
    settings.CPEC_DATA_BUILD_BACKEND = "default"
    settings.CPEC_DATA_BUILD_DELAY = 0
    Project.objects.filter(slug="chashma-nuclear-power-plant-unit-5").update(
        title="Chashma, edited since the last build"
    )
    datajobs.request_build()
    env = worker_env(settings, collected_static)

    worker = subprocess.Popen(
        [*MANAGE, "db_worker", "--no-startup-delay", "--interval", "0.1"],
        env={**os.environ, **env},
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not any(
            folder.name.startswith(".building-") for folder in datafiles.data_dir().iterdir()
        ):
            assert time.monotonic() < deadline and worker.poll() is None, "no build started"
            time.sleep(0.005)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    assert datafiles.read_build(datafiles.current_label()) is None, "killed too late"
    [killed] = datajobs.build_results()
    assert killed.status == TaskResultStatus.RUNNING

    # A moment later (past the claim-to-lock bound), the page finds it RUNNING with no build
    # holding the lock: marked failed for chief editors, not running forever.
    datajobs.build_results().filter(pk=killed.pk).update(
        started_at=killed.started_at - datetime.timedelta(minutes=1)
    )
    # The last build still served whole; the page says a newer one is coming, and queues it
    # (the killed job can queue nothing).
    text = client.get("/data/").content.decode()
    assert f"version {last.label} of" in text and NOTICE in text
    killed.refresh_from_db()
    assert killed.status == TaskResultStatus.FAILED
    assert "worker stopped mid-build" in killed.traceback
    assert killed.exception_class_path.endswith("WorkerStoppedMidBuild")
    assert queued_builds().count() == 1
    body = b"".join(client.get("/data/csv/projects.csv").streaming_content)
    assert b"Chashma, edited since the last build" not in body
    assert body == (last.folder / "csv" / "projects.csv").read_bytes()
    assert datafiles.read_build(last.label).files == last.files

    manage("db_worker", "--batch", "--no-startup-delay", env=env)
    current = datafiles.read_build(datafiles.current_label())
    for entry in current.files:
        assert current.path_of(entry["name"]).stat().st_size == entry["bytes"]
    text = client.get("/data/").content.decode()
    assert f"version {current.label} of" in text and NOTICE not in text and FAILED not in text
    assert sorted(result.status for result in datajobs.build_results()) == [
        TaskResultStatus.FAILED,
        TaskResultStatus.SUCCESSFUL,
    ]
    assert b"Chashma, edited since the last build" in b"".join(
        client.get("/data/csv/projects.csv").streaming_content
    )
    # The half-written folder and the last build are gone.
    assert sorted(folder.name for folder in datafiles.data_dir().iterdir() if folder.is_dir()) == [
        current.label
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_saves_committed_one_by_one_make_one_build_by_the_worker(
    settings, tmp_path, collected_static
):
    call_command("seed", verbosity=0)
    settings.CPEC_DATA_DIR = tmp_path / "data"
    settings.CPEC_DATA_BUILD_BACKEND = "default"
    settings.CPEC_DATA_BUILD_DELAY = 1
    for project in Project.objects.all()[:10]:
        project.save()  # each in a transaction of its own, committed
    assert queued_builds().count() == 1
    time.sleep(1.1)
    manage("db_worker", "--batch", "--no-startup-delay", env=worker_env(settings, collected_static))
    [done] = datajobs.build_results()
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == datafiles.current_label()
    assert [folder.name for folder in datafiles.data_dir().iterdir() if folder.is_dir()] == [
        datafiles.current_label()
    ]
