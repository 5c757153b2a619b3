"""Background jobs that are retried with backoff: the one way to declare a task here.

django-tasks (the backport of Django 6's Tasks framework) runs a task once: an exception marks
its result FAILED and nothing runs it again. `retried_task` is `django_tasks.task` plus that:

    @retried_task(attempts=5, first_delay=datetime.timedelta(seconds=30), on_failure=note)
    def send_alert(subscription_id): ...

    send_alert.enqueue(subscription_id=12)

When an attempt raises, `on_failure` (if given) is told (a `Failure`, then the job's own
arguments), the same task is enqueued again with the same arguments and `attempt=n + 1`, to run
after `first_delay × 4^(n − 1)` (30 s, 2 min, 8 min, 32 min …), and then the exception
propagates, so each failed attempt stays in the task results with its traceback (the admin's
"Task results", which chief editors see). Nothing is lost: a job is either finished, queued for
its next attempt, or — after `attempts` — FAILED for good, the newest result of its chain, where
an editor finds it. `attempts` and `first_delay` may be functions, read at each failure, for
jobs whose settings say how patient to be (the alerts' mails).

`on_failure` is for a job whose rows must say what happened to them (a mail's deliveries carry
each attempt's error, and are marked failed when it gives up). It runs before the retry is
enqueued, so that a backend that runs jobs at once sees this attempt recorded before the next;
if it raises, that is logged and the retry is enqueued all the same.

A worker killed mid-attempt (SIGKILL, a machine lost) cannot enqueue anything: its result stays
RUNNING. Jobs must therefore be safe to run twice, and whoever needs the work done enqueues it
again when it finds it undone (the /data/ build: cpec_tracker/site/datajobs.py, which also
marks such a build's result FAILED once it knows no build is running).
"""

import datetime
import functools
import logging
from dataclasses import dataclass

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

BACKOFF_FACTOR = 4


def retry_delay(first_delay, attempt):
    """How long after failed attempt number `attempt` (1 for the first) the next one runs."""
    return first_delay * BACKOFF_FACTOR ** (attempt - 1)


@dataclass(frozen=True)
class Failure:
    """One failed attempt of a retried job, as its `on_failure` hook is told of it."""

    error: BaseException
    # 1 for the first attempt.
    attempt: int
    # How many attempts the job gets in all.
    attempts: int
    # When the next attempt runs; None when this was the last.
    retry_in: datetime.timedelta | None

    @property
    def given_up(self):
        return self.retry_in is None

    @property
    def summary(self):
        """The error in one line, as a row records it (`OSError: [Errno 111] …`)."""
        return f"{type(self.error).__name__}: {self.error}"


def value_now(setting):
    """`setting`, or what it returns when it is a function (read at each failure)."""
    return setting() if callable(setting) else setting


def retried_task(
    *,
    attempts=5,
    first_delay=datetime.timedelta(seconds=30),
    on_failure=None,
    **task_options,
):
    """`django_tasks.task(**task_options)`, retried up to `attempts` times in all, with
    exponential backoff from `first_delay`, telling `on_failure(failure, *args, **kwargs)` of
    each failed attempt (the module docstring says how)."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, attempt=1, **kwargs):
            try:
                return function(*args, **kwargs)
            except BaseException as error:
                # BaseException too: a worker stopped by a second Ctrl-C raises SystemExit
                # inside the task, and the work must not be lost with it.
                attempts_in_all = value_now(attempts)
                given_up = attempt >= attempts_in_all
                delay = None if given_up else retry_delay(value_now(first_delay), attempt)
                if on_failure is not None:
                    failure = Failure(error, attempt, attempts_in_all, retry_in=delay)
                    try:
                        on_failure(failure, *args, **kwargs)
                    except Exception:
                        logger.exception("Job %s: its on_failure hook failed", the_task.name)
                if given_up:
                    logger.exception(
                        "Job %s failed %s times; not retried again", the_task.name, attempt
                    )
                    raise
                retry = the_task
                if the_task.get_backend().supports_defer:
                    retry = retry.using(run_after=timezone.now() + delay)
                logger.warning(
                    "Job %s failed (attempt %s of %s); retried in %s",
                    the_task.name,
                    attempt,
                    attempts_in_all,
                    delay,
                )
                retry.enqueue(*args, attempt=attempt + 1, **kwargs)
                raise

        the_task = task(**task_options)(run)
        return the_task

    return decorate


def attempt_of(result):
    """Which attempt a task result (a `django_tasks_db` DBTaskResult) was: 1, 2, …"""
    return (result.args_kwargs or {}).get("kwargs", {}).get("attempt", 1)
