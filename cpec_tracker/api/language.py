"""The language of the API's answers: `?lang=`, else `Accept-Language`, else English.

It decides the language of records' names and titles (`name`, `title`; every record also
carries all of them as `names`) and of the labels the API writes in words (cited fields,
dates, messages). Only the address and the `Accept-Language` header count — never a cookie or
a session — because the page cache keys API answers on exactly those two
(`cpec_tracker.caching.pages.cache_key`), so an Urdu answer is never served to an English request.
"""

from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from cpec_tracker.records.names import CHINESE, ENGLISH, NAME_LANGUAGES, URDU

LANGUAGE_PARAMETER = "lang"
# Chinese written in Simplified characters: what mainland China and Singapore read.
SIMPLIFIED_CHINESE_CODES = {"zh", "zh-cn", "zh-sg", "zh-hans", "zh-my"}

LANGUAGE_PARAMETER_DESCRIPTION = (
    "The language of names, titles and labels: `en` (English), `ur` (Urdu) or `zh-hans` "
    "(Simplified Chinese). Without it, `Accept-Language` decides, else English. A record "
    "without a name in that language is named in English; `names` holds them all."
)
ACCEPT_LANGUAGE_DESCRIPTION = (
    "Used when `lang` is not given: the first of en, ur (ur-PK…), zh-hans (zh, zh-CN, "
    "zh-Hans…) it names, by preference; anything else means English."
)


def supported_language(code):
    """The API language a language tag asks for ("ur-PK" → "ur"), or None."""
    code = code.lower()
    if code in NAME_LANGUAGES:
        return code
    if code.startswith(f"{URDU}-"):
        return URDU
    if code in SIMPLIFIED_CHINESE_CODES or code.startswith(f"{CHINESE}-"):
        return CHINESE
    if code.startswith(f"{ENGLISH}-"):
        return ENGLISH
    return None


def requested_language(request):
    """The language `request` asks for. A `lang` the API does not know counts as English
    here; the view answers it with a 400 (`check_language_parameter`)."""
    if LANGUAGE_PARAMETER in request.GET:
        value = request.GET[LANGUAGE_PARAMETER]
        return value if value in NAME_LANGUAGES else ENGLISH
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        language = supported_language(code)
        if language is not None:
            return language
    return ENGLISH


def language_parameter_error(query_params):
    """What is wrong with `?lang=`, or None."""
    if LANGUAGE_PARAMETER not in query_params:
        return None
    if query_params[LANGUAGE_PARAMETER] not in NAME_LANGUAGES:
        return f"Give one of {', '.join(NAME_LANGUAGES)}, or leave the parameter out."
    return None


def mark_language(response, language):
    """Say which language the answer is in, and that it depends on Accept-Language."""
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return response


def document_language(operation):
    """Add `lang` and `Accept-Language` to an operation of the OpenAPI schema."""
    operation.setdefault("parameters", []).extend(
        [
            {
                "in": "query",
                "name": LANGUAGE_PARAMETER,
                "schema": {"type": "string", "enum": list(NAME_LANGUAGES)},
                "description": LANGUAGE_PARAMETER_DESCRIPTION,
            },
            {
                "in": "header",
                "name": "Accept-Language",
                "schema": {"type": "string"},
                "description": ACCEPT_LANGUAGE_DESCRIPTION,
            },
        ]
    )
    for response in operation.get("responses", {}).values():
        if "content" in response:
            response.setdefault("headers", {})["Content-Language"] = {
                "schema": {"type": "string", "enum": list(NAME_LANGUAGES)},
                "description": "The language of the answer's names and labels.",
            }
