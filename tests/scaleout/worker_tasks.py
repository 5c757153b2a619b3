"""A cheap job for the scale-out tests: each run appends a line to a file, so a job run
twice shows twice whatever its task result says. Imported by `manage.py db_worker` run from
the project folder (its sys.path starts there)."""

import os
import time

from django_tasks import task


@task()
def note_run(number, path, seconds=0.2):
    """Append "number pid" to `path` (one write: lines never mix), after `seconds` of work."""
    time.sleep(seconds)
    with open(path, "a") as runs:
        runs.write(f"{number} {os.getpid()}\n")
    return number
