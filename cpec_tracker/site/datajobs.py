"""When /data/'s files are built: by a background job, after changes, never in a request.

A save to any tracker table (when its transaction commits) asks for a build
(`request_build`), which enqueues the job to run CPEC_DATA_BUILD_DELAY seconds later unless one
is already queued and not yet started: a burst of saves (an editor's afternoon, an import)
makes one build, of the data as it is when the job starts. A save during a build queues the
next one. Writes no signal sees (QuerySet.update(), raw SQL, a restored backup) and the very
first start are caught by /data/ itself: a request that finds the files stale and no build
queued or running enqueues one (`data_state`) — a row in the queue, never the build itself.

The job builds the current version (datafiles.current_build: into a hidden folder renamed
into place, so a killed worker leaves nothing half-written), retried with backoff
(cpec_tracker/jobs.py). When every attempt failed, /data/ says so and keeps serving the last
build, and only the next change asks again (so a broken build is not retried by every visit).

A worker killed outright (SIGKILL, a machine lost) leaves its build's result RUNNING, and
nothing of the job is left to say otherwise. Such a result is marked FAILED, "the worker stopped
mid-build", so that chief editors see it as failed rather than running forever
(`fail_abandoned_builds`): by the next build job when it starts, and by /data/ when it finds
the files stale and no build holding the lock.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend

from cpec_tracker.caching import dataversion
from cpec_tracker.jobs import retried_task
from cpec_tracker.site import datafiles

# A RUNNING build result this old whose build holds no lock was abandoned. The bound only
# covers the moment between a worker claiming the job and its build taking the lock.
ABANDONED_AFTER = datetime.timedelta(seconds=10)


class WorkerStoppedMidBuild(Exception):
    """What an abandoned build's result says failed it (its admin page shows this)."""


@retried_task(attempts=5, first_delay=datetime.timedelta(seconds=30))
def build_data_files():
    """Build the files of the data version current when the job runs (nothing to do when
    they are built already); its label is the job's result."""
    fail_abandoned_builds()
    return datafiles.current_build().label


def build_backend():
    """The task backend the build goes to: TASKS' "default" (the database queue), or the one
    CPEC_DATA_BUILD_BACKEND names (the test suite runs it at once, in the test's transaction)."""
    return task_backends[settings.CPEC_DATA_BUILD_BACKEND]


def build_results():
    """The build job's results in the database queue (none for other backends)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=build_data_files.module_path, backend_name=settings.CPEC_DATA_BUILD_BACKEND
    )


def fail_abandoned_builds():
    """Mark FAILED the build results left RUNNING by a worker that stopped mid-build (no
    build holds the lock: the kernel released a killed process's); how many."""
    if datafiles.build_running():
        return 0
    note = WorkerStoppedMidBuild(
        "The worker stopped mid-build (killed or its machine lost): no build holds the lock. "
        "Its half-written folder is removed by the next build; /data/ kept serving the last "
        "complete one."
    )
    now = timezone.now()
    return (
        build_results()
        .filter(status=TaskResultStatus.RUNNING, started_at__lt=now - ABANDONED_AFTER)
        .update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerStoppedMidBuild.__module__}.WorkerStoppedMidBuild",
            traceback=f"{WorkerStoppedMidBuild.__module__}.WorkerStoppedMidBuild: {note}\n",
        )
    )


def queued_in_database(backend):
    return isinstance(backend, DatabaseBackend)


def request_build(*, delay=None):
    """Enqueue a build `delay` from now (CPEC_DATA_BUILD_DELAY by default) unless one is
    queued and not yet started; whether it did."""
    backend = build_backend()
    if queued_in_database(backend):
        if build_results().filter(status=TaskResultStatus.READY).exists():
            return False
    delay = datetime.timedelta(seconds=settings.CPEC_DATA_BUILD_DELAY if delay is None else delay)
    job = build_data_files.using(backend=settings.CPEC_DATA_BUILD_BACKEND)
    if backend.supports_defer and delay:
        job = job.using(run_after=timezone.now() + delay)
    job.enqueue()
    return True


def request_build_after_commit(sender, **kwargs):
    """Signal receiver for every write to a tracked table: a build once the transaction
    commits (one request per transaction however many rows it wrote)."""
    if sender._meta.db_table not in dataversion.tracked_table_names():
        return
    # Without deferred runs there is no debouncing: every commit would build at once. Such a
    # backend (the suite's) builds when /data/ asks instead.
    if not build_backend().supports_defer:
        return
    if connection.in_atomic_block and any(
        callback is request_build for _savepoints, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(request_build)


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(request_build_after_commit, dispatch_uid=f"data-build-{signal!r}")


@dataclass
class DataState:
    """What /data/ offers now and what it can say about the next build."""

    offer: datafiles.Offer
    # A build is queued or running (only said when the offer is not the current version).
    building: bool = False
    # Every attempt at the newest build failed, and nothing has asked for another since.
    failed: bool = False


def data_state():
    """The build /data/ serves at once, and whether a newer one is coming; when the files
    are stale and nothing is building them, a build is enqueued (not run) now."""
    offer = datafiles.offer()
    if offer.is_current:
        return DataState(offer)
    if datafiles.build_running():
        return DataState(offer, building=True)
    backend = build_backend()
    if queued_in_database(backend):
        newest = build_results().order_by("-enqueued_at").values_list("status", flat=True)[:1]
        newest_status = next(iter(newest), None)
        if newest_status == TaskResultStatus.READY:
            return DataState(offer, building=True)
        if newest_status == TaskResultStatus.FAILED:
            return DataState(offer, failed=True)
        if newest_status == TaskResultStatus.RUNNING:
            # Running, yet no build holds the lock: its worker stopped mid-build.
            fail_abandoned_builds()
        request_build(delay=0)
        return DataState(offer, building=True)
    # A backend that runs the job at once (the test suite's): the build is done on return.
    request_build(delay=0)
    offer = datafiles.offer()
    return DataState(offer, building=not offer.is_current)
