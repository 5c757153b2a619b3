"""The /data/ files: built once per data version, kept on disk, served as static files.

A build writes every file into a fresh folder beside the others, then renames the folder to
the version's name in one step, so a reader finds either nothing or every file complete.
Builds take a lock (an exclusive `flock` on a file in the data folder), so two requests, two
workers or two processes on one machine never build the same version twice: the second waits,
then finds the folder there. Only the current data version's files are ever served: files of
an older version may hold a record that has been unpublished since.

Where: CPEC_DATA_DIR (README, "Open data"); the folder is created on first use.
"""

import contextlib
import datetime
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cpec_tracker import dataversion

from . import dataset

MANIFEST = "manifest.json"
LOCK = ".lock"
CSV_FOLDER = "csv"
# What each file is, for the /data/ page and the data package.
ZIP_NAME = "cpec-tracker-csv.zip"
SQLITE_NAME = "cpec-tracker.sqlite"
POPOLO_NAME = "cpec-tracker-popolo.json"
DATAPACKAGE_NAME = "datapackage.json"


def file_texts(name, tables):
    """The title and description of the build's file `name` (None for a name this code does
    not write), in the active language: the manifest and the data package keep them in
    English (the build's language), the /data/ page gives them in the reader's. `tables` is
    `dataset.tables()`, made once by the caller for all its files."""
    if name.startswith(f"{CSV_FOLDER}/"):
        table_name = name.removeprefix(f"{CSV_FOLDER}/").removesuffix(".csv")
        table = next((table for table in tables if table.name == table_name), None)
        return (table.title, table.description) if table else None
    if name.endswith(".jsonl"):
        collection = name.removesuffix(".jsonl")
        return (
            _("%(collection)s, JSON Lines") % {"collection": collection.capitalize()},
            _(
                "One published record a line, each exactly as the API's detail "
                "(/api/v1/%(collection)s/<slug>/) gives it."
            )
            % {"collection": collection},
        )
    return FILE_TEXTS.get(name)


FILE_TEXTS = {
    ZIP_NAME: (
        _("Every table as CSV, zipped"),
        _(
            "One CSV file per table (UTF-8, a header row), related records by slug, with "
            "a datapackage.json describing each column."
        ),
    ),
    SQLITE_NAME: (
        _("Every table in one SQLite database"),
        _(
            "The same tables as the CSV files, with primary and foreign keys: open it with "
            "Datasette, sqlite-utils or any SQLite client."
        ),
    ),
    POPOLO_NAME: (
        _("People, organizations, offices and meetings, in Popolo"),
        _(
            "Popolo JSON: persons (officials), organizations, memberships (the offices "
            "they held) and events (meetings, with who attended)."
        ),
    ),
    DATAPACKAGE_NAME: (
        _("Data package descriptor"),
        _(
            "A Frictionless data package: every file above and every column of every "
            "table, with its type and meaning."
        ),
    ),
}


def data_dir():
    folder = Path(settings.CPEC_DATA_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def version_label(version):
    """A short, stable name for a data version (which is a random number) to cite and key on."""
    return hashlib.sha256(str(version).encode()).hexdigest()[:12]


def current_label():
    return version_label(dataversion.current())


@dataclass
class Build:
    """One complete build: its folder and what its manifest says."""

    folder: Path
    manifest: dict

    @property
    def label(self):
        return self.manifest["version"]

    @property
    def built_at(self):
        return datetime.datetime.fromisoformat(self.manifest["built_at"])

    @property
    def files(self):
        return self.manifest["files"]

    def path_of(self, name):
        """The file `name` of this build (a name from the manifest), or None."""
        if name not in {entry["name"] for entry in self.files}:
            return None
        return self.folder / name


def read_build(label):
    folder = data_dir() / label
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        return None
    return Build(folder, manifest)


@contextlib.contextmanager
def build_lock():
    with open(data_dir() / LOCK, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_build():
    """The files of the current data version, built now if they are not there yet."""
    label = current_label()
    build = read_build(label)
    if build is not None:
        return build
    with build_lock():
        # Another request may have built it while this one waited for the lock.
        build = read_build(label)
        if build is None:
            build = build_version(label)
        remove_other_builds(keep=label)
    return build


def remove_other_builds(*, keep):
    """Older versions' folders and unfinished builds (a process killed mid-build) go; a file
    being sent from one stays readable until it is closed."""
    for folder in data_dir().iterdir():
        if folder.is_dir() and folder.name != keep:
            shutil.rmtree(folder, ignore_errors=True)


class Timer:
    def __init__(self):
        self.seconds = {}

    @contextlib.contextmanager
    def measure(self, name):
        start = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - start, 3)


def build_version(label):
    """Write every file of the current data into a folder named `label`, atomically."""
    folder = Path(tempfile.mkdtemp(prefix=".building-", dir=data_dir()))
    try:
        # The files are the same whichever page asked for them first (/ur/data/ included):
        # links without a language prefix, names and labels in the site's own language.
        with translation.override(settings.LANGUAGE_CODE):
            files = write_files(folder, label)
        (folder / MANIFEST).write_text(json.dumps(files, indent=1))
        os.chmod(folder, 0o755)
        os.rename(folder, data_dir() / label)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return read_build(label)


def file_entry(folder, name, *, tables, file_format, mediatype, rows, seconds):
    path = folder / name
    title, description = file_texts(name, tables)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {
        "name": name,
        "title": str(title),
        "description": str(description),
        "format": file_format,
        "mediatype": mediatype,
        "bytes": path.stat().st_size,
        "hash": f"sha256:{digest.hexdigest()}",
        "rows": rows,
        "build_seconds": seconds,
    }


def write_files(folder, label):
    """Every file, with its manifest entry; the data package last, describing the others."""
    built_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    tables = dataset.tables()
    request = dataset.SiteRequest()
    timer = Timer()
    entries = []

    (folder / CSV_FOLDER).mkdir()
    csv_entries = []
    for table in tables:
        name = f"{CSV_FOLDER}/{table.name}.csv"
        with timer.measure(name), open(folder / name, "w", encoding="utf-8", newline="") as out:
            rows = dataset.write_csv(table, out)
        csv_entries.append(
            file_entry(
                folder,
                name,
                tables=tables,
                file_format="csv",
                mediatype="text/csv",
                rows=rows,
                seconds=timer.seconds[name],
            )
        )

    zip_started = time.perf_counter()
    inner_package = dataset.datapackage(
        version=label,
        created=built_at.isoformat(),
        resources=[
            dataset.csv_resource(table, entry["name"], resource_stats(entry))
            for table, entry in zip(tables, csv_entries, strict=True)
        ],
    )
    with zipfile.ZipFile(folder / ZIP_NAME, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATAPACKAGE_NAME, json.dumps(inner_package, indent=1, ensure_ascii=False))
        for entry in csv_entries:
            archive.write(folder / entry["name"], entry["name"])
    entries.append(
        file_entry(
            folder,
            ZIP_NAME,
            tables=tables,
            file_format="zip",
            mediatype="application/zip",
            rows=sum(entry["rows"] for entry in csv_entries),
            seconds=round(
                time.perf_counter() - zip_started + sum(e["build_seconds"] for e in csv_entries),
                3,
            ),
        )
    )

    for collection, viewset in dataset.api_collections().items():
        name = f"{collection}.jsonl"
        with timer.measure(name), open(folder / name, "w", encoding="utf-8") as out:
            rows = dataset.write_jsonl(viewset, out, request)
        entries.append(
            file_entry(
                folder,
                name,
                tables=tables,
                file_format="jsonl",
                mediatype="application/x-ndjson",
                rows=rows,
                seconds=timer.seconds[name],
            )
        )

    with timer.measure(SQLITE_NAME):
        counts = dataset.write_sqlite(tables, folder / SQLITE_NAME)
    entries.append(
        file_entry(
            folder,
            SQLITE_NAME,
            tables=tables,
            file_format="sqlite",
            mediatype="application/vnd.sqlite3",
            rows=sum(counts.values()),
            seconds=timer.seconds[SQLITE_NAME],
        )
    )

    with timer.measure(POPOLO_NAME), open(folder / POPOLO_NAME, "w", encoding="utf-8") as out:
        popolo_counts = dataset.write_popolo(out, request)
    entries.append(
        file_entry(
            folder,
            POPOLO_NAME,
            tables=tables,
            file_format="json",
            mediatype="application/json",
            rows=sum(popolo_counts.values()),
            seconds=timer.seconds[POPOLO_NAME],
        )
    )

    with timer.measure(DATAPACKAGE_NAME):
        resources = [
            dataset.csv_resource(table, entry["name"], resource_stats(entry))
            for table, entry in zip(tables, csv_entries, strict=True)
        ] + [
            dataset.file_resource(
                resource_name(entry["name"]),
                entry["name"],
                entry["format"],
                entry["mediatype"],
                entry["description"],
                resource_stats(entry),
            )
            for entry in entries
        ]
        package = dataset.datapackage(
            version=label, created=built_at.isoformat(), resources=resources
        )
        (folder / DATAPACKAGE_NAME).write_text(
            json.dumps(package, indent=1, ensure_ascii=False), encoding="utf-8"
        )
    entries.append(
        file_entry(
            folder,
            DATAPACKAGE_NAME,
            tables=tables,
            file_format="json",
            mediatype="application/json",
            rows=None,
            seconds=timer.seconds[DATAPACKAGE_NAME],
        )
    )
    return {
        "version": label,
        "built_at": built_at.isoformat(),
        "files": entries + csv_entries,
    }


def resource_name(file_name):
    """A data package resource name: lower case, digits, - _ . only."""
    return file_name.replace("/", "-").lower()


def resource_stats(entry):
    return {"bytes": entry["bytes"], "hash": entry["hash"]}
