"""Load-test the site under gunicorn with wrk and compare every URL with the trivial view.

    python -m bench.run --scale 1000 --duration 3       # after python -m bench.generate

For each URL in `URLS` it first makes one request in-process (Django's test client, page
cache off) to record the status and the SQL queries the view runs, then, for each cache mode,
starts gunicorn on 127.0.0.1 with production settings (DEBUG off, collected static files,
`--workers` workers configured as `make run` has them) and drives it with `wrk` for
`--duration` seconds per URL.
The ratio is a URL's requests per second divided by the trivial view's (`/healthz`) in the
same mode of the same run. Results go to bench/results/ as Markdown and JSON.
"""

import argparse
import datetime
import json
import logging
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.generate import (
    RESULTS,
    default_database_url,
    generated_scale,
    setup_django,
    shown,
)

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "report.lua"
STATIC_ROOT = RESULTS / "staticfiles"
FLOOR = "/healthz"
PAGE_50 = "page=50"
# The trivial view is measured again after this many URLs (see measure_mode).
FLOOR_EVERY = 5

# The one list of what is measured: (group, URL). {names} are filled from the database.
URLS = [
    ("floor", "{static}"),
    ("floor", FLOOR),
    ("page", "/"),
    ("page", "/meetings/"),
    ("page", "/meetings/?kind=working_group_session"),
    ("page", "/meetings/?year={year}&country=PK"),
    ("page", "/meetings/?ordering=title"),
    ("page", f"/meetings/?{PAGE_50}"),
    ("page", "/meetings/{meeting}/"),
    ("page", "/officials/"),
    ("page", "/officials/?country=CN"),
    ("page", "/officials/?ordering=-name"),
    ("page", f"/officials/?{PAGE_50}"),
    ("page", "/officials/{official}/"),
    ("page", "/projects/"),
    ("page", "/projects/?status=operational&sector=energy"),
    ("page", "/projects/?ordering=-updated_at"),
    ("page", f"/projects/?{PAGE_50}"),
    ("page", "/projects/{project}/"),
    ("page", "/sources/{source}/"),
    ("page", "/organizations/{organization}/"),
    ("page", "/themes/{theme}/"),
    # Search twice: words in 0.2% of the generated projects, and words in 20% of them.
    ("search", "/search/?q=chashma+nuclear"),
    ("search", "/search/?q=gwadar+port"),
    ("api", "/api/v1/meetings/"),
    ("api", "/api/v1/meetings/{meeting}/"),
    ("api", "/api/v1/officials/"),
    ("api", "/api/v1/officials/{official}/"),
    ("api", "/api/v1/projects/"),
    ("api", "/api/v1/projects/?status=operational&ordering=-updated_at"),
    ("api", "/api/v1/projects/{project}/"),
    ("api", "/api/v1/organizations/"),
    ("api", "/api/v1/organizations/{organization}/"),
    ("api", "/api/v1/themes/"),
    ("api", "/api/v1/themes/{theme}/"),
    ("api", "/api/v1/sources/"),
    ("api", "/api/v1/sources/{source}/"),
    ("search", "/api/v1/projects/?q=chashma+nuclear"),
    ("search", "/api/v1/projects/?q=gwadar+port"),
    ("export", "/api/v1/projects/?format=csv"),
]
# The targets: the lowest ratio to the trivial view, (cache on, cache off).
TARGETS = {"page": (0.6, 0.15), "api": (0.6, 0.15), "export": (0.6, 0.15), "search": (0.1, 0.1)}
MODES = {"on": "true", "off": "false"}


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=3, help="seconds of wrk per URL")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--cache", choices=["both", "on", "off"], default="both")
    return parser.parse_args(argv)


def server_environment(database_url, page_cache):
    """Production settings for gunicorn and the in-process pass alike."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
        "DJANGO_LOG_LEVEL": "ERROR",
        "CPEC_PAGE_CACHE": page_cache,
    }


def typical_slugs():
    """A published record from the middle of each table, and a year with meetings."""
    from cpec_tracker.models import Organization, Source, Theme
    from meetings.models import Meeting, Official
    from projects.models import Project

    def middle(model):
        published = model.objects.published().order_by("pk")
        return published.values_list("slug", flat=True)[published.count() // 2]

    slugs = {
        name: middle(model)
        for name, model in [
            ("meeting", Meeting),
            ("official", Official),
            ("project", Project),
            ("source", Source),
            ("organization", Organization),
            ("theme", Theme),
        ]
    }
    slugs["year"] = Meeting.objects.published().order_by("pk")[0].date.year
    return slugs


def static_url():
    from django.templatetags.static import static

    return static("cpec_tracker/site.css")


def measure_in_process(urls):
    """Status and SQL query count of one request per URL, page cache off (a view's own cost).

    `?page=50` becomes `?page=last` where the list has fewer than 50 pages at this scale.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    measured = []
    with override_settings(CPEC_PAGE_CACHE=False):
        for group, url in urls:
            client.get(url)  # fills per-process caches (content types, templates)
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
            if status == 404 and PAGE_50 in url:
                url = url.replace(PAGE_50, "page=last")
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(url).status_code
            measured.append({"group": group, "url": url, "status": status, "queries": len(queries)})
    return measured


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Server:
    """gunicorn serving the site on a free local port, stopped on exit."""

    def __init__(self, environment, workers):
        self.environment = environment
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            f"--config={ROOT / 'cpec_tracker' / 'gunicorn.conf.py'}",
            "cpec_tracker.wsgi",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--log-level=warning",
        ]
        self.log = open(RESULTS / "gunicorn.log", "a")  # closed in __exit__
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.environment, stdout=self.log, stderr=self.log
        )
        for _ in range(300):
            try:
                if get(self.base + FLOOR) == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer {FLOOR}; see {RESULTS / 'gunicorn.log'}")

    def __exit__(self, *exc_info):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def run_wrk(url, duration, connections):
    completed = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "-s", str(WRK_SCRIPT), url],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in completed.stdout.splitlines() if line.startswith("BENCH-JSON "))
    numbers = json.loads(line.removeprefix("BENCH-JSON "))
    return {
        "rps": numbers["requests"] / (numbers["duration_us"] / 1e6),
        "p50_ms": numbers["p50_us"] / 1000,
        "p99_ms": numbers["p99_us"] / 1000,
        "non_2xx": numbers["status_errors"],
        "socket_errors": numbers["socket_errors"],
        "requests": numbers["requests"],
    }


def measure_mode(rows, database_url, mode, arguments):
    """wrk every URL against a fresh gunicorn with the page cache `mode` ("on"/"off").

    The floor is measured again after every `FLOOR_EVERY` URLs, and each URL is compared with
    the mean of the floor measurements just before and just after it: on a shared machine the
    load drifts during a run, and a URL should be compared with the floor of its own moment.
    """
    environment = server_environment(database_url, MODES[mode])
    with Server(environment, arguments.workers) as server:

        def measure(url):
            for _ in range(arguments.workers * 3):  # fill every worker's cache before timing
                get(server.base + url)
            return run_wrk(server.base + url, arguments.duration, arguments.connections)

        floors = [measure(FLOOR)["rps"]]
        pending = []
        for row in rows:
            row[mode] = measure(row["url"])
            print(f"  cache {mode:3} {row[mode]['rps']:8.0f} req/s  {row['url']}", flush=True)
            pending.append(row)
            if len(pending) == FLOOR_EVERY or row is rows[-1]:
                floors.append(measure(FLOOR)["rps"])
                floor = (floors[-2] + floors[-1]) / 2
                for measured in pending:
                    measured[mode]["floor_rps"] = floor
                    measured[mode]["ratio"] = measured[mode]["rps"] / floor if floor else 0.0
                pending = []
    return floors


def verdict(row, modes):
    targets = TARGETS.get(row["group"])
    if targets is None:
        return ""
    met = all(row[mode]["ratio"] >= target for mode, target in zip(MODES, targets, strict=True)
              if mode in modes)  # fmt: skip
    return "yes" if met and row["status"] == 200 else "no"


def markdown(report):
    modes = report["modes"]
    lines = [
        f"Scale {report['scale']:,} projects · {report['database']} · {report['workers']} gunicorn "
        f"gthread workers · wrk 1 thread, {report['connections']} connections, "
        f"{report['duration']} s per URL · {report['cpus']} CPUs · {report['started']} · "
        f"commit {report['commit']}",
        "",
    ]
    header = "| URL | status | queries |"
    rule = "|---|---:|---:|"
    for mode in modes:
        header += f" cache {mode}: req/s | ratio | p50 ms | p99 ms | non-2xx |"
        rule += "---:|---:|---:|---:|---:|"
    lines += [header + " target met |", rule + ":---:|"]
    for row in report["results"]:
        line = f"| `{row['url']}` | {row['status']} | {row['queries']} |"
        for mode in modes:
            numbers = row[mode]
            line += (
                f" {numbers['rps']:.0f} | {numbers['ratio']:.2f} | {numbers['p50_ms']:.1f} |"
                f" {numbers['p99_ms']:.1f} | {numbers['non_2xx'] + numbers['socket_errors']} |"
            )
        lines.append(line + f" {verdict(row, modes)} |")
    lines += [
        "",
        "queries: SQL queries the view runs for one request, measured in-process with the "
        "page cache off; a cache hit runs one (the data version). ratio: req/s divided by "
        f"`{FLOOR}`'s in the same mode, measured just before and after it (every "
        f"{FLOOR_EVERY} URLs). "
        "non-2xx: wrk's count of 4xx/5xx answers plus socket errors. "
        "Targets (cache on / off): pages and API 0.6 / 0.15, search 0.1.",
    ]
    return "\n".join(lines) + "\n"


def git_commit():
    completed = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return completed.stdout.strip() or "unknown"


def main(argv=None):
    arguments = parse_arguments(argv)
    if shutil.which("wrk") is None:
        print("bench: wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "gunicorn.log").unlink(missing_ok=True)
    database_url = os.environ.get("DATABASE_URL") or default_database_url(arguments.scale)
    environment = server_environment(database_url, "false")
    os.environ.update(environment)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    setup_django(database_url)
    # The URLs that do not exist yet would log a warning per request.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.db import connection

    if generated_scale() != arguments.scale:
        print(f"bench: {shown(database_url)} does not hold scale {arguments.scale:,}")
        return 2
    names = {**typical_slugs(), "static": static_url()}
    urls = [(group, url.format(**names)) for group, url in URLS]
    rows = measure_in_process(urls)
    connection.close()

    modes = ["on", "off"] if arguments.cache == "both" else [arguments.cache]
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    floors = {}
    for mode in modes:
        print(f"bench: cache {mode}, {len(rows)} URLs × {arguments.duration} s", flush=True)
        floors[mode] = measure_mode(rows, database_url, mode, arguments)
    report = {
        "scale": arguments.scale,
        "database": connection.vendor,
        "workers": arguments.workers,
        "connections": arguments.connections,
        "duration": arguments.duration,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "started": started,
        "commit": git_commit(),
        "modes": modes,
        "floor_rps": floors,
        "results": rows,
    }
    stem = f"bench-{arguments.scale}-{connection.vendor}-{started[:16].replace(' ', 'T')}"
    table = markdown(report)
    for name in (stem, "latest"):
        (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
        (RESULTS / f"{name}.md").write_text(table)
    print(table)
    print(f"bench: wrote {RESULTS / stem}.md and .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
