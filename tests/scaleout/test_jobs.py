"""Two app servers and their workers share one queue of jobs in PostgreSQL, and each job runs
once (issue 22: "two web servers and one worker on PostgreSQL and Redis sharing jobs without
doing one twice").

The workers are real `manage.py db_worker` processes with the servers' settings (the
`start_worker` fixture); what they did is read from the queue's table (django-tasks-db's task
results) and from what the jobs left behind.
"""

import collections
import re
import secrets
import time

import psycopg

from tests.admin_forms import form_data
from tests.scaleout.conftest import (
    DATA_BUILD_DELAY,
    admin_login,
    meeting_admin_url,
    visit,
)
from tests.servers import manage

BUILD_TASK = "cpec_tracker.site.datajobs.build_data_files"
NOTE_TASK = "tests.scaleout.worker_tasks.note_run"
RESULTS_TABLE = "django_tasks_database_dbtaskresult"
DRAFTS = 8  # Saved four through each server.
CHEAP_JOBS = 20
# The longest a test waits for the workers (a build of the seed takes seconds).
WAIT_SECONDS = 180
VERSION = re.compile(r"Version <strong>(\w+)</strong>")
BEING_PREPARED = "is being prepared"


def query(site_env, sql, params=()):
    with psycopg.connect(site_env["DATABASE_URL"], autocommit=True) as connection:
        return connection.execute(sql, params).fetchall()


def database_now(site_env):
    """The database's clock, which stamps the task results."""
    return query(site_env, "SELECT now()")[0][0]


Result = collections.namedtuple(
    "Result", "status enqueued_at started_at finished_at worker_ids return_value"
)


def task_results(site_env, task_path, since):
    """The results of `task_path`'s jobs enqueued since `since`, oldest first."""
    rows = query(
        site_env,
        f"SELECT status, enqueued_at, started_at, finished_at, worker_ids, return_value "
        f"FROM {RESULTS_TABLE} WHERE task_path = %s AND enqueued_at >= %s ORDER BY enqueued_at",
        (task_path, since),
    )
    return [Result(*row) for row in rows]


def wait_until_idle(site_env):
    """Until no job is queued to run within the build delay, nor running (jobs left RUNNING
    long ago by a killed worker of an earlier run do not count)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        [(busy,)] = query(
            site_env,
            f"SELECT count(*) FROM {RESULTS_TABLE} WHERE (status = 'READY' AND "
            "(run_after >= '9999-01-01' OR run_after <= now() + make_interval(secs => %s)))"
            " OR (status = 'RUNNING' AND started_at > now() - interval '10 minutes')",
            (DATA_BUILD_DELAY + 5,),
        )
        if not busy:
            return
        assert time.monotonic() < deadline, f"{busy} jobs still queued or running"
        time.sleep(0.5)


def wait_until_finished(site_env, task_path, since, count=None):
    """The results of `task_path`'s jobs since `since` once all (at least one, or `count`)
    are finished."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        results = task_results(site_env, task_path, since)
        finished = all(result.status in {"SUCCESSFUL", "FAILED"} for result in results)
        if results and finished and (count is None or len(results) == count):
            return results
        assert time.monotonic() < deadline, f"unfinished after {WAIT_SECONDS} s: {results}"
        time.sleep(0.5)


def served_version(server):
    page = visit(server, "/data/")
    assert page.status_code == 200
    found = VERSION.search(page.text)
    return (found.group(1) if found else None), page.text


def make_draft_meetings(site_env, token):
    """DRAFTS draft meetings (drafts are saved directly, without a second person's approval,
    so each admin save writes the tracked tables and asks for a build)."""
    slugs = [f"scaleout-draft-{token}-{number}" for number in range(DRAFTS)]
    manage(
        "shell",
        "-c",
        "import datetime\n"
        "from meetings.models import Meeting\n"
        f"for slug in {slugs!r}:\n"
        "    Meeting.objects.create(slug=slug, title=slug.replace('-', ' ').title(),"
        " kind='working_group_session', date=datetime.date(2025, 1, 10),"
        " publication_status='draft')",
        env=site_env,
    )
    return slugs


def test_saves_through_both_servers_queue_debounced_builds_that_one_worker_runs_once(
    servers, start_worker, site_env, report
):
    token = secrets.token_hex(4)
    slugs = make_draft_meetings(site_env, token)
    worker = start_worker(f"scaleout-builder-{token}").wait_until_polling()
    # What earlier tests and the drafts asked for is done first.
    wait_until_idle(site_env)
    before, _ = served_version(servers[0])

    # Every form opened first, as editors with pages open; then the saves, alternating
    # between the servers, four through each.
    saves = []
    for server in servers:
        session, login = admin_login(server)
        assert login.url.endswith("/admin/"), "the editor could not log in"
        saves.append((server, session))
    forms = []
    for number, slug in enumerate(slugs):
        server, session = saves[number % 2]
        url = meeting_admin_url(server, session, slug)
        data = {
            name: value
            for name, value in form_data(session.get(url)).items()
            if "__prefix__" not in name
        }
        data["summary"] = f"Saved in a burst through server {number % 2 + 1} ({token})."
        forms.append((session, url, data))
    burst_started = database_now(site_env)
    started = time.monotonic()
    for session, url, data in forms:
        saved = session.post(url, data=data, allow_redirects=False)
        assert saved.status_code == 302, saved.text[:2000]
    burst_seconds = time.monotonic() - started
    burst_ended = database_now(site_env)

    builds = wait_until_finished(site_env, BUILD_TASK, burst_started)
    build_seconds = time.monotonic() - started
    # Debounced: a build is queued only when none is waiting, so each one after the first was
    # queued once the one before it had started (a save during a build queues the next).
    for earlier, later in zip(builds, builds[1:], strict=False):
        assert later.enqueued_at >= earlier.started_at, builds
    assert len(builds) <= 1 + sum(build.started_at < burst_ended for build in builds), builds
    # Each run once, by the worker, and each built a version of its own.
    assert [build.status for build in builds] == ["SUCCESSFUL"] * len(builds), builds
    assert [build.worker_ids for build in builds] == [[worker.worker_id]] * len(builds)
    labels = [build.return_value for build in builds]
    assert len(set(labels)) == len(labels), labels

    # Both servers serve the newest build, from the one shared folder.
    newest = labels[-1]
    assert newest != before
    for server in servers:
        label, text = served_version(server)
        assert label == newest and BEING_PREPARED not in text
    for name in ("datapackage.json", "csv/projects.csv"):
        files = [visit(server, f"/data/{name}") for server in servers]
        assert [file.status_code for file in files] == [200, 200]
        assert files[0].content == files[1].content
    report(
        f"jobs: {DRAFTS} saves (4 through each server) in {burst_seconds:.1f} s queued "
        f"{len(builds)} /data/ build(s) (delay {DATA_BUILD_DELAY} s), each run once by the "
        f"worker; both servers served version {newest} {build_seconds:.1f} s after the "
        "first save"
    )


def test_two_workers_claim_from_one_queue_and_run_each_job_once(
    start_worker, site_env, tmp_path, report
):
    token = secrets.token_hex(4)
    workers = [start_worker(f"scaleout-{token}-{number}") for number in (1, 2)]
    for worker in workers:
        worker.wait_until_polling()
    runs = tmp_path / "runs.txt"
    since = database_now(site_env)
    started = time.monotonic()
    manage(
        "shell",
        "-c",
        "from tests.scaleout.worker_tasks import note_run\n"
        f"for number in range({CHEAP_JOBS}):\n"
        f"    note_run.enqueue(number, {str(runs)!r})",
        env=site_env,
    )
    results = wait_until_finished(site_env, NOTE_TASK, since, count=CHEAP_JOBS)
    seconds = time.monotonic() - started

    # Each job ran once: once in what the jobs wrote, once in the task results.
    numbers = [int(line.split()[0]) for line in runs.read_text().splitlines()]
    assert collections.Counter(numbers) == dict.fromkeys(range(CHEAP_JOBS), 1)
    assert sorted(result.return_value for result in results) == list(range(CHEAP_JOBS))
    assert all(result.status == "SUCCESSFUL" for result in results)
    assert all(len(result.worker_ids) == 1 for result in results)
    # Both workers took jobs from the one queue, in their own processes.
    by_worker = collections.Counter(result.worker_ids[0] for result in results)
    assert set(by_worker) == {worker.worker_id for worker in workers}, by_worker
    pids = {int(line.split()[1]) for line in runs.read_text().splitlines()}
    assert pids == {worker.process.pid for worker in workers}
    report(
        f"jobs: {CHEAP_JOBS} jobs, two workers on one queue: each ran once "
        f"(split {sorted(by_worker.values())}), all done in {seconds:.1f} s"
    )
