"""Loading the seed file: records taken from source documents, each fact with its quote.

The loader creates what is missing, matched by natural key, and never changes a row that is
already there: a row that differs from the seed has been edited since and is kept as it is.
A row that editors deleted stays deleted: its history (django-simple-history keeps a row for
every deletion) shows the seed's natural key once existed, so the loader never creates it
again, nor anything that belonged to it. Every quote is checked against its source's text,
existing and deleted rows' quotes included, so a bad seed file fails whole, naming the file,
the record and the quote.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from cpec_tracker.records import registry
from cpec_tracker.records.models import Citation, PublicationStatus, Record, Source


class SeedError(Exception):
    """A seed entry that cannot be loaded; the message names the file, record and problem."""


@dataclass(frozen=True)
class Table:
    """How the entries of one seed table become rows of one model."""

    name: str
    model: type
    key: tuple[str, ...]
    # Fields whose seed value is the slug of a record of the given model.
    references: dict[str, type] = field(default_factory=dict)
    many_to_many: dict[str, type] = field(default_factory=dict)


def seed_tables():
    """Each kind with a table, in the registry's order (a table refers only to tables above
    it): records referred to by slug are its foreign keys to records, and its many-to-many
    fields list slugs."""
    return [
        Table(
            kind.table,
            kind.model,
            key=kind.seed_key,
            references={
                model_field.name: model_field.related_model
                for model_field in kind.model._meta.fields
                if model_field.many_to_one and issubclass(model_field.related_model, Record)
            },
            many_to_many={
                model_field.name: model_field.related_model
                for model_field in kind.model._meta.many_to_many
            },
        )
        for kind in registry.record_kinds()
        if kind.table
    ]


CITATION_KEYS = {"source", "fields", "quote", "note"}

# What happened to each row: the four outcomes the seed command reports.
CREATED, UNCHANGED, KEPT, DELETED = "created", "unchanged", "kept", "deleted"


class DeletedByEditors(Exception):
    """An entry refers to a record that editors deleted: the entry stays out with it."""


def find_row(model, lookup):
    """The row the seed knows by `lookup`: the live row matching it; else the live row that once
    matched it (editors changed the fields of the natural key since); else DELETED when such a
    row existed and is gone (editors deleted it); else None (the seed has not created it yet).
    """
    row = model._default_manager.filter(**lookup).first()
    if row is not None:
        return row
    once_matching = model.history.filter(**lookup).order_by().values("id")
    if not once_matching.exists():
        return None
    row = model._default_manager.filter(pk__in=once_matching).first()
    return DELETED if row is None else row


@dataclass
class SeedReport:
    counts: Counter = field(default_factory=Counter)
    by_table: dict = field(default_factory=dict)

    def add(self, table_name, outcome):
        self.counts[outcome] += 1
        self.by_table.setdefault(table_name, Counter())[outcome] += 1

    def summary(self):
        return (
            f"seed: created {self.counts[CREATED]}, unchanged {self.counts[UNCHANGED]}, "
            f"kept {self.counts[KEPT]} edited by editors, "
            f"kept {self.counts[DELETED]} deleted by editors"
        )


def load_seed(path):
    """Load the seed file at `path`; call inside a transaction so a failure writes nothing."""
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SeedError(f"{path}: cannot read the seed file: {error}") from error
    loader = SeedLoader(path, document.get("default_source", ""))
    tables = seed_tables()
    known = {table.name for table in tables} | {"default_source"}
    unknown = sorted(set(document) - known)
    if unknown:
        raise SeedError(f"{path}: unknown table(s) {', '.join(unknown)}")
    for table in tables:
        for index, entry in enumerate(document.get(table.name, [])):
            loader.load_entry(table, index, dict(entry))
    return loader.report


class SeedLoader:
    def __init__(self, path, default_source):
        self.path = path
        self.default_source = default_source
        self.report = SeedReport()

    def fail(self, label, message):
        raise SeedError(f"{self.path}: {label}: {message}")

    def load_entry(self, table, index, entry):
        label = f"{table.name} {entry['slug']!r}" if "slug" in entry else f"{table.name}[{index}]"
        citations = entry.pop("citations", [])
        many_to_many = {name: entry.pop(name, []) for name in table.many_to_many}
        if table.model is Source and "text_file" in entry:
            entry["text"] = self.read_source_text(label, entry.pop("text_file"))
        try:
            data = self.resolve(table, label, entry)
        except DeletedByEditors:
            # What it belongs to (its meeting, its project) was deleted, and the row with it.
            self.keep_deleted(table.name, label, citations)
            return
        if issubclass(table.model, Record):
            # Published only with evidence: the rule every other path to publication follows.
            published = PublicationStatus.PUBLISHED if citations else PublicationStatus.DRAFT
            data.setdefault("publication_status", published)

        candidate = table.model(**data)
        row = find_row(table.model, {name: data.get(name) for name in table.key})
        creating = row is None
        try:
            candidate.full_clean(validate_unique=creating, validate_constraints=creating)
        except ValidationError as error:
            self.fail(label, format_validation_error(error))
        if row is DELETED:
            self.keep_deleted(table.name, label, citations)
            return
        related = {
            name: self.resolve_slugs(label, name, model, many_to_many[name], skip_deleted=True)
            for name, model in table.many_to_many.items()
        }

        if creating:
            candidate.save()
            for name, records in related.items():
                getattr(candidate, name).set(records)
            row, outcome = candidate, CREATED
        elif self.matches(row, candidate, data, related):
            outcome = UNCHANGED
        else:
            outcome = KEPT
        self.report.add(table.name, outcome)
        self.load_citations(label, row, citations, add_missing=outcome != KEPT)
        if creating and getattr(row, "is_published", False) and not row.citations.exists():
            # Every citation the seed gives it names a source editors deleted.
            row.publication_status = PublicationStatus.DRAFT
            row.save(update_fields=["publication_status"])

    def keep_deleted(self, table_name, label, citations):
        """Count a row editors deleted, and its citations, after checking their quotes."""
        self.report.add(table_name, DELETED)
        self.load_citations(label, None, citations, add_missing=False)

    def read_source_text(self, label, file_name):
        try:
            return (self.path.parent / file_name).read_text(encoding="utf-8")
        except OSError as error:
            self.fail(label, f"cannot read the source text {file_name!r}: {error}")

    def resolve(self, table, label, entry):
        """Turn the entry's values into model field values: slugs into records, numbers into
        decimals, rejecting fields the model does not have."""
        field_names = {f.name for f in table.model._meta.get_fields() if f.concrete}
        data = {}
        for name, value in entry.items():
            if name not in field_names:
                self.fail(label, f"{table.model.__name__} has no field {name!r}")
            if name in table.references:
                value = self.resolve_slugs(label, name, table.references[name], [value])[0]
            elif isinstance(value, float | int) and not isinstance(value, bool):
                if table.model._meta.get_field(name).get_internal_type() == "DecimalField":
                    value = Decimal(str(value))
            data[name] = value
        for name in table.key:
            if name not in data:
                data[name] = None if name in table.references else ""
        return data

    def resolve_slugs(self, label, field_name, model, slugs, *, skip_deleted=False):
        """The records the seed names by `slugs`, following slugs editors have changed.

        A record editors deleted raises DeletedByEditors, or is left out with `skip_deleted`
        (a many-to-many link to it went with it).
        """
        records = {record.slug: record for record in model.objects.filter(slug__in=slugs)}
        found = []
        for slug in slugs:
            record = records.get(slug) or find_row(model, {"slug": slug})
            if record is None:
                name = model._meta.verbose_name
                self.fail(label, f"{field_name}: no {name} with slug {slug!r}")
            if record is DELETED:
                if skip_deleted:
                    continue
                raise DeletedByEditors(slug)
            found.append(record)
        return found

    @staticmethod
    def matches(row, candidate, data, related):
        """Whether the stored row still holds exactly what the seed says."""
        for name in data:
            model_field = row._meta.get_field(name)
            if getattr(row, model_field.attname) != getattr(candidate, model_field.attname):
                return False
        return all(
            {record.pk for record in getattr(row, name).all()} == {record.pk for record in records}
            for name, records in related.items()
        )

    def load_citations(self, label, record, citations, add_missing):
        """Check the entry's citations and add those `record` lacks; with no `record` (editors
        deleted it), only check them."""
        content_type = None if record is None else ContentType.objects.get_for_model(record)
        for entry in citations:
            entry = dict(entry)
            unknown = sorted(set(entry) - CITATION_KEYS)
            if unknown:
                hint = ""
                if "field" in unknown:
                    hint = ' (cited fields are a list: fields = ["date", "city"])'
                self.fail(label, f"a citation has unknown key(s) {', '.join(unknown)}{hint}")
            source_slug = entry.pop("source", self.default_source)
            source = find_row(Source, {"slug": source_slug})
            if source is None:
                self.fail(label, f"citation names no known source: {source_slug!r}")
            if source is DELETED:
                self.report.add("citations", DELETED)
                continue
            citation = Citation(
                source=source,
                content_type=content_type,
                object_id=None if record is None else record.pk,
                **entry,
            )
            try:
                citation.full_clean(exclude=["content_type", "object_id"] if record is None else [])
            except ValidationError as error:
                quote = entry.get("quote", "")
                self.fail(label, f"{format_validation_error(error)} Quote: “{quote}”")
            if record is None:
                self.report.add("citations", DELETED)
                continue
            lookup = {
                "source": source,
                "content_type": content_type,
                "object_id": record.pk,
                "fields": citation.fields,
                "quote": citation.quote,
            }
            existing = find_row(Citation, lookup)
            if existing is None and add_missing:
                citation.save()
                self.report.add("citations", CREATED)
            elif existing is None:
                self.report.add("citations", KEPT)
            elif existing is DELETED:
                self.report.add("citations", DELETED)
            else:
                # Found by its history when editors changed it (moved it, corrected the quote).
                same = all(getattr(existing, name) == value for name, value in lookup.items())
                self.report.add("citations", UNCHANGED if same else KEPT)


def format_validation_error(error):
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
