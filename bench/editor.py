"""An editor at work while the benchmark runs: one save a second, through the ORM.

    python -m bench.editor --interval 1      # DATABASE_URL names the benchmark's database

Started by `bench.run` for its editing-day mode (`--cache editing`) next to gunicorn, with the
same settings. Every `--interval` seconds it takes a published project or meeting (in turn,
drawn at random with a fixed seed), changes its summary and calls `save()`, as the admin's
change form does: the history row is written, the record's version and the data version move
on, and whatever the page cache keyed on them is cold. It stops on SIGTERM or SIGINT and
prints `editor: N saves` (one line of JSON for bench.run after `EDITOR-JSON `).
"""

import argparse
import json
import os
import random
import signal
import sys
import time

from bench.generate import default_database_url, setup_django

# What the editor adds to a summary, and takes away again on the record's next edit.
EDIT_MARK = " (Updated.)"


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between saves")
    parser.add_argument("--scale", type=int, default=1000, help="for the default database")
    parser.add_argument("--random-seed", type=int, default=11)
    return parser.parse_args(argv)


def edit(record):
    """Change the record as an editor would (a sentence added to or taken from its summary)."""
    if record.summary.endswith(EDIT_MARK):
        record.summary = record.summary.removesuffix(EDIT_MARK)
    else:
        record.summary += EDIT_MARK
    record.save()


def main(argv=None):
    arguments = parse_arguments(argv)
    setup_django(os.environ.get("DATABASE_URL") or default_database_url(arguments.scale))
    from django.db import close_old_connections

    from meetings.models import Meeting
    from projects.models import Project

    stopping = []
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stopping.append(True))
    rng = random.Random(arguments.random_seed)
    # The ids of published records, read once: a draw is then one query, not a scan.
    candidates = {
        model: list(model.objects.published().values_list("pk", flat=True))
        for model in (Project, Meeting)
    }
    saves, failures = 0, 0
    started = time.monotonic()
    for number in range(sys.maxsize):
        if stopping:
            break
        model = (Project, Meeting)[number % 2]
        try:
            edit(model.objects.get(pk=rng.choice(candidates[model])))
            saves += 1
        except Exception as error:  # noqa: BLE001 - a failed save is counted and reported
            failures += 1
            print(f"editor: a save failed: {error!r}", file=sys.stderr, flush=True)
            close_old_connections()
        # Saves on the second, however long the last one took.
        delay = started + (number + 1) * arguments.interval - time.monotonic()
        while delay > 0 and not stopping:
            time.sleep(min(delay, 0.1))
            delay = started + (number + 1) * arguments.interval - time.monotonic()
    print(f"editor: {saves} saves, {failures} failed, {time.monotonic() - started:.0f} s")
    print("EDITOR-JSON " + json.dumps({"saves": saves, "failures": failures}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
