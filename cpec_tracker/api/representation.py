"""A serializer's `to_representation`, worked out once for many records: /data/'s JSON Lines.

A JSON Lines file holds every published record as the API's detail gives it. Through DRF that
is a serializer pass per record and per nested row: every field's `get_attribute`, a
`reverse()` per URL, the labels of a code's choices translated again for every row. At 100,000
projects that was most of a five-minute build. `compiled(serializer)` reads the serializer's
fields once and gives a function from a record (read with the same selector and prefetches
as the detail) to the same dict DRF makes: the fields, their order and their values, proven
equal for every kind by the tests (tests/cpec_tracker/test_representation.py).

What is worked out once: the labels of each code field and of date precisions (in the
language active when it is compiled: the build's), each kind's URL patterns around its slug,
and which fields take their value as it is read. A field this module has no shortcut for is
represented by DRF itself (`get_attribute` and `to_representation`), so a new kind of field is
right, if slower, until it gets one.
"""

from collections.abc import Mapping

from django.db.models.manager import BaseManager
from rest_framework import fields as drf_fields
from rest_framework import serializers as drf_serializers
from rest_framework.fields import SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject

from cpec_tracker.api.serializers import (
    ApiUrlField,
    CodeLabelField,
    HtmlUrlField,
    KnownDateField,
    LocalNameField,
    NumberField,
    RefSerializer,
    as_number,
    known_date_part,
)
from cpec_tracker.records.dates import DatePrecision
from cpec_tracker.records.models import Record, if_public
from cpec_tracker.records.names import ENGLISH, Multilingual, name_language
from cpec_tracker.web.addresses import PLAIN_SLUG, absolute, slug_reverse

# A slug put in a URL once and replaced by each record's slug (a plain slug, as PLAIN_SLUG).
SLUG_MARKER = "cpec0representation0marker"

# Field `read` functions' answer for a field DRF leaves out of the item (`SkipField`).
SKIP = object()


def compiled(serializer):
    """A function from one instance to `serializer.to_representation(instance)`."""
    if isinstance(serializer, drf_serializers.ListSerializer):
        return compiled_list(serializer)
    if isinstance(serializer, RefSerializer):
        represent = compiled_fields(serializer)
        return lambda record: represent(record) if if_public(record) else None
    if type(serializer).to_representation is not drf_serializers.Serializer.to_representation:
        return serializer.to_representation
    return compiled_fields(serializer)


def compiled_list(serializer):
    if type(serializer).to_representation is not drf_serializers.ListSerializer.to_representation:
        return serializer.to_representation
    child = compiled(serializer.child)

    def represent(data):
        if isinstance(data, PrefetchedRows):
            return [child(item) for item in data.rows]
        items = data.all() if isinstance(data, BaseManager) else data
        return [child(item) for item in items]

    return represent


class PrefetchedRows:
    """A relation's rows as a prefetch left them on their instance, read without making the
    relation's manager (a third of the time of a nested list)."""

    __slots__ = ["rows"]

    def __init__(self, rows):
        self.rows = rows


def compiled_fields(serializer):
    parts = [
        (field.field_name, field_reader(field), field_converter(field))
        for field in serializer._readable_fields
    ]

    def represent(instance):
        item = {}
        for name, read, convert in parts:
            value = read(instance)
            if value is SKIP:
                continue
            # As DRF: a PKOnlyObject stands for a related row by its key.
            missing = value.pk is None if isinstance(value, PKOnlyObject) else value is None
            item[name] = None if missing else convert(value)
        return item

    return represent


def field_reader(field):
    """A function from an instance to the field's attribute (`Field.get_attribute`), or SKIP."""

    def drf_read(instance):
        try:
            return field.get_attribute(instance)
        except SkipField:
            return SKIP

    if type(field).get_attribute is not drf_fields.Field.get_attribute:
        return drf_read
    attributes = field.source_attrs
    if not attributes:  # source="*": the instance itself.
        return lambda instance: instance
    if len(attributes) > 1:
        return drf_read
    (attribute,) = attributes
    many = isinstance(field, drf_serializers.ListSerializer)

    def read(instance):
        # The common case at the speed of getattr; anything else (a mapping, a callable, a
        # missing attribute or related row) as DRF reads it.
        if isinstance(instance, Mapping):
            return drf_read(instance)
        if many:
            # A relation's prefetched rows are kept under its name (its related name).
            prefetched = getattr(instance, "_prefetched_objects_cache", {}).get(attribute)
            if prefetched is not None and prefetched._result_cache is not None:
                return PrefetchedRows(prefetched._result_cache)
        try:
            value = getattr(instance, attribute)
        except Exception:
            return drf_read(instance)
        if callable(value) and is_simple_callable(value):
            return drf_read(instance)
        return value

    return read


def field_converter(field):
    """A function from a field's attribute (not None) to its representation."""
    if isinstance(field, drf_serializers.BaseSerializer):
        return compiled(field)
    if isinstance(field, CodeLabelField) and type(field).to_representation is (
        CodeLabelField.to_representation
    ):
        labels = field.labels()
        return lambda code: labels.get(code) if code else None
    if isinstance(field, KnownDateField):
        return known_date_converter(field)
    if isinstance(field, NumberField):
        return as_number
    if isinstance(field, LocalNameField) and type(field) is LocalNameField:
        return local_names(field)
    if isinstance(field, ApiUrlField):
        return record_urls(field, api_path)
    if isinstance(field, HtmlUrlField):
        return record_urls(field, page_path)
    if type(field) in (drf_fields.CharField, drf_fields.SlugField):
        represent = field.to_representation
        return lambda value: value if type(value) is str else represent(value)
    return field.to_representation


def known_date_converter(field):
    """`KnownDateField.to_representation` with the precisions' labels translated once."""
    if type(field).to_representation is not KnownDateField.to_representation:
        return field.to_representation
    date_field, precision_field, part = (
        field.date_field,
        f"{field.date_field}_precision",
        field.part,
    )
    labels = {precision: str(label) for precision, label in DatePrecision.choices}

    def represent(record):
        date = getattr(record, date_field)
        precision = getattr(record, precision_field)
        if part == "precision_label" and date is not None and precision in labels:
            return labels[precision]
        return known_date_part(part, date, precision)

    return represent


def local_names(field):
    """`LocalNameField.to_representation`: the name in the active language, else in English,
    with the columns to read worked out once per kind."""
    language = name_language()
    columns = {}

    def represent(record):
        model = type(record)
        if model not in columns:
            plain = model.name_in is Multilingual.name_in if hasattr(model, "name_in") else False
            fields = model.translated_fields() if plain else None
            columns[model] = (fields[language], fields[ENGLISH]) if plain else None
        names = columns[model]
        if names is None:
            return field.to_representation(record)
        return getattr(record, names[0]) or getattr(record, names[1]) or ""

    return represent


def api_path(model):
    return slug_reverse(f"api:{model._meta.model_name}-detail", SLUG_MARKER)


def page_path(model):
    if model.get_absolute_url is not Record.get_absolute_url:
        return None
    return model(slug=SLUG_MARKER).get_absolute_url()


def record_urls(field, path_of):
    """A record's absolute URL (API or page) as the field gives it, from its slug and its
    kind's pattern, made once per kind: `path_of(model)`, the path with SLUG_MARKER, or None
    for a kind whose URL is not its slug's."""
    request = field.context["request"]
    around_slug = {}

    def represent(record):
        model = type(record)
        if model not in around_slug:
            path = path_of(model) if issubclass(model, Record) else None
            around_slug[model] = (
                None if path is None else absolute(request, path).split(SLUG_MARKER)
            )
        parts = around_slug[model]
        if parts is None or not PLAIN_SLUG.fullmatch(record.slug):
            return field.to_representation(record)
        return f"{parts[0]}{record.slug}{parts[1]}"

    return represent
