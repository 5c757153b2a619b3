"""API v1 serializers for sources, organizations and themes, and the parts every record shares.

A list item carries the record's summary fields, `url` (its API detail) and `html_url` (its page).
Related records appear as small references (slug, name or title, url, html_url), and only when
they are published; the viewsets load them with the rows, so serializers never query.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import Field

from cpec_tracker.records.dates import DatePrecision
from cpec_tracker.records.models import (
    Citation,
    Organization,
    OrganizationKind,
    Source,
    SourceKind,
    Theme,
    ThemeKind,
    if_public,
)
from cpec_tracker.records.names import NAME_LANGUAGES
from cpec_tracker.web.addresses import absolute, slug_reverse


def api_url(request, name, *args, query=""):
    if len(args) == 1:
        return absolute(request, slug_reverse(name, args[0])) + query
    return absolute(request, reverse(name, args=args)) + query


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(serializers.Field):
    """The record's address in this API."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        name = f"api:{record._meta.model_name}-detail"
        return api_url(self.context["request"], name, record.slug)


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.Field):
    """The record's page on the site."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        return absolute(self.context["request"], record.get_absolute_url())


class CountryField(serializers.CharField):
    """An ISO 3166 code such as "PK" or "CN"; empty when none applies."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, country):
        return country.code or ""


# A GeoJSON geometry (RFC 7946, section 3.1), as the API's details and its GeoJSON give one.
GEOMETRY_SCHEMA = {
    "type": "object",
    "description": "A GeoJSON geometry (RFC 7946): a Point, LineString, Polygon or their "
    "Multi- forms; positions as [longitude, latitude] in degrees (WGS 84).",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"type": "string"},
        "coordinates": {"type": "array"},
    },
}


@extend_schema_field(GEOMETRY_SCHEMA)
class GeometryField(serializers.Field):
    """A place as a GeoJSON geometry object, read from an attribute that holds one."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, geometry):
        return geometry


class OptionalURLField(serializers.URLField):
    """A URL, or null where the record has none (never an empty string)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class DateDisplayField(serializers.CharField):
    """A date as precisely as it is known: "10 January 2025", "January 2025" or "2025"."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)


@extend_schema_field({"type": "string", "nullable": True})
class CodeLabelField(serializers.Field):
    """A code's label in the language the request asks for (`status` "held" → "Held"), beside
    the code itself; null where the code is empty."""

    def __init__(self, code_field, choices, **kwargs):
        self.choices = choices
        kwargs.setdefault("help_text", f"`{code_field}` in words, in the language asked for.")
        super().__init__(source=code_field, read_only=True, **kwargs)

    def labels(self):
        """{code: label} in the active language."""
        return {code: str(label) for code, label in self.choices.choices}

    def to_representation(self, code):
        return self.labels().get(code) if code else None


class KnownDateField(serializers.Field):
    """One part of a date as far as it is known, null when it is not known at all.

    v1's `<date>` and `<date>_precision` fields are kept as they were (a month-precision date
    is "2025-01-01" there, and an unknown one has precision "day"); `<date>_iso`,
    `<date>_iso_precision` and `<date>_iso_precision_label` are the new form.
    """

    part = None
    help_template = ""

    def __init__(self, date_field, **kwargs):
        self.date_field = date_field
        kwargs.setdefault("help_text", self.help_template.format(date=date_field))
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        date = getattr(record, self.date_field)
        precision = getattr(record, f"{self.date_field}_precision")
        return known_date_part(self.part, date, precision)


@extend_schema_field(
    {"type": "string", "nullable": True, "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
)
class IsoDateField(KnownDateField):
    """The ISO 8601 form cut to the date's precision: "2025", "2025-01", "2025-01-12"."""

    part = "iso"
    help_template = (
        "`{date}` in ISO 8601 as far as it is known: “2025”, “2025-01” or “2025-01-12”; "
        "null when unknown."
    )


# A pattern, not an enum: drf-spectacular would make a component of the enum for each field.
@extend_schema_field(
    {"type": "string", "nullable": True, "pattern": f"^({'|'.join(DatePrecision.values)})$"}
)
class IsoPrecisionField(KnownDateField):
    part = "precision"
    help_template = "How much of `{date}` is known: day, month or year; null when unknown."


@extend_schema_field({"type": "string", "nullable": True})
class IsoPrecisionLabelField(KnownDateField):
    part = "precision_label"
    help_template = "How much of `{date}` is known, in words of the language asked for."


def known_date_part(part, date, precision):
    """A `KnownDateField`'s value for a date and its precision."""
    if date is None or not precision:
        return None
    if part == "iso":
        return iso_date(date, precision)
    if part == "precision":
        return precision
    return str(DatePrecision(precision).label)


def precision_labels():
    """{precision: its label in the active language}: `known_date_part`'s "precision_label"
    for many dates, translated once."""
    return {precision: str(label) for precision, label in DatePrecision.choices}


def iso_date(date, precision):
    """A date in ISO 8601 cut to its precision: "2025", "2025-01", "2025-01-12"."""
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


@extend_schema_field({"type": "number", "format": "double"})
class NumberField(serializers.Field):
    """A decimal as a JSON number (an integer where it has no fraction): 40000, 1.5."""

    def __init__(self, decimal_field, **kwargs):
        super().__init__(source=decimal_field, read_only=True, **kwargs)

    def to_representation(self, value):
        return as_number(value)


@extend_schema_field({"type": "number", "format": "double", "nullable": True})
class OptionalNumberField(NumberField):
    """A decimal that may be unknown, as a JSON number or null (never 0 for unknown)."""


def as_number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class LocalNameField(serializers.CharField):
    """A record's name or title in the language the request asks for (`lang`,
    `Accept-Language`), or in English where the record has none in that language."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "In the language asked for with `lang` or Accept-Language; in English where the "
            "record has none in that language (`names` has them all).",
        )
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        # A kind with its name in one language only (a source's title) has no `name_in`.
        return record.name_in().text if hasattr(record, "name_in") else str(record)


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "en": {"type": "string", "description": "In English, as the sources give it."},
            **{language: {"type": "string", "nullable": True} for language in NAME_LANGUAGES[1:]},
        },
        "required": list(NAME_LANGUAGES),
        "description": "The name or title in each language: English, Urdu (`ur`) and "
        "Simplified Chinese (`zh-hans`); null where no source gives it.",
    }
)
class NamesField(serializers.Field):
    """A record's name or title in every language: {"en": …, "ur": …, "zh-hans": …}."""

    # One CSV column per language: names.en, names.ur, names.zh-hans.
    csv_keys = NAME_LANGUAGES

    def __init__(self, **kwargs):
        super().__init__(source="names_by_language", read_only=True, **kwargs)

    def to_representation(self, names):
        return names


def new_field(field):
    """A new, unbound field made with `field`'s arguments, as DRF's deepcopy of a declared
    field makes it, but sharing the arguments that are not fields (texts, flags) rather than
    copying them: nothing here changes them, and copying them was most of the copy's time."""
    args = [new_field(value) if isinstance(value, Field) else value for value in field._args]
    kwargs = {
        name: new_field(value) if isinstance(value, Field) else value
        for name, value in field._kwargs.items()
    }
    return type(field)(*args, **kwargs)


def new_fields(fields):
    return {name: new_field(field) for name, field in fields.items()}


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that works out its model fields once per class, not once per use.

    DRF builds every field a serializer takes from its model (`build_field`, reading the
    model's fields and relations) each time a serializer is made, and a detail makes one per
    nested list: with the copies of the declared fields, a quarter of a project's API answer
    went on it. The first serializer of a class records each built field's class and
    arguments; later ones make the same fields from them.
    """

    def get_fields(self):
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            fields = super().get_fields()
            built = {
                name: None if name in self._declared_fields else (type(field), field._kwargs)
                for name, field in fields.items()
            }
            # Set on each class itself: a subclass has fields of its own.
            type(self)._built_fields = built
            return fields
        return {
            name: new_field(self._declared_fields[name]) if spec is None else spec[0](**spec[1])
            for name, spec in built.items()
        }


class RefSerializer(serializers.Serializer):
    """A related record in brief; a draft one is shown as null."""

    slug = serializers.SlugField(read_only=True)
    url = ApiUrlField()
    html_url = HtmlUrlField()

    def get_fields(self):
        return new_fields(self._declared_fields)

    def to_representation(self, record):
        return super().to_representation(record) if if_public(record) else None


class LabelledRefSerializer(RefSerializer):
    """A related record in brief, the same object wherever one record links to another:
    `{slug, url, html_url, label}`; a draft one is shown as null."""

    label = LocalNameField(help_text="Its name or title, in the language asked for.")


class NamedRefSerializer(LabelledRefSerializer):
    # v1's `name` stays beside `label`.
    name = LocalNameField()


class TitledRefSerializer(LabelledRefSerializer):
    # v1's `title` stays beside `label`.
    title = LocalNameField()


class CitationSerializer(ModelSerializer):
    """A quote from a published source, and the fields of the record it supports."""

    source = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The source's slug (v1; see `source_link`)."
    )
    source_link = LabelledRefSerializer(source="source", read_only=True)
    fields = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The names of the record's fields the quote supports (empty: the record "
        "as a whole).",
    )
    field_labels = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The same fields in words, in the same order: “Date”, “City”.",
    )
    html_url = serializers.SerializerMethodField(help_text="The quote on its source's page.")

    class Meta:
        model = Citation
        fields = ["source", "source_link", "fields", "field_labels", "quote", "note", "html_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, citation):
        return absolute(self.context["request"], citation.get_absolute_url())

    def plan_html_url(self, plan, model, prefix):
        """`get_html_url` column by column, for a `DetailPlan`: the source's page from its
        slug, and the quote's anchor."""
        # Deferred: the plans are made from these serializers.
        from cpec_tracker.api.exports import SLUG_PLACEHOLDER, UrlFromSlug

        urls = UrlFromSlug(plan.request, Source(slug=SLUG_PLACEHOLDER).get_absolute_url())
        slug = plan.columns.index(f"{prefix}source__slug")
        key = plan.columns.index(f"{prefix}pk")

        def values(columns):
            pairs = zip(urls(columns[slug]), columns[key], strict=True)
            return [f"{url}#quote-{pk}" for url, pk in pairs]

        return values, None


@extend_schema_field(OpenApiTypes.URI)
class ListLinkField(serializers.Field):
    """Another collection of this API, filtered to the record: `/api/v1/meetings/?theme=<slug>`."""

    def __init__(self, collection, parameter, **kwargs):
        self.list_name = f"api:{collection}-list"
        self.parameter = parameter
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        query = f"?{self.parameter}={slug}"
        return api_url(self.context["request"], self.list_name, query=query)


class AliasesField(serializers.ListField):
    """An `Aliased` record's other names and spellings, as a list of strings."""

    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.CharField(),
            source="alias_list",
            read_only=True,
            help_text="Other names and spellings it is known by (short names, transliterations).",
            **kwargs,
        )


# No docstring: the schema describes a serializer by the first docstring up its classes, and
# describes the rows that have none of their own by ModelSerializer's.
class CitedSerializer(ModelSerializer):
    # A record or one of its rows, with the citations that support it when its `Meta.fields`
    # names `citations` (DRF leaves out the fields of a parent that a serializer does not name:
    # a list item leaves citations to the detail).
    citations = CitationSerializer(many=True, read_only=True)


class RecordSerializer(CitedSerializer):
    """Fields every list item has: its API `url`, its page `html_url`, its slug."""

    # The fields records share, declared once; each serializer shows those its `Meta.fields`
    # names, `record_fields` first.
    url = ApiUrlField()
    html_url = HtmlUrlField()
    name = LocalNameField()
    names = NamesField()
    country = CountryField()

    record_fields = ["url", "html_url", "slug"]


class SourceSerializer(RecordSerializer):
    kind_label = CodeLabelField("kind", SourceKind)
    document_url = OptionalURLField(
        source="url", help_text="Where the document was published, if online; else null."
    )

    class Meta:
        model = Source
        fields = [
            *RecordSerializer.record_fields,
            "title",
            "publisher",
            "document_url",
            "published_on",
            "language",
            "kind",
            "kind_label",
            "updated_at",
        ]


class SourceDetailSerializer(SourceSerializer):
    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text", "citations"]


class OrganizationSerializer(RecordSerializer):
    kind_label = CodeLabelField("kind", OrganizationKind)
    parent = NamedRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            *RecordSerializer.record_fields,
            "name",
            "names",
            "short_name",
            "kind",
            "kind_label",
            "country",
            "parent",
            "wikidata_id",
            "updated_at",
        ]


class OrganizationDetailSerializer(OrganizationSerializer):
    aliases = AliasesField()
    children = NamedRefSerializer(many=True, read_only=True)
    meetings_url = ListLinkField("meeting", "series", help_text="Its meetings, as a list.")
    officials_url = ListLinkField("official", "organization", help_text="Who held office in it.")

    class Meta(OrganizationSerializer.Meta):
        fields = [
            *OrganizationSerializer.Meta.fields,
            "aliases",
            "description",
            "children",
            "citations",
            "meetings_url",
            "officials_url",
        ]


class ThemeSerializer(RecordSerializer):
    kind_label = CodeLabelField("kind", ThemeKind)

    class Meta:
        model = Theme
        fields = [
            *RecordSerializer.record_fields,
            "name",
            "names",
            "kind",
            "kind_label",
            "updated_at",
        ]


class ThemeDetailSerializer(ThemeSerializer):
    meetings_url = ListLinkField("meeting", "theme", help_text="Meetings on this theme.")
    projects_url = ListLinkField("project", "theme", help_text="Projects on this theme.")

    class Meta(ThemeSerializer.Meta):
        fields = [
            *ThemeSerializer.Meta.fields,
            "description",
            "citations",
            "meetings_url",
            "projects_url",
        ]
