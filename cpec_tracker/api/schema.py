"""The API's OpenAPI description of what every endpoint shares (`document_api`, drf-spectacular's
post-processing hook): the errors, the ETags, the export formats, and parameters that must be
non-empty, printable and no longer than the API reads; and the API's own description, with
links back to the site and the API's changelog."""

import functools

from django.conf import settings
from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from rest_framework.settings import api_settings

from cpec_tracker.api.language import document_language
from cpec_tracker.api.parameters import MAX_PARAMETER_LENGTH, SLUG_MAX_LENGTH
from cpec_tracker.api.rest import (
    EXPAND_PARAMETER,
    CSVRenderer,
    GeoJSONRenderer,
    JSONLinesRenderer,
    PublishedViewSet,
)
from cpec_tracker.api.serializers import GEOMETRY_SCHEMA

ERROR_RESPONSES = {
    "400": (
        "A query parameter is invalid, unknown to the endpoint or given twice; `errors` names "
        "it, and `allowed_parameters` lists what the endpoint takes when it is not one of them."
    ),
    "404": "No such published record, or no such page.",
    "429": "Too many requests from this client; retry after `Retry-After` seconds.",
}

# gunicorn (cpec_tracker/gunicorn.conf.py) answers this itself, in HTML, before Django sees the
# request: its default limit_request_line is 4,094 bytes.
URI_TOO_LONG = "The address with its query is longer than the server accepts (4,094 bytes)."

FORMAT_DESCRIPTION = (
    "The format of the answer, chosen by name: it wins over the `Accept` header. `json` (the "
    "default) gives a page; `csv` and `jsonl` (JSON Lines) give every matching record, "
    "streamed, with the same filters and ordering; `geojson` (projects) their places as a "
    "GeoJSON FeatureCollection."
)

CSV_DESCRIPTION = (
    "A header row, the record's name (or title) first; related records by slug. It starts with "
    "a UTF-8 byte-order mark, for spreadsheets; `Accept: text/csv; header=present; bom=0` "
    "leaves it out."
)

# `?format=geojson` (a list whose viewset has `features`): RFC 7946's FeatureCollection, its
# features' properties as projects.geojson writes them.
FEATURE_COLLECTION = {
    "type": "object",
    "description": (
        "A GeoJSON FeatureCollection (RFC 7946) of every matching record's places, streamed: "
        "one feature per location, positions as [longitude, latitude] (WGS 84); records without "
        "a location are left out, as its `note` says."
    ),
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "note": {"type": "string"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer"},
                    "geometry": GEOMETRY_SCHEMA,
                    "properties": {
                        "type": "object",
                        "properties": {
                            name: {"type": "string"}
                            for name in (
                                "slug",
                                "title",
                                "status",
                                "status_label",
                                "html_url",
                                "place_name",
                                "precision",
                                "precision_label",
                            )
                        },
                    },
                },
            },
        },
    },
}

# The changes to the API, newest first, dated: the served description carries them, since the
# docs in docs/ are not served by the site.
CHANGELOG_PATH = settings.BASE_DIR / "docs" / "api-changelog.md"

# What any string parameter may hold: no control characters (NUL included), see check_parameters.
PRINTABLE_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"


def document_api(result, generator, request, public):
    """drf-spectacular post-processing: describe what the shared machinery does.

    Every operation may answer 400, 404 and 429 with an `Error`, 304 to `If-None-Match`, and
    414 (from gunicorn) to an address too long;
    lists also speak CSV and JSON Lines; every query parameter must be non-empty and printable.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {
            "detail": {"type": "string", "description": "What went wrong, in a sentence."},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": "For a 400: each offending query parameter with its messages.",
            },
        },
        "required": ["detail", "errors"],
    }
    schemas["Error"]["properties"]["allowed_parameters"] = {
        "type": "array",
        "items": {"type": "string"},
        "description": (
            "For a 400 over a parameter the endpoint does not take (or one given twice): "
            "the parameters it takes."
        ),
    }
    result["info"]["description"] = describe_api(result["info"].get("description", ""))
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, _, method, view in generator.endpoints:
        view_class = getattr(view, "cls", None)
        example = getattr(view_class, "example_slug", None)
        operation = result["paths"].get(path, {}).get(method.lower(), {})
        for parameter in operation.get("parameters", []):
            if example and parameter["in"] == "path":
                parameter["example"] = example
        if operation and isinstance(view_class, type) and issubclass(view_class, PublishedViewSet):
            document_language(operation)
            if view_class.expansions and operation["operationId"].endswith("_list"):
                document_expansions(operation, view_class, generator, result)
    for operations in result["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(status, {"description": description, "content": error})
            responses.setdefault("304", {"description": "Not modified since the given ETag."})
            responses.setdefault("414", {"description": URI_TOO_LONG})
            if operation["operationId"].endswith("_list"):
                content = responses["200"]["content"]
                content[CSVRenderer.media_type] = {
                    "schema": {"type": "string", "description": CSV_DESCRIPTION},
                    "example": "\ufefftitle,url,html_url,slug,…\r\n",
                }
                content[JSONLinesRenderer.media_type] = {
                    "schema": {"type": "string"},
                    "example": '{"url": "…", "html_url": "…", "slug": "…", …}\n',
                }
                if GeoJSONRenderer.media_type in content:
                    content[GeoJSONRenderer.media_type] = {"schema": FEATURE_COLLECTION}
            for parameter in operation.get("parameters", []):
                is_format = parameter["name"] == api_settings.URL_FORMAT_OVERRIDE
                if parameter["in"] == "query" and is_format:
                    parameter["description"] = FORMAT_DESCRIPTION
                if parameter["in"] == "header":
                    # Accept-Language: any value is read (an unknown one means English).
                    continue
                if parameter["in"] == "path":
                    parameter["schema"]["maxLength"] = SLUG_MAX_LENGTH
                restrict_parameter(parameter["schema"])
    return result


def document_expansions(operation, view_class, generator, result):
    """The `expand` parameter of a list that takes one, and the child rows it adds to each of
    the list's items (properties that only an expanded list has)."""
    names = list(view_class.expansions)
    operation.setdefault("parameters", []).append(
        {
            "in": "query",
            "name": EXPAND_PARAMETER,
            "schema": {"type": "string", "enum": names},
            "description": "Child rows to add to each item, read with one query for the page "
            "(not with `format`): "
            + "; ".join(
                f"`{name}`: {expansion.description}"
                for name, expansion in view_class.expansions.items()
            ),
        }
    )
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]
    schemas = result["components"]["schemas"]
    page_schema = schemas[page["$ref"].rpartition("/")[2]]
    item_schema = schemas[page_schema["properties"]["results"]["items"]["$ref"].rpartition("/")[2]]
    mapper = AutoSchema()
    mapper.registry = generator.registry
    mapper.method = "GET"
    mapper.view = view_class(action="list", request=None, format_kwarg=None)
    mapper.path = ""
    for name, expansion in view_class.expansions.items():
        child = mapper._map_serializer(expansion.serializer_class(), "response")
        item_schema["properties"][name] = {
            "type": "array",
            "items": child,
            "description": f"Only with `{EXPAND_PARAMETER}={name}`.",
        }


def restrict_parameter(schema):
    if schema.get("type") == "array":
        schema["minItems"] = 1
        restrict_parameter(schema["items"])
    elif schema.get("type") == "string" and "enum" not in schema:
        schema.setdefault("minLength", 1)
        schema["maxLength"] = min(
            schema.get("maxLength", MAX_PARAMETER_LENGTH), MAX_PARAMETER_LENGTH
        )
        schema.setdefault("pattern", PRINTABLE_PATTERN)


def describe_api(description):
    """The API's description, then links back to the site and the API's changelog."""
    site = (
        f"Part of [CPEC Tracker]({reverse('home')}): the same records as its pages and as "
        f"its [open data]({reverse('data')}) files. Changes to the API are listed "
        "below, newest first, with their dates (the project's `docs/api-changelog.md`)."
    )
    return f"{description}\n\n{site}\n\n## Changelog\n\n{changelog_entries()}"


@functools.cache
def changelog_entries():
    """docs/api-changelog.md from its first dated entry on, each heading one level down (under
    the description's "Changelog")."""
    lines = CHANGELOG_PATH.read_text(encoding="utf-8").splitlines()
    first = next(number for number, line in enumerate(lines) if line.startswith("## "))
    return "\n".join(
        f"#{line}" if line.startswith("## ") else line for line in lines[first:]
    ).strip()
