"""Load-test the site under gunicorn with wrk and compare every URL with the trivial view.

    python -m bench.run --scale 1000 --duration 3       # after python -m bench.generate

For each URL in `URLS` it first makes one request in-process (Django's test client, page
cache off) to record the status and the SQL queries the view runs, then, for each mode,
starts gunicorn on 127.0.0.1 with production settings (DEBUG off, collected static files,
`--workers` workers configured as `make run` has them) and drives it with `wrk` for
`--duration` seconds per URL. The modes: the page cache on, off, and an **editing day**
(cache on while `bench.editor` saves a project or meeting once a second through the ORM).
wrk counts the answers the page cache served (`X-Cache: hit`) for each URL.
The ratio is a URL's requests per second divided by the trivial view's (`/healthz`) in the
same mode of the same run. Then the exports are downloaded whole, and Datasette serves the
same SQLite file beside the site (`bench.peer`). Results go to bench/results/ as Markdown and
JSON.
"""

import argparse
import contextlib
import datetime
import json
import logging
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import peer
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
    ("page", "/figures/"),
    ("page", "/financing/"),
    ("page", "/financing/?currency=USD&instrument=commercial_loan"),
    ("page", "/financing/{financing}/"),
    ("page", "/map/"),
    ("page", "/map/?status=operational&sector=energy"),
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
    ("api", "/api/v1/financing/"),
    ("api", "/api/v1/financing/?currency=CNY&status=committed"),
    # The same lists without their counts beside the filter choices: what `facets` costs.
    ("api", "/api/v1/projects/?facets=false"),
    ("api", "/api/v1/financing/?facets=false"),
    ("search", "/api/v1/projects/?q=chashma+nuclear"),
    ("search", "/api/v1/projects/?q=gwadar+port"),
]
# The issue's targets: the lowest ratio to the trivial view in each mode. The exports are
# downloaded whole instead (bench.peer), and held to rows per second.
TARGETS = {
    "page": {"on": 0.6, "off": 0.15, "editing": 0.5},
    "api": {"on": 0.6, "off": 0.15, "editing": 0.5},
    "search": {"on": 0.1, "off": 0.1, "editing": 0.1},
}
# Each mode's CPEC_PAGE_CACHE; the editing day has the cache on, and an editor saving.
MODES = {"on": "true", "off": "false", "editing": "true"}
CACHE_CHOICES = {
    "all": ["on", "off", "editing"],
    "both": ["on", "off"],
    "cached": ["on", "editing"],
    "on": ["on"],
    "off": ["off"],
    "editing": ["editing"],
}
# Seconds between the editor's saves in the editing-day mode.
EDIT_INTERVAL = 1.0
# wrk waits this long for an answer before counting a timeout (its default is 2 s, which
# the slowest pages, and Datasette's, would exceed without failing).
WRK_TIMEOUT = "30s"


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=3, help="seconds of wrk per URL")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument(
        "--cache",
        choices=list(CACHE_CHOICES),
        default="all",
        help="modes: on, off, editing (cache on, a save a second), both (on, off), "
        "cached (on, editing), all",
    )
    parser.add_argument(
        "--no-data-build",
        action="store_true",
        help="leave out the full /data/ build (minutes at 100,000 projects)",
    )
    parser.add_argument(
        "--no-peer", action="store_true", help="leave out Datasette and the export downloads"
    )
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
    from cpec_tracker.records.models import Organization, Source, Theme
    from meetings.models import Meeting, Official
    from projects.models import Financing, Project

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
    # A row of financing has its page by its id.
    published_financing = Financing.objects.published().order_by("pk")
    slugs["financing"] = published_financing.values_list("pk", flat=True)[
        published_financing.count() // 2
    ]
    slugs["year"] = Meeting.objects.published().order_by("pk")[0].date.year
    # Datasette addresses a row by its primary key, and shows pages as long as the site's.
    slugs["project_id"] = Project.objects.get(slug=slugs["project"]).pk
    from projects.views import ProjectListView

    slugs["size"] = ProjectListView.paginate_by
    slugs["table_rows"] = Project.objects.count()
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


# Issue 22: a full /data/ build at 100,000 projects in at most this many seconds.
DATA_BUILD_TARGET_SECONDS = 60


def measure_data_build():
    """One full build of /data/'s files from the generated data, into a folder of its own:
    its wall time and each file's (the CSV files together)."""
    import tempfile

    from django.test.utils import override_settings

    from cpec_tracker.site import datafiles

    with tempfile.TemporaryDirectory() as folder, override_settings(CPEC_DATA_DIR=folder):
        started = time.perf_counter()
        try:
            build = datafiles.build_version("bench")
        except Exception as error:  # a failed build is reported; the pages are still measured
            return {"error": f"{type(error).__name__}: {error}"}
        seconds = time.perf_counter() - started
    csv_files = [entry for entry in build.files if entry["name"].startswith("csv/")]
    files = {"csv/*.csv": round(sum(entry["build_seconds"] for entry in csv_files), 1)}
    files.update(
        (entry["name"], entry["build_seconds"]) for entry in build.files if entry not in csv_files
    )
    return {"seconds": round(seconds, 1), "files": files}


def data_build_summary(report):
    build = report.get("data_build")
    if not build:
        return []
    if "error" in build:
        return ["", f"/data/ build: **failed** ({build['error']})."]
    slowest = sorted(build["files"].items(), key=lambda item: -item[1])[:4]
    return [
        "",
        f"/data/ build: {build['seconds']:.1f} s in all (target at 100,000 projects: "
        f"{DATA_BUILD_TARGET_SECONDS} s); slowest files: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest)
        + ".",
    ]


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
        peer.stop(self.process)
        self.log.close()


def run_wrk(url, duration, connections):
    completed = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            f"--timeout={WRK_TIMEOUT}",
            "-s",
            str(WRK_SCRIPT),
            url,
        ],  # fmt: skip
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
        "cache_hits": numbers["cache_hits"],
        "cache_misses": numbers["cache_misses"],
    }


class Editor:
    """`bench.editor` saving a record every EDIT_INTERVAL seconds, stopped on exit."""

    def __init__(self, environment):
        self.environment = environment
        self.saves = None

    def __enter__(self):
        command = [sys.executable, "-m", "bench.editor", f"--interval={EDIT_INTERVAL}"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.environment, stdout=subprocess.PIPE, text=True
        )
        return self

    def __exit__(self, *exc_info):
        self.process.terminate()
        output, _ = self.process.communicate(timeout=60)
        for line in output.splitlines():
            if line.startswith("EDITOR-JSON "):
                self.saves = json.loads(line.removeprefix("EDITOR-JSON "))


def measure_mode(rows, database_url, mode, arguments):
    """wrk every URL against a fresh gunicorn with the page cache `mode` ("on"/"off").

    The floor is measured again after every `FLOOR_EVERY` URLs, and each URL is compared with
    the mean of the floor measurements just before and just after it: on a shared machine the
    load drifts during a run, and a URL should be compared with the floor of its own moment.
    """
    environment = server_environment(database_url, MODES[mode])
    editor = Editor(environment) if mode == "editing" else contextlib.nullcontext()
    with Server(environment, arguments.workers) as server, editor:

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
    return floors, getattr(editor, "saves", None)


def public_location_count():
    """The features a GeoJSON of every project holds: one per location of a published
    project."""
    from projects.models import Location

    return Location.objects.published().count()


def measure_exports_and_peer(database_url, names, arguments, expected_features):
    """The whole-table downloads from the site, then Datasette on the same SQLite file."""
    report = {"exports": [], "peer": None, "peer_skipped": None}
    environment = server_environment(database_url, "true")
    print("bench: exports, downloaded whole", flush=True)
    with Server(environment, arguments.workers) as server:
        report["exports"] = peer.measure_exports(server.base, server.process.pid, expected_features)
    sqlite_path = sqlite_file(database_url)
    if sqlite_path is None:
        report["peer_skipped"] = "Datasette serves SQLite files only; not measured on this run."
        return report
    print("bench: the peer, Datasette, on the same SQLite file", flush=True)

    def measure(url):
        for _ in range(3):  # Datasette's own caches (table counts, compiled templates)
            get(url)
        return run_wrk(url, arguments.duration, arguments.connections)

    with peer.Datasette(sqlite_path, free_port(), RESULTS / "datasette.log") as datasette:
        report["peer"] = peer.measure_peer(datasette, names, measure)
    return report


def sqlite_file(database_url):
    """The path of an SQLite database URL, or None for any other database."""
    prefix = "sqlite:///"
    return database_url.removeprefix(prefix) if database_url.startswith(prefix) else None


def verdict(row, modes):
    targets = TARGETS.get(row["group"])
    if targets is None:
        return ""
    met = all(row[mode]["ratio"] >= targets[mode] for mode in modes)
    return "yes" if met and row["status"] == 200 else "no"


def hit_rate(numbers):
    """The share of answers the page cache served from a stored copy, as a percentage."""
    answered = numbers["requests"]
    return 100 * numbers["cache_hits"] / answered if answered else 0.0


def editing_summary(report):
    """One line on the editing day: saves made, and the ratio of pages and API overall."""
    if "editing" not in report["modes"]:
        return []
    measured = [row["editing"] for row in report["results"] if row["group"] in TARGETS]
    overall = sum(numbers["ratio"] for numbers in measured) / len(measured) if measured else 0
    lowest = min((numbers["ratio"] for numbers in measured), default=0)
    saves = report.get("editor") or {}
    return [
        "",
        f"Editing day: the editor saved {saves.get('saves', 0)} times "
        f"({saves.get('failures', 0)} failed), once every {EDIT_INTERVAL:g} s, while wrk ran. "
        f"Pages, API and search: mean ratio {overall:.2f}, lowest {lowest:.2f} "
        f"(target {TARGETS['page']['editing']}).",
    ]


# Issue 21's targets: the lowest ratio of cached answers (the editing day's too) and of
# uncached lists, with their counts beside the filter choices.
ISSUE_21_TARGETS = {"on": 0.8, "editing": 0.8, "off": 0.15}
LISTS = ("meetings", "officials", "projects", "financing", "organizations", "themes", "sources")


def is_list(url, api):
    """A list page (or API list) with its facets: not a detail, not a search, not
    `facets=false`."""
    path, _, query = url.partition("?")
    prefix = "/api/v1" if api else ""
    return (
        path in {f"{prefix}/{name}/" for name in LISTS}
        and "q=" not in query
        and "facets=false" not in query
    )


def ratio_range(rows, mode):
    ratios = [row[mode]["ratio"] for row in rows if mode in row]
    if not ratios:
        return "—"
    low, high = min(ratios), max(ratios)
    return f"{low:.2f}" if len(ratios) == 1 else f"{low:.2f}–{high:.2f}"


def issue_21_summary(report):
    """What issue 21's Performance section asks for, one line each: the lowest–highest ratio
    per mode of each group of URLs, against the issue's targets, and the GeoJSON's rate."""
    modes = report["modes"]
    results = report["results"]
    groups = [
        ("list pages with facet counts", [r for r in results if is_list(r["url"], api=False)]),
        ("API lists with facets", [r for r in results if is_list(r["url"], api=True)]),
        ("API lists, `facets=false`", [r for r in results if "facets=false" in r["url"]]),
        ("`/figures/`", [r for r in results if r["url"].startswith("/figures/")]),
        ("`/map/`", [r for r in results if r["url"].startswith("/map/")]),
        (
            "financing pages and API",
            [r for r in results if r["url"].split("?")[0].rstrip("/").count("financing")],
        ),
    ]
    lines = [
        "",
        "Issue 21 (ratio lowest–highest per mode; targets: cached and editing day "
        f"{ISSUE_21_TARGETS['on']}, uncached lists {ISSUE_21_TARGETS['off']}):",
        "",
        "| URLs | " + " | ".join(modes) + " | targets met |",
        "|---|" + "---:|" * len(modes) + ":---:|",
    ]
    for label, rows in groups:
        if not rows:
            lines.append(f"| {label} | " + " | ".join("not found" for _ in modes) + " | — |")
            continue
        met = all(
            row[mode]["ratio"] >= ISSUE_21_TARGETS[mode] and row["status"] == 200
            for row in rows
            for mode in modes
        )
        cells = " | ".join(ratio_range(rows, mode) for mode in modes)
        lines.append(f"| {label} ({len(rows)}) | {cells} | {'yes' if met else 'no'} |")
    geojson = next((item for item in report.get("exports", []) if item["label"] == "GeoJSON"), None)
    if geojson:
        lines += [
            "",
            f"GeoJSON of every project: {geojson['rows']:,} features in "
            f"{geojson['seconds']:.1f} s, **{geojson['rows_per_second']:,.0f} features/s** "
            f"(target {peer.EXPORT_TARGET_ROWS_PER_SECOND:,}), "
            + (
                "complete."
                if geojson["complete"]
                else f"incomplete: {geojson['expected_rows']:,} expected."
            ),
        ]
    non_2xx = sum(
        row[mode]["non_2xx"] + row[mode]["socket_errors"] for row in results for mode in modes
    )
    lines += ["", f"non-2xx answers and socket errors in all: {non_2xx}."]
    if report.get("skipped"):
        lines += [
            "",
            "Not found on this commit, so not measured: "
            + ", ".join(f"`{url}`" for url in report["skipped"])
            + ".",
        ]
    return lines


def markdown(report):
    modes = report["modes"]
    lines = [
        f"Scale {report['scale']:,} projects · {report['database']} · {report['workers']} gunicorn "
        f"gthread workers · wrk 1 thread, {report['connections']} connections, "
        f"{report['duration']} s per URL · {report['cpus']} CPUs · load average "
        f"{report['load']} · {report['started']} · commit {report['commit']}",
        "",
    ]
    header = "| URL | status | queries |"
    rule = "|---|---:|---:|"
    for mode in modes:
        name = "editing day" if mode == "editing" else f"cache {mode}"
        header += f" {name}: req/s | ratio | p50 ms | p99 ms | non-2xx |"
        rule += "---:|---:|---:|---:|---:|"
        if MODES[mode] == "true":
            header += " hits % |"
            rule += "---:|"
    lines += [header + " target met |", rule + ":---:|"]
    for row in report["results"]:
        line = f"| `{row['url']}` | {row['status']} | {row['queries']} |"
        for mode in modes:
            numbers = row[mode]
            line += (
                f" {numbers['rps']:.0f} | {numbers['ratio']:.2f} | {numbers['p50_ms']:.1f} |"
                f" {numbers['p99_ms']:.1f} | {numbers['non_2xx'] + numbers['socket_errors']} |"
            )
            if MODES[mode] == "true":
                line += f" {hit_rate(numbers):.0f} |"
        lines.append(line + f" {verdict(row, modes)} |")
    lines += [
        "",
        "queries: SQL queries the view runs for one request, measured in-process with the "
        "page cache off; a cache hit runs one (the data version). ratio: req/s divided by "
        f"`{FLOOR}`'s in the same mode, measured just before and after it (every "
        f"{FLOOR_EVERY} URLs). "
        "non-2xx: wrk's count of 4xx/5xx answers plus socket errors. "
        "hits %: answers served from the page cache (`X-Cache: hit`). "
        "Targets (cache on / off / editing day): pages and API 0.6 / 0.15 / 0.5, search 0.1.",
        *editing_summary(report),
        *data_build_summary(report),
        *issue_21_summary(report),
    ]
    return "\n".join(lines) + "\n" + peer.markdown(report)


def git_commit():
    completed = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return completed.stdout.strip() or "unknown"


def main(argv=None):
    arguments = parse_arguments(argv)
    # Stopped from outside, leave through the `with` blocks: they stop gunicorn, the editor
    # and Datasette instead of leaving them serving.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench: stopped"))
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
    measured = measure_in_process(urls)
    # An address not found on this commit (a page another branch adds) is listed, not timed.
    rows = [row for row in measured if row["status"] != 404]
    skipped = [row["url"] for row in measured if row["status"] == 404]
    for url in skipped:
        print(f"  not found, not measured: {url}", flush=True)
    expected_features = public_location_count()
    data_build = None
    if not arguments.no_data_build:
        print("bench: one full /data/ build", flush=True)
        data_build = measure_data_build()
        print(f"  /data/ build: {data_build.get('error') or data_build['seconds']}", flush=True)
    connection.close()

    modes = CACHE_CHOICES[arguments.cache]
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    floors, editor = {}, None
    for mode in modes:
        print(f"bench: {mode}, {len(rows)} URLs × {arguments.duration} s", flush=True)
        floors[mode], saves = measure_mode(rows, database_url, mode, arguments)
        editor = saves or editor
    extra = (
        {"exports": [], "peer": None, "peer_skipped": "left out (--no-peer)."}
        if arguments.no_peer
        else measure_exports_and_peer(database_url, names, arguments, expected_features)
    )
    report = {
        "scale": arguments.scale,
        "database": connection.vendor,
        "workers": arguments.workers,
        "connections": arguments.connections,
        "duration": arguments.duration,
        "cpus": os.cpu_count(),
        "load": load,
        "python": platform.python_version(),
        "started": started,
        "commit": git_commit(),
        "modes": modes,
        "floor_rps": floors,
        "results": rows,
        "skipped": skipped,
        "editor": editor,
        "data_build": data_build,
        **extra,
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
