"""The API's OpenAPI description of what every endpoint shares (`document_api`, drf-spectacular's
post-processing hook): the errors, the ETags, the export formats, and parameters that must be
non-empty, printable and no longer than the API reads."""

from cpec_tracker.api.language import document_language
from cpec_tracker.api.parameters import MAX_PARAMETER_LENGTH, SLUG_MAX_LENGTH
from cpec_tracker.api.rest import CSVRenderer, JSONLinesRenderer, PublishedViewSet

ERROR_RESPONSES = {
    "400": "A query parameter is invalid; `errors` names it.",
    "404": "No such published record, or no such page.",
    "429": "Too many requests from this client; retry after `Retry-After` seconds.",
}

# gunicorn (cpec_tracker/gunicorn.conf.py) answers this itself, in HTML, before Django sees the
# request: its default limit_request_line is 4,094 bytes.
URI_TOO_LONG = "The address with its query is longer than the server accepts (4,094 bytes)."

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
                    "schema": {"type": "string"},
                    "example": "url,html_url,slug,…\r\n",
                }
                content[JSONLinesRenderer.media_type] = {
                    "schema": {"type": "string"},
                    "example": '{"url": "…", "html_url": "…", "slug": "…", …}\n',
                }
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "header":
                    # Accept-Language: any value is read (an unknown one means English).
                    continue
                if parameter["in"] == "path":
                    parameter["schema"]["maxLength"] = SLUG_MAX_LENGTH
                restrict_parameter(parameter["schema"])
    return result


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
