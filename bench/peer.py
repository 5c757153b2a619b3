"""The benchmark's peer and its exports: Datasette on the same SQLite file, and whole downloads.

`bench.run` measures the site's pages with wrk; this module adds, in the same run,
- the **exports**: every project as CSV and as JSON Lines, downloaded whole with curl from the
  site's gunicorn, in rows per second, checked complete against the list's `count`;
- the **peer**: Datasette (the `bench` extra) serving the very SQLite file the site serves,
  its table JSON, table HTML, row JSON and row HTML measured with wrk like the site's pages,
  and its streamed CSV of the whole table downloaded like the site's export. Each is set beside
  the site's page that shows the same thing.
Datasette reads SQLite only: on PostgreSQL the peer is left out (and the table says so).
"""

import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# The whole-table downloads: (label, the site's address). 20,000 rows/s is the target.
EXPORTS = [
    ("CSV", "/api/v1/projects/?format=csv"),
    ("JSON Lines", "/api/v1/projects/?format=jsonl"),
    # A feature per location (about 108 per 100 projects), so its rows are its features.
    ("GeoJSON", "/api/v1/projects/?format=geojson"),
]
EXPORT_TARGET_ROWS_PER_SECOND = 20_000
# Datasette's streamed CSV of every row of the same table.
PEER_CSV = "/{database}/projects_project.csv?_stream=on&_size=max"

# What the peer shows beside which of the site's URLs (those are in bench.run.URLS); `{size}`
# is the site's page size, so both list pages render the same number of rows.
PEER_PAGES = [
    ("table JSON, 50 rows", "/api/v1/projects/", "/{database}/projects_project.json?_size=50"),
    ("table HTML", "/projects/", "/{database}/projects_project?_size={size}"),
    ("row JSON", "/api/v1/projects/{project}/", "/{database}/projects_project/{project_id}.json"),
    ("row HTML", "/projects/{project}/", "/{database}/projects_project/{project_id}"),
]
# The targets against the peer: the site's uncached lists at least 10 times its
# table pages, the site's detail pages at least its row pages.
PEER_TARGETS = {"table JSON, 50 rows": 10, "table HTML": 10, "row JSON": 1, "row HTML": 1}


def download(url, timeout=900):
    """Download `url` whole with curl into memory; (status, bytes, seconds)."""
    started = time.monotonic()
    completed = subprocess.run(
        ["curl", "--silent", "--show-error", "--max-time", str(timeout), "--write-out",
         "\n%{http_code}", url],
        capture_output=True,
        check=False,
    )  # fmt: skip
    seconds = time.monotonic() - started
    body, _, status = completed.stdout.rpartition(b"\n")
    return int(status or 0), body, seconds


def count_rows(body, format):
    if format == "GeoJSON":
        return len(json.loads(body)["features"])
    if format == "JSON Lines":
        return body.count(b"\n")
    return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1


def list_count(base):
    with urllib.request.urlopen(f"{base}/api/v1/projects/?page_size=1", timeout=120) as response:
        return json.load(response)["count"]


def cpu_seconds(pid):
    """CPU time used so far by process `pid` and its children that are alive (gunicorn's
    workers), from /proc: on a shared machine, the cost of a download whatever the load."""
    clock_ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        pids += Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return None
    for process in pids:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime and stime, fields 14 and 15 of stat(5), counted after the command's ")".
        total += (int(fields[11]) + int(fields[12])) / clock_ticks
    return total


def measure_exports(base, server_pid, expected_features):
    """Every project as CSV, JSON Lines and GeoJSON from the site at `base`, each downloaded
    whole, with the CPU time the server (process `server_pid` and its workers) spent on it.
    The GeoJSON is complete with `expected_features`, one per location of a published project."""
    list_total = list_count(base)
    results = []
    for label, url in EXPORTS:
        cpu_before = cpu_seconds(server_pid)
        status, body, seconds = download(base + url)
        cpu_after = cpu_seconds(server_pid)
        cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after else None
        rows = count_rows(body, label) if status == 200 else 0
        # The GeoJSON has a feature per location, not a row per project.
        expected = expected_features if label == "GeoJSON" else list_total
        results.append(
            {
                "label": label,
                "url": url,
                "status": status,
                "rows": rows,
                "expected_rows": expected,
                "complete": status == 200 and rows == expected,
                "megabytes": len(body) / 1e6,
                "seconds": seconds,
                "rows_per_second": rows / seconds if seconds else 0.0,
                "server_cpu_seconds": cpu,
                "rows_per_cpu_second": rows / cpu if cpu else None,
            }
        )
        print(f"  export {label:10} {rows:,} rows in {seconds:.1f} s  {url}", flush=True)
    return results


def stop(process):
    """Stop a server started for the run: politely, then for good after 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Datasette:
    """Datasette serving one SQLite file on a free local port, stopped on exit."""

    def __init__(self, sqlite_path, port, log_path):
        self.path = Path(sqlite_path)
        self.database = self.path.stem
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log_path

    def __enter__(self):
        command = [
            str(Path(sys.executable).with_name("datasette")),
            "serve",
            str(self.path),
            "--host=127.0.0.1",
            f"--port={self.port}",
        ]
        self.log = open(self.log_path, "a")  # closed in __exit__
        self.process = subprocess.Popen(command, stdout=self.log, stderr=self.log)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/-/versions.json", timeout=5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"Datasette did not start; see {self.log_path}")

    def __exit__(self, *exc_info):
        stop(self.process)
        self.log.close()

    def version(self):
        with urllib.request.urlopen(self.base + "/-/versions.json", timeout=30) as response:
            return json.load(response)["datasette"]["version"]


def measure_peer(datasette, names, measure):
    """Datasette's pages (wrk, through `measure`) and its whole-table CSV (curl)."""
    names = {**names, "database": datasette.database}
    pages = []
    for label, ours, theirs in PEER_PAGES:
        url = theirs.format(**names)
        numbers = measure(datasette.base + url)
        pages.append({"label": label, "ours": ours.format(**names), "url": url, **numbers})
        print(f"  peer   {numbers['rps']:8.1f} req/s  {url}", flush=True)
    url = PEER_CSV.format(**names)
    cpu_before = cpu_seconds(datasette.process.pid)
    status, body, seconds = download(datasette.base + url)
    cpu_after = cpu_seconds(datasette.process.pid)
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after else None
    rows = count_rows(body, "CSV") if status == 200 else 0
    print(f"  peer   CSV {rows:,} rows in {seconds:.1f} s  {url}", flush=True)
    csv_export = {
        "label": "CSV",
        "url": url,
        "status": status,
        "rows": rows,
        # Datasette shows drafts too: its CSV is complete with every row of the table.
        "complete": status == 200 and rows == names["table_rows"],
        "table_rows": names["table_rows"],
        "seconds": seconds,
        "rows_per_second": rows / seconds if seconds else 0.0,
        "server_cpu_seconds": cpu,
        "rows_per_cpu_second": rows / cpu if cpu else None,
    }
    return {"version": datasette.version(), "pages": pages, "csv": csv_export}


def cpu_cells(item):
    """The server's CPU seconds and rows per CPU second, blank where /proc could not say."""
    if not item["server_cpu_seconds"]:
        return " | "
    return f"{item['server_cpu_seconds']:.1f} | {item['rows_per_cpu_second']:,.0f}"


def markdown(report):
    """The exports table and the peer table, for bench.run's report."""
    lines = []
    exports = report.get("exports") or []
    peer = report.get("peer")
    if exports:
        lines += [
            "",
            f"Exports: every published project, downloaded whole with curl (target "
            f"{EXPORT_TARGET_ROWS_PER_SECOND:,} rows/s). server CPU s: the CPU time the server's "
            "processes spent on it (from /proc), so rows per CPU s hardly depends on the load.",
            "",
            "| export | URL | status | rows | list count | MB | seconds | rows/s | server CPU s |"
            " rows per CPU s | complete | target met |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|",
        ]
        for item in exports:
            met = item["complete"] and item["rows_per_second"] >= EXPORT_TARGET_ROWS_PER_SECOND
            lines.append(
                f"| {item['label']} | `{item['url']}` | {item['status']} | {item['rows']:,} |"
                f" {item['expected_rows']:,} | {item['megabytes']:.1f} | {item['seconds']:.1f} |"
                f" {item['rows_per_second']:,.0f} | {cpu_cells(item)} |"
                f" {'yes' if item['complete'] else 'no'} |"
                f" {'yes' if met else 'no'} |"
            )
        if peer:
            theirs = peer["csv"]
            lines.append(
                f"| Datasette {peer['version']} CSV | `{theirs['url']}` | {theirs['status']} |"
                f" {theirs['rows']:,} | (table: {theirs['table_rows']:,}) | |"
                f" {theirs['seconds']:.1f} | {theirs['rows_per_second']:,.0f} |"
                f" {cpu_cells(theirs)} |"
                f" {'yes' if theirs['complete'] else 'no'} | |"
            )
    if peer is None:
        if report.get("peer_skipped"):
            lines += ["", f"Peer: {report['peer_skipped']}"]
        return "\n".join(lines) + "\n"
    rows = {row["url"]: row for row in report["results"]}
    modes = [mode for mode in ("off", "on") if mode in report["modes"]]
    header = "| what | Datasette URL | Datasette req/s | site URL |"
    rule = "|---|---|---:|---|"
    for mode in modes:
        header += f" site, cache {mode}: req/s | × Datasette |"
        rule += "---:|---:|"
    lines += [
        "",
        f"Peer: Datasette {peer['version']} serving the same SQLite file (defaults, one "
        "process), measured with the same wrk settings in the same run. × Datasette: the "
        "site's req/s over Datasette's (targets: uncached lists 10, detail pages 1).",
        "",
        header + " target met |",
        rule + ":---:|",
    ]
    for page in peer["pages"]:
        ours = rows.get(page["ours"])
        line = f"| {page['label']} | `{page['url']}` | {page['rps']:.1f} | `{page['ours']}` |"
        times = {}
        for mode in modes:
            rps = ours[mode]["rps"] if ours and mode in ours else 0.0
            times[mode] = rps / page["rps"] if page["rps"] else 0.0
            line += f" {rps:.0f} | {times[mode]:.1f} |"
        target = PEER_TARGETS[page["label"]]
        met = "off" in times and times["off"] >= target
        lines.append(line + f" {'yes' if met else 'no'} |")
    return "\n".join(lines) + "\n"
