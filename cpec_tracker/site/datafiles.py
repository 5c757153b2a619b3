"""The /data/ files: built once per data version, kept on disk, served as static files.

A build writes every file into a fresh folder beside the others, then renames the folder to
the version's name in one step, so a reader finds either nothing or every file complete.
Builds take a lock (an exclusive `flock` on a file in the data folder), so two requests, two
workers or two processes on one machine never build the same version twice.

No request ever builds, nor waits for a build, which takes a minute at 100,000 projects: a
background job does (cpec_tracker/site/datajobs.py says when), and meanwhile requests answer
from the last complete build (`offer`), saying a newer one is being prepared, or say that none
is ready before the first build. An older build's files may hold a record unpublished since,
so they are served only until the current version's are built, and then removed.

Where: CPEC_DATA_DIR (docs/open-data.md); the folder is created on first use.
"""

import datetime
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
import zipfile
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cpec_tracker.caching import dataversion
from cpec_tracker.forked import run_forked
from cpec_tracker.site import dataset, datawriters

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
    if name.endswith(".geojson"):
        collection = name.removesuffix(".geojson")
        return (
            _("%(collection)s' places, GeoJSON") % {"collection": collection.capitalize()},
            _(
                "A GeoJSON FeatureCollection (RFC 7946): one feature per location of each "
                "published record, as /api/v1/%(collection)s/?format=geojson gives it; "
                "records without a location are left out."
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
    except (FileNotFoundError, NotADirectoryError):
        return None
    return Build(folder, manifest)


def last_complete_build():
    """The newest complete build of any version, or None before the first one (unfinished
    builds' folders start with a dot and have no manifest until they are renamed)."""
    builds = [
        read_build(folder.name)
        for folder in data_dir().iterdir()
        if folder.is_dir() and not folder.name.startswith(".")
    ]
    builds = [build for build in builds if build is not None]
    return max(builds, key=lambda build: build.built_at, default=None)


def take_build_lock(*, wait):
    """The lock file, open and locked for building, or None if another build holds the lock
    and `wait` is false. Closing the file releases the lock."""
    handle = open(data_dir() / LOCK, "a+")  # noqa: SIM115 (the caller closes it)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    except BaseException:
        handle.close()
        raise
    return handle


def build_holding(lock, label):
    """The build of `label`, made now unless a build that held the lock before did; then
    the other versions' folders go and `lock` is released."""
    with lock:
        build = read_build(label) or build_version(label)
        remove_other_builds(keep=label)
    return build


def current_build():
    """The files of the current data version, built now (after any build running elsewhere
    ends) if they are not there yet: for the build job, `build_data` and tests, never for a
    request."""
    label = current_label()
    build = read_build(label)
    if build is None:
        build = build_holding(take_build_lock(wait=True), label)
    return build


@dataclass
class Offer:
    """What a request can serve at once: the current version's build, or else the last
    complete one (`is_current` false), or nothing yet (`build` None)."""

    build: Build | None
    is_current: bool


def offer():
    """The build to answer a request from, at once and without building anything (the
    build is a background job: cpec_tracker/site/datajobs.py)."""
    label = current_label()
    build = read_build(label)
    if build is not None:
        return Offer(build, is_current=True)
    last = last_complete_build()
    return Offer(last, is_current=last is not None and last.label == label)


def build_running():
    """Whether a build holds the lock now (a worker building, or `build_data`). A process
    killed mid-build holds nothing: the kernel releases its lock."""
    lock = take_build_lock(wait=False)
    if lock is None:
        return True
    lock.close()
    return False


def remove_other_builds(*, keep):
    """Older versions' folders and unfinished builds (a process killed mid-build) go; a file
    being sent from one stays readable until it is closed."""
    for folder in data_dir().iterdir():
        if folder.is_dir() and folder.name != keep:
            shutil.rmtree(folder, ignore_errors=True)


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
    """The manifest entry of the file `name` (its title and description in English, the
    build's language, as the data package keeps them); `tables` is `dataset.tables()`."""
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


def timed(write):
    """(what `write()` returns, the seconds it took)."""
    started = time.perf_counter()
    result = write()
    return result, round(time.perf_counter() - started, 3)


# A collection's JSON Lines are written in pieces of this many records, the pieces at once by
# the build's processes (CPEC_DATA_BUILD_PROCESSES), then joined in order.
JSONL_PIECE_RECORDS = 5_000
# The pieces (a CSV file's table as SQLite, a part of a JSON Lines file), until they are joined.
PIECES_FOLDER = ".pieces"


def write_files(folder, label):
    """Every file, with its manifest entry; the data package last, describing the others.

    In two rounds, each spread over CPEC_DATA_BUILD_PROCESSES processes (`run_forked`): first
    what reads the database (each table as CSV and SQLite, each collection's JSON Lines in
    pieces, GeoJSON, Popolo), then what puts those together (the zip, the SQLite file, each
    JSON Lines file).
    """
    built_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    tables = dataset.tables()
    pieces = folder / PIECES_FOLDER
    pieces.mkdir()
    (folder / CSV_FOLDER).mkdir()
    request = datawriters.SiteRequest()

    def entry(name, **about):
        return file_entry(folder, name, tables=tables, **about)

    def write_table(table):
        name = f"{CSV_FOLDER}/{table.name}.csv"
        with open(folder / name, "w", encoding="utf-8", newline="") as out:
            rows, seconds = timed(
                lambda: datawriters.write_table(table, out, pieces / f"{table.name}.sqlite")
            )
        return entry(name, file_format="csv", mediatype="text/csv", rows=rows, seconds=seconds)

    collections = datawriters.api_collections()
    # The collections written from their parent's pieces (NESTED_COLLECTIONS), by parent.
    child_of = {
        parent: child for child, (parent, *_fields) in datawriters.NESTED_COLLECTIONS.items()
    }

    def child_piece(path, child):
        """Where the piece at `path` writes the records of `child` it lists."""
        return path.with_name(f"{child}-of-{path.name}")

    def write_jsonl_piece(collection, key_range, path):
        child = child_of.get(collection)
        with open(path, "wb") as out, ExitStack() as files:
            nested = (
                (child, files.enter_context(open(child_piece(path, child), "wb")))
                if child
                else None
            )
            return timed(
                lambda: datawriters.write_jsonl(
                    collections[collection], out, request, key_range, nested
                )
            )

    def write_geojson(collection, viewset):
        name = f"{collection}.geojson"
        with open(folder / name, "wb") as out:
            features, seconds = timed(lambda: datawriters.write_geojson(viewset, out, request))
        return entry(
            name,
            file_format="geojson",
            mediatype="application/geo+json",
            rows=features,
            seconds=seconds,
        )

    def write_popolo():
        with open(folder / POPOLO_NAME, "wb") as out:
            counts, seconds = timed(lambda: datawriters.write_popolo(out, request))
        return entry(
            POPOLO_NAME,
            file_format="json",
            mediatype="application/json",
            rows=sum(counts.values()),
            seconds=seconds,
        )

    jsonl_pieces = [
        (collection, key_range, pieces / f"{collection}-{number:05}.jsonl")
        for collection, viewset in collections.items()
        if collection not in datawriters.NESTED_COLLECTIONS
        for number, key_range in enumerate(datawriters.jsonl_ranges(viewset, JSONL_PIECE_RECORDS))
    ]
    pieces_of = Counter(collection for collection, _range, _path in jsonl_pieces)
    # The longest pieces first (Popolo, the citations, the other tables), then the JSON Lines'
    # many short ones, the largest collections' first, which keep every process busy to the end.
    first_round = {"popolo": write_popolo}
    for collection, viewset in datawriters.geojson_collections().items():
        first_round[f"{collection}.geojson"] = partial(write_geojson, collection, viewset)
    for table in sorted(tables, key=lambda table: table.name != "citations"):
        first_round[table.name] = partial(write_table, table)
    for piece in sorted(jsonl_pieces, key=lambda piece: -pieces_of[piece[0]]):
        collection, key_range, path = piece
        first_round[piece] = partial(write_jsonl_piece, collection, key_range, path)
    written = dict(
        zip(
            first_round,
            run_forked(list(first_round.values()), settings.CPEC_DATA_BUILD_PROCESSES),
            strict=True,
        )
    )
    csv_entries = [written[table.name] for table in tables]
    geojson_entries = [
        written[f"{collection}.geojson"] for collection in datawriters.geojson_collections()
    ]
    popolo_entry = written["popolo"]

    csv_resources = [
        datawriters.csv_resource(table, csv_entry["name"], resource_stats(csv_entry))
        for table, csv_entry in zip(tables, csv_entries, strict=True)
    ]

    def write_zip():
        inner_package = datawriters.datapackage(
            version=label, created=built_at.isoformat(), resources=csv_resources
        )

        def write():
            with zipfile.ZipFile(
                folder / ZIP_NAME, "w", compression=zipfile.ZIP_DEFLATED
            ) as archive:
                archive.writestr(
                    DATAPACKAGE_NAME, json.dumps(inner_package, indent=1, ensure_ascii=False)
                )
                for csv_entry in csv_entries:
                    archive.write(folder / csv_entry["name"], csv_entry["name"])

        _nothing, seconds = timed(write)
        return entry(
            ZIP_NAME,
            file_format="zip",
            mediatype="application/zip",
            rows=sum(csv_entry["rows"] for csv_entry in csv_entries),
            seconds=round(seconds + sum(csv["build_seconds"] for csv in csv_entries), 3),
        )

    def join_sqlite():
        table_paths = [pieces / f"{table.name}.sqlite" for table in tables]
        rows, seconds = timed(
            lambda: datawriters.join_sqlite(tables, table_paths, folder / SQLITE_NAME)
        )
        return entry(
            SQLITE_NAME,
            file_format="sqlite",
            mediatype="application/vnd.sqlite3",
            rows=rows,
            seconds=seconds,
        )

    def join_jsonl(collection):
        """The collection's pieces joined in order into its file; a child collection's
        (NESTED_COLLECTIONS) merged by id from its parent's pieces."""
        name = f"{collection}.jsonl"
        rows = seconds = 0
        with open(folder / name, "wb") as out:
            if collection in datawriters.NESTED_COLLECTIONS:
                parent = datawriters.NESTED_COLLECTIONS[collection][0]
                paths = [
                    child_piece(path, collection)
                    for piece_collection, _range, path in jsonl_pieces
                    if piece_collection == parent
                ]
                rows, seconds = timed(lambda: datawriters.merge_by_id(paths, out))
            for piece in jsonl_pieces:
                if piece[0] == collection:
                    piece_rows, piece_seconds = written[piece]
                    rows, seconds = rows + piece_rows, seconds + piece_seconds
                    with open(piece[2], "rb") as piece_file:
                        shutil.copyfileobj(piece_file, out, 1 << 20)
        return entry(
            name,
            file_format="jsonl",
            mediatype="application/x-ndjson",
            rows=rows,
            seconds=round(seconds, 3),
        )

    second_round = [write_zip, join_sqlite] + [
        partial(join_jsonl, collection) for collection in collections
    ]
    zip_entry, sqlite_entry, *jsonl_entries = run_forked(
        second_round, settings.CPEC_DATA_BUILD_PROCESSES
    )
    shutil.rmtree(pieces)

    # In the order the /data/ page lists them.
    entries = [zip_entry, *jsonl_entries, *geojson_entries, sqlite_entry, popolo_entry]
    started = time.perf_counter()
    resources = csv_resources + [
        datawriters.file_resource(
            resource_name(file["name"]),
            file["name"],
            file["format"],
            file["mediatype"],
            file["description"],
            resource_stats(file),
        )
        for file in entries
    ]
    package = datawriters.datapackage(
        version=label, created=built_at.isoformat(), resources=resources
    )
    (folder / DATAPACKAGE_NAME).write_text(
        json.dumps(package, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    entries.append(
        entry(
            DATAPACKAGE_NAME,
            file_format="json",
            mediatype="application/json",
            rows=None,
            seconds=round(time.perf_counter() - started, 3),
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
