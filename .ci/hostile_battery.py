"""Fire hostile input at a running CPEC Tracker and fail on any 5xx.

    .venv/bin/python .ci/hostile_battery.py http://127.0.0.1:PORT

What it asks for is discovered, not listed, so a new page, filter or API parameter is covered
without touching this file:

- every public page from the URLconf (detail pages with a real published slug and with bad
  ones), and every list page's FilterSet filters, ordering and `page`;
- every API list and detail from the server's own OpenAPI schema, with every query parameter
  it documents (filters, `q`, `ordering`, `page`, `page_size`, `format`).

Each parameter gets bad values: unknown choices, numbers out of range, searches made only of
punctuation or full-text operators, lone surrogates, invalid UTF-8, NUL and other control
characters, very long values. Every GET is repeated as HEAD. Pages and the API also get
OPTIONS, PUT, DELETE, POST, PATCH and made-up methods; malformed `If-None-Match`, `Range` and
other conditional headers; bad `Host` headers; and requests that only a raw socket sends
(raw bytes in the path, no Host, broken request lines). Requests go over plain sockets, so
nothing is refused on the client side.

The readers' report form (/report/<kind>/<slug>/) is fired at like any page, for every kind
with pages and with unknown kinds and slugs, and then filled in as a hostile reader would:
an oversized body, a missing or wrong CSRF token, bad and script addresses, bad emails, HTML
and control characters, an unknown record and a draft, a filled honeypot until the rate limit
answers 429. Each must be a 4xx (a refused form is a 400 that says why), and no report may be
stored by any of them.

With CPEC_INTAKE_ALLOW_LOOPBACK on in the server's environment (`.ci/hostile` sets it), an
editor of the battery's own (created, then deleted) also names pages that its own server sends
a header line or a byte a second: "Add source" must refuse each by CPEC_INTAKE_TIMEOUT and a
margin, however long the page would take.

Any 5xx answer, or no answer at all, is a failure, and so is any answer that links or
redirects to another host the request named (a crafted path such as `/ur//evil.example/`
written back into the language switcher, say): the script lists each one and exits 1.
It prints `battery: N requests, N 5xx` and the count per status. Only loopback addresses are
accepted, and the run is bounded (`--max-requests`, `--time-limit`).

It runs in the project's virtualenv with the server's environment (DATABASE_URL and all), so
that it reads the same URLconf, FilterSets and published slugs as the server.
"""

import argparse
import collections
import concurrent.futures
import http.client
import ipaddress
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A value given as `Encoded(...)` goes into the URL exactly as written (already percent-encoded,
# possibly invalid UTF-8); any other str is percent-encoded from its UTF-8 bytes.


class Encoded(str):
    pass


LONG = "a" * 5000
# Bad values every parameter gets.
HOSTILE_VALUES = [
    "",
    " ",
    "bogus",
    "no-such-record",
    # Full-text and LIKE operators, and punctuation alone.
    "*",
    '"',
    "^",
    ":",
    "-",
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "NEAR(a b)",
    "a AND",
    '"unterminated',
    "a*",
    ":*",
    "%",
    "_",
    "=",
    "\\",
    "'",
    "''",
    "(",
    ")",
    "&",
    "|",
    "!",
    "{}",
    "[]",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    # Numbers where text is expected and the other way round.
    "0",
    "-1",
    "1.5",
    "1e9",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "0x10",
    # Digits and letters that are not ASCII.
    "²",
    "١٢",
    "ı",
    "\u202etxt",
    "\ufeff",
    "😀",
    "e\u0301",
    # Lists and separators.
    "a,b",
    ",",
    ",,",
    "a;b",
    # Control characters, lone surrogates, invalid and overlong UTF-8.
    "\x00",
    "a\x00b",
    "\t",
    "\r\n",
    "\x7f",
    Encoded("%ED%A0%80"),
    Encoded("a%ED%B0%80b"),
    Encoded("%FF"),
    Encoded("%C0%AE"),
    Encoded("%"),
    Encoded("%zz"),
    # Very long values and many words.
    "a" * 301,
    # Under gunicorn's 4,094-byte request line, so it reaches the site; LONG does not.
    "a" * 3000,
    LONG,
    " ".join(["word"] * 60),
    " ".join(["*"] * 60),
]
# Extra values for sort orders: fields that are not offered, and malformed lists.
ORDERING_VALUES = [
    "password",
    "-password",
    "id",
    "-id",
    "pk",
    "?",
    "--title",
    "title__x",
    "title,-title",
    "publication_status",
    "created_by",
    "-",
]
# Extra values for page numbers and sizes.
NUMBER_VALUES = ["101", "1000000", "-0", "+1", " 1", "1 ", "01", "1.0", "1e3", "١"]
# A short list for parameters a page does not read at all (they must be ignored, not crash).
SHORT_VALUES = ["", "bogus", "*", "\x00", Encoded("%ED%A0%80"), Encoded("%FF"), LONG]
# Parameters that any page might read; pages that do not must ignore them.
PAGE_PARAMETERS = ["q", "page", "p", "format", "ordering", "lang", "version", "script", "next"]

METHODS = ["OPTIONS", "PUT", "DELETE", "POST", "PATCH", "TRACE", "PROPFIND", "FOO"]

CONDITIONAL_HEADERS = (
    [
        ("If-None-Match", value)
        for value in ['"', "W/", 'W/"x', "*", "**", '"a", ', ",,,", '"' + "x" * 5000 + '"', "\x01"]
    ]
    + [
        ("If-Match", '"nope"'),
        ("If-Match", "garbage"),
        ("If-Modified-Since", "yesterday"),
        ("If-Modified-Since", "Mon, 99 Foo 9999 99:99:99 GMT"),
        ("If-Modified-Since", "Sat, 01 Jan 99999 00:00:00 GMT"),
        ("If-Unmodified-Since", "0"),
        ("If-Range", "garbage"),
    ]
    + [
        ("Range", value)
        for value in [
            "bytes=abc",
            "bytes=9-1",
            "bytes=-",
            "bytes=-0",
            "bytes=99999999999999999999999-",
            "lines=1-2",
            "bytes=" + ",".join(["0-0"] * 500),
            "bytes=0-0,-1",
        ]
    ]
    + [
        ("Accept", "text/csv"),
        ("Accept", "*/*;q=abc"),
        ("Accept", "application/json; version=bogus"),
        ("Accept", "text/html"),
        ("Accept", "application/xml"),
        ("Accept", "\x00"),
        ("Accept-Language", "zz"),
        ("Accept-Language", "ur;q=x, *;q=-1"),
        ("Accept-Language", "a" * 5000),
        ("Accept-Encoding", "gzip;q=abc, br;q=2"),
        ("Cookie", "sessionid=garbage; csrftoken=\x01"),
        ("Cookie", "a=%ED%A0%80; ===; ;;"),
        ("Authorization", "Basic !!!"),
        ("Authorization", "Bearer " + "x" * 3000),
        ("X-Forwarded-For", "not-an-address, , 999.1.1.1"),
        ("X-Forwarded-Proto", "gopher"),
        ("X-Forwarded-Host", "evil.example"),
        ("Content-Type", "multipart/form-data"),
        ("Content-Length", "-1"),
        ("Transfer-Encoding", "chunked"),
    ]
)

BAD_HOSTS = [
    "evil.example",
    "",
    "127.0.0.1:abc",
    "[::1",
    "localhost:99999",
    "a b",
    "ünïcode.example",
    "x" * 300,
    "127.0.0.1\x00",
    "127.0.0.1, evil.example",
]

BAD_SLUGS = [
    "no-such-record",
    Encoded("%ED%A0%80"),
    Encoded("%00"),
    Encoded("%FF"),
    Encoded("..%2F..%2Fetc%2Fpasswd"),
    "a" * 300,
    "ü",
]

# Kinds of record the report form must not know: not a kind, a kind without pages, hostile.
BAD_KINDS = [
    "no-such-kind",
    "citations",
    "appointments",
    Encoded("%00"),
    Encoded("%ED%A0%80"),
    "a" * 300,
]

# Paths that a browser reads as another host's address once a page writes them back as a link
# (language switcher, hreflang alternates, canonical): doubled or backslashed starts, after a
# language prefix or not, percent-encoded or with a tab the browser would drop. Sent as written.
OFF_SITE_PATHS = [
    "//evil.example/",
    "///evil.example/",
    "/%5Cevil.example/",
    "/ur//evil.example/",
    "/ur/%5Cevil.example/",
    "/ur/%2F%2Fevil.example/",
    "/zh-hans/%2F%2Fevil.example/",
    "/zh-hans/%5C%5Cevil.example/",
    "/ur/%09/evil.example/",
    "//evil.example",
    "/ur//evil.example",
    "/ur//evil.example/?page=2",
]
# A link (an attribute's address) or a redirect to evil.example's host, which the hostile
# paths, Host and X-Forwarded-Host headers name: a scheme or none, then two slashes or a
# backslash (browsers read it as a slash, and drop tabs and line breaks) before the host.
OFF_SITE_LINK = re.compile(
    rb"(?:\b(?:href|src|action|content)\s*=\s*[\"']?|\nLocation:[ \t]*)"
    rb"(?:[a-z][a-z0-9+.-]*:)?(?=[/\\\t\n\r]*\\|(?:[/\\][\t\n\r]*){2})[/\\\t\n\r]+evil\.example",
    re.IGNORECASE,
)

# Whole requests as bytes, for what no HTTP client library would send. {host} is filled in.
RAW_REQUESTS = [
    b"GET /meetings/\xed\xa0\x80/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    b"GET /search/?q=\xed\xa0\x80 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    # A backslash as is in the path: browsers read /\\host as //host.
    b"GET /ur/\\evil.example/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    b"GET /\\evil.example/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    b"GET /api/v1/projects/?q=\xff\xfe HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    b"GET /?q=\x00 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    b"GET /meetings/?q=a b HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    b"GET / HTTP/1.0\r\n\r\n",
    b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    b"GET http://evil.example/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    b"GET * HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    b"GET /\r\n\r\n",
    b"\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: {host}\r\nX-Bad: a\x00b\r\nConnection: close\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: {host}\r\nX-Folded: a\r\n b\r\nConnection: close\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: " + b"a" * 10000 + b"\r\nConnection: close\r\n\r\n",
    b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked"
    b"\r\nConnection: close\r\n\r\n0\r\n\r\n",
    b"POST /api/v1/meetings/ HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n"
    b"Connection: close\r\n\r\nzz\r\n",
    b"POST /meetings/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: 999999\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\nq=1",
    b"GET /meetings/?" + b"&".join(b"f%d=1" % n for n in range(1500)) + b" HTTP/1.1\r\n"
    b"Host: {host}\r\nConnection: close\r\n\r\n",
    b"GET /api/v1/meetings/?" + b"&".join(b"q=%d" % n for n in range(300)) + b" HTTP/1.1\r\n"
    b"Host: {host}\r\nConnection: close\r\n\r\n",
]

# Only the status line is needed; bodies are read (so the server finishes) up to this size.
MAX_BODY = 8 * 1024 * 1024


def encode(value):
    if isinstance(value, Encoded):
        return str(value)
    return urllib.parse.quote(value, safe="", encoding="utf-8", errors="surrogatepass")


def query(*pairs):
    return "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)


class Request:
    """One request: method, target (path and query, as sent), extra headers, or raw bytes."""

    def __init__(self, method, target, headers=(), body=b"", raw=None, label=""):
        self.method = method
        self.target = target
        self.headers = list(headers)
        self.body = body
        self.raw = raw
        self.label = label

    def wire(self, host):
        if self.raw is not None:
            return self.raw.replace(b"{host}", host.encode())
        names = {name.lower() for name, _ in self.headers}
        lines = [f"{self.method} {self.target} HTTP/1.1"]
        if "host" not in names:
            lines.append(f"Host: {host}")
        lines.extend(f"{name}: {value}" for name, value in self.headers)
        if self.body and "content-length" not in names:
            lines.append(f"Content-Length: {len(self.body)}")
        lines.append("Connection: close")
        head = "\r\n".join(lines) + "\r\n\r\n"
        return head.encode("utf-8", "surrogatepass") + self.body

    def describe(self):
        shown = self.raw[:120] if self.raw is not None else f"{self.method} {self.target[:200]}"
        extra = f" [{self.label}]" if self.label else ""
        return f"{shown}{extra}"


def send(address, host, request, timeout):
    """The status the server answers `request` with (None if it answered nothing), and
    whether the answer links or redirects off the site."""
    with socket.create_connection(address, timeout=timeout) as connection:
        try:
            connection.sendall(request.wire(host))
        except OSError:
            pass  # The server may refuse a request before it is sent whole; read its answer.
        received = b""
        try:
            while len(received) < MAX_BODY:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                received += chunk
        except (ConnectionResetError, TimeoutError):
            if not received:
                raise
    match = re.match(rb"HTTP/\d\.\d (\d{3})", received)
    return int(match.group(1)) if match else None, OFF_SITE_LINK.search(received) is not None


# Discovery


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpec_tracker.settings")
    import django

    django.setup()


def url_patterns():
    """(route, namespace, callback) for every address in the URLconf, includes flattened."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(
                    entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace
                )
            else:
                yield prefix + str(entry.pattern), namespace, entry.callback

    return list(walk(get_resolver().url_patterns, "", None))


def published_slug(model):
    """What a published record of `model` is addressed by: its slug, or its id where it has
    none (a financing commitment)."""
    from cpec_tracker.records.registry import addressed_by_slug

    key = "slug" if addressed_by_slug(model) else "pk"
    value = model.objects.published().order_by("pk").values_list(key, flat=True).first()
    return None if value is None else str(value)


CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def discover_pages():
    """Page addresses (outside the API and the admin): [(path, bad-slug paths, list view)]."""
    from django.conf import settings
    from django.urls import reverse

    patterns = url_patterns()
    models = {}
    for _, namespace, callback in patterns:
        model = getattr(getattr(callback, "view_class", None), "model", None)
        if namespace and model is not None:
            models.setdefault(namespace, model)
    pages = []
    for route, namespace, callback in patterns:
        # The API's collections are read from its schema; the admin is not public. What is
        # left of the API's addresses (its root, schema and docs) is tried like a page.
        if route.startswith(settings.ADMIN_PATH) or "^" in route or "$" in route:
            continue
        view_class = getattr(callback, "view_class", None)
        has_slug = CONVERTER.search(route) is not None
        if has_slug:
            model = models.get(namespace)
            slug = published_slug(model) if model is not None else None
            if slug is None:
                continue
            path = "/" + CONVERTER.sub(slug, route)
            bad = ["/" + CONVERTER.sub(encode(bad_slug), route) for bad_slug in BAD_SLUGS]
        else:
            path, bad = "/" + route, []
        filterset_class = getattr(view_class, "filterset_class", None)
        pages.append((path, bad, filterset_class))
    # The admin is not public, but its login page answers anyone.
    pages.append((reverse("admin:login"), [], None))
    return pages + report_pages()


def report_pages():
    """The readers' report form of a published record of each kind with pages, and its
    thank-you page, with bad kinds and slugs: [(path, bad paths, None)]."""
    from django.urls import reverse

    from cpec_tracker.site.reports import reportable_kinds

    pages = []
    for name, kind in reportable_kinds().items():
        slug = published_slug(kind.model)
        if slug is None:
            continue
        for url_name in ("report", "report-sent"):
            path = reverse(url_name, args=[name, slug])
            bad = [path.replace(f"/{slug}/", f"/{encode(bad_slug)}/") for bad_slug in BAD_SLUGS]
            bad += [path.replace(f"/{name}/", f"/{encode(bad_kind)}/") for bad_kind in BAD_KINDS]
            pages.append((path, bad, None))
    return pages


def filterset_parameters(filterset_class):
    """{parameter: kind} for a list page: its FilterSet's filters and `page`."""
    import django_filters

    parameters = {"page": "number"}
    for name, filter_field in filterset_class.base_filters.items():
        if isinstance(filter_field, django_filters.OrderingFilter):
            parameters[name] = "ordering"
        elif isinstance(filter_field, django_filters.NumberFilter):
            parameters[name] = "number"
        else:
            parameters[name] = "text"
    return parameters


def fetch_json(address, host, path, timeout):
    with socket.create_connection(address, timeout=timeout) as connection:
        connection.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    if not head.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
        raise RuntimeError(f"GET {path} answered {head[:60]!r}")
    if b"transfer-encoding: chunked" in head.lower():
        body = dechunk(body)
    return json.loads(body)


def dechunk(body):
    data = b""
    while body:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        data, body = data + body[:size], body[size + 2 :]
    return data


def discover_api(address, host, timeout):
    """API addresses from the served schema: [(path, {parameter: kind}, is_list)]."""
    schema = fetch_json(address, host, "/api/v1/schema/?format=json", timeout)
    endpoints = []
    for template, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        parameters = {}
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            kind = parameter.get("schema", {}).get("type", "string")
            if parameter["name"] == "ordering":
                kind = "ordering"
            parameters[parameter["name"]] = "number" if kind == "integer" else kind
        path_parameters = re.findall(r"\{(\w+)\}", template)
        if path_parameters:
            list_path = template.split("{")[0]
            listing = fetch_json(address, host, f"{list_path}?page_size=1", timeout)
            if not listing.get("results"):
                continue
            slug = listing["results"][0]["slug"]
            path = re.sub(r"\{\w+\}", slug, template)
            bad = [re.sub(r"\{\w+\}", encode(bad_slug), template) for bad_slug in BAD_SLUGS]
            endpoints.append((path, bad, parameters, False))
        else:
            endpoints.append((template, [], parameters, True))
    return endpoints


# The requests


def values_for(kind):
    extra = {"ordering": ORDERING_VALUES, "number": NUMBER_VALUES}.get(kind, [])
    return HOSTILE_VALUES + extra


def parameter_requests(path, parameters, csv=False):
    requests = []
    for name, kind in parameters.items():
        for value in values_for(kind):
            requests.append(Request("GET", f"{path}?{query((name, value))}"))
        # The same parameter twice, and a bad value beside a good one.
        requests.append(Request("GET", f"{path}?{query((name, 'bogus'), (name, '*'))}"))
        if csv and name != "format":
            for value in SHORT_VALUES:
                requests.append(Request("GET", f"{path}?{query(('format', 'csv'), (name, value))}"))
    return requests


def build_requests(address, host, timeout):
    pages = discover_pages()
    api = discover_api(address, host, timeout)
    gets, others = [], []
    plain_paths = []
    for path, bad_paths, filterset_class in pages:
        plain_paths.append(path)
        gets.append(Request("GET", path))
        gets.extend(Request("GET", bad) for bad in bad_paths)
        if filterset_class is not None:
            gets.extend(parameter_requests(path, filterset_parameters(filterset_class)))
        else:
            # Pages with no FilterSet (search reads `q`) get every hostile value in `q`,
            # and must ignore the other parameters a page might read.
            gets.extend(parameter_requests(path, {"q": "text"}))
            for name in PAGE_PARAMETERS[1:]:
                gets.extend(Request("GET", f"{path}?{query((name, v))}") for v in SHORT_VALUES)
    for path, bad_paths, parameters, is_list in api:
        plain_paths.append(path)
        gets.append(Request("GET", path))
        gets.extend(Request("GET", bad) for bad in bad_paths)
        gets.extend(parameter_requests(path, parameters, csv=is_list))
        for bad_format in ["xml", "", "CSV", "csv\x00", "json%", "api"]:
            gets.append(Request("GET", f"{path}?{query(('format', bad_format))}"))
    # Query strings malformed as a whole, on a list page and an API list.
    for path in ["/meetings/", "/api/v1/meetings/", "/search/"]:
        for raw_query in ["%ff=1", "=x", "&&&", "q", "q=1&q=2", "a=%", "%", ";;", "q=%E0%A4%A"]:
            gets.append(Request("GET", f"{path}?{raw_query}"))
    for path in ["/%00", "//", "/./meetings/", "/meetings/..%2F..%2F", "/static/../manage.py",
                 "/static/%00", "/static/cpec_tracker/%ED%A0%80", "/api/v1/%ED%A0%80",
                 "/api/v1/meetings/%00/", "/api/v1/meetings/x/?format=csv", "/%ED%A0%80/",
                 "/sitemap.xml?p=abc", "/sitemap.xml?p=0", "/sitemap.xml?p=9999999999999999999",
                 "/api/v1/schema/?format=bogus", "/api/v1/schema/?lang=zz",
                 "/api/v1/schema/?version=%00", "/meetings", "/api/v1/meetings",
                 "/data/%00", "/data/..%2Fmanifest.json", "/data/manifest.json", "/data/.lock",
                 "/data/csv/%ED%A0%80.csv", "/data/csv/", "/data/" + "a" * 300,
                 "/data/cpec-tracker.sqlite?x=%00", "/api/v1/projects/?format=jsonl&status=x",
                 "/api/v1/projects/?format=jsonl&page=0", "/api/v1/meetings/?format=jsonl&year=1",
                 "/api/v1/officials/?format=jsonl&current=maybe", *OFF_SITE_PATHS]:  # fmt: skip
        gets.append(Request("GET", path))
    login = next(path for path, *_ in pages if path.endswith("/login/"))
    for path in OFF_SITE_PATHS:
        gets.append(Request("GET", f"{login}?{query(('next', path))}"))
    static_path = static_file_path()
    header_targets = [
        "/",
        "/meetings/",
        next(path for path, bad, _ in pages if bad),
        "/api/v1/meetings/",
        next(path for path, bad, _, is_list in api if not is_list),
        "/api/v1/projects/?format=csv",
        "/api/v1/projects/?format=jsonl",
        "/data/datapackage.json",
        "/sitemap.xml",
        static_path,
    ]
    for target in header_targets:
        for name, value in CONDITIONAL_HEADERS:
            gets.append(Request("GET", target, [(name, value)], label=f"{name}: {value[:40]!r}"))
        for bad_host in BAD_HOSTS:
            gets.append(Request("GET", target, [("Host", bad_host)], label=f"Host: {bad_host!r}"))
    # Every GET again as HEAD.
    heads = [Request("HEAD", r.target, r.headers, label=r.label) for r in gets]
    for path in plain_paths + [static_path]:
        for method in METHODS:
            others.append(Request(method, path))
        others.append(
            Request(
                "POST",
                path,
                [("Content-Type", "application/json")],
                body=b'{"title": "x", "slug": ',
                label="broken JSON",
            )
        )
        others.append(
            Request(
                "POST",
                path,
                [("Content-Type", "multipart/form-data; boundary=")],
                body=b"--\r\n\r\n",
                label="broken multipart",
            )
        )
    raw = [Request("RAW", "", raw=data) for data in RAW_REQUESTS]
    counts = {
        "pages": len(pages),
        "list pages": sum(1 for *_, filterset_class in pages if filterset_class),
        "API addresses": len(api),
        "API lists": sum(1 for *_, is_list in api if is_list),
    }
    return gets + heads + others + raw, counts


def static_file_path():
    from django.templatetags.static import static

    return static("cpec_tracker/site.css")


# A trickling intake server: an editor names a page that the battery's own server sends a
# piece a second (tests/intake_server.py's /trickle), and the refusal must come at the intake's
# deadline, not when the page ends a minute later.

TRICKLED_PAGES = {
    "header lines": "headers=60",
    "body bytes": "body=60",
    "headers, then body": "headers=2&body=60",
}
# Seconds the refusal may come after CPEC_INTAKE_TIMEOUT.
TRICKLE_MARGIN = 3
BATTERY_EDITOR = "hostile-battery-editor"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def exchange(address, host, method, target, cookies, form=None, timeout=60):
    """(status, body) of one request; the cookies it sets are added to `cookies`."""
    headers = {"Host": host, "Cookie": "; ".join(f"{n}={v}" for n, v in cookies.items())}
    body = None
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(form)
    connection = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, text


def csrf_token(page):
    match = CSRF_TOKEN.search(page)
    return match.group(1) if match else ""


def editor_cookies(address, host, password):
    """The cookies of an editor logged in through the admin's login form."""
    from django.conf import settings
    from django.urls import reverse

    cookies = {}
    login = reverse("admin:login")
    _, page = exchange(address, host, "GET", login, cookies)
    form = {
        "username": BATTERY_EDITOR,
        "password": password,
        "csrfmiddlewaretoken": csrf_token(page),
    }
    status, _ = exchange(address, host, "POST", login, cookies, form)
    if status != 302 or settings.SESSION_COOKIE_NAME not in cookies:
        raise RuntimeError(f"the battery's editor could not log in (login answered {status})")
    return cookies


def trickling_intake_failures(address, host):
    """Ask "Add source" for each trickled page; a failure unless each is refused in time."""
    import secrets

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from cpec_tracker.editing.roles import EDITORS
    from tests.intake_server import FixtureServer

    if not settings.CPEC_INTAKE_ALLOW_LOOPBACK:
        print("battery: trickling intake skipped: CPEC_INTAKE_ALLOW_LOOPBACK is off")
        return []
    deadline = settings.CPEC_INTAKE_TIMEOUT
    add = reverse("admin:cpec_tracker_source_add")
    password = secrets.token_urlsafe(24)
    editor, _ = get_user_model().objects.get_or_create(username=BATTERY_EDITOR)
    editor.is_staff = True
    editor.set_password(password)
    editor.save()
    editor.groups.add(Group.objects.get(name=EDITORS))
    failures = []
    try:
        cookies = editor_cookies(address, host, password)
        with FixtureServer() as server:

            def ask(label, query):
                session = dict(cookies)
                _, page = exchange(address, host, "GET", add, session)
                form = {
                    "intake": "read",
                    "url": server.url(f"/trickle?{query}"),
                    "html": "",
                    "text": "",
                    "csrfmiddlewaretoken": csrf_token(page),
                }
                started = time.monotonic()
                try:
                    status, answer = exchange(
                        address, host, "POST", add, session, form, timeout=deadline + 30
                    )
                except OSError as error:
                    status, answer = type(error).__name__, ""
                seconds = time.monotonic() - started
                print(f"battery: trickling intake, {label}: {status} after {seconds:.1f} s")
                refused = f"The page took longer than {deadline:g} s" in answer
                if status != 200 or not refused or seconds > deadline + TRICKLE_MARGIN:
                    failures.append(
                        f"trickling intake, {label}: {status} after {seconds:.1f} s "
                        f"({'refused' if refused else 'not refused'}; the deadline is "
                        f"{deadline:g} s)"
                    )

            with concurrent.futures.ThreadPoolExecutor(len(TRICKLED_PAGES)) as pool:
                list(pool.map(ask, TRICKLED_PAGES, TRICKLED_PAGES.values()))
    finally:
        editor.delete()
    return failures


# A script, for the answers to show escaped or not at all.
SCRIPT = "<script>alert(1)</script>"


def report_form_failures(address, host):
    """Fill in the readers' report form as a hostile reader; a failure unless every answer is
    the 4xx expected, and unless no report was stored by any of them."""
    from django.utils import timezone

    from cpec_tracker.records.models import ErrorReport, PublicationStatus, Theme
    from cpec_tracker.site.reports import MAX_BODY_BYTES, REPORTS_PER_HOUR, reportable_kinds

    kind_name, kind = next(iter(reportable_kinds().items()))
    slug = published_slug(kind.model)
    form_path = f"/report/{kind_name}/{slug}/"
    draft = Theme.objects.create(
        slug=f"hostile-battery-draft-{timezone.now():%H%M%S%f}",
        name="Hostile battery draft",
        kind="other",
        publication_status=PublicationStatus.DRAFT,
    )
    stored_before = ErrorReport.objects.count()
    failures = []

    def check(label, expected, path, fields, *, token=True):
        cookies = {}
        _, page = exchange(address, host, "GET", form_path, cookies)
        form = {
            "what_is_wrong": "The date is wrong.",
            "source_url": "",
            "email": "",
            "website": "",
            **fields,
        }
        if token is True:
            form["csrfmiddlewaretoken"] = csrf_token(page)
        elif token:
            form["csrfmiddlewaretoken"] = token
        status, answer = exchange(address, host, "POST", path, cookies, form)
        if status not in (expected if isinstance(expected, tuple) else (expected,)):
            failures.append(f"report form, {label}: {status} (expected {expected})")
        elif SCRIPT in answer:
            failures.append(f"report form, {label}: {status}, the script written back")
        elif expected == 400 and "Your report was not sent" not in answer:
            failures.append(f"report form, {label}: 400 without saying why")
        return status

    try:
        check("oversized body", 413, form_path, {"what_is_wrong": "x" * MAX_BODY_BYTES})
        check("no CSRF token", 403, form_path, {}, token=False)
        check("a wrong CSRF token", 403, form_path, {}, token="x" * 64)
        check("no text", 400, form_path, {"what_is_wrong": ""})
        check("2,001 characters", 400, form_path, {"what_is_wrong": "é" * 2001})
        check("a control character", 400, form_path, {"what_is_wrong": "a\x00b\x07"})
        # Django reads undecodable bytes as U+FFFD: with a bad email, so that nothing is stored.
        for label, text in [("a lone surrogate", b"\xed\xa0\x80"), ("invalid UTF-8", b"\xff")]:
            check(label, 400, form_path, {"what_is_wrong": text, "email": "x"})
        for url in ["javascript:alert(1)", "ftp://example.org/", "http://", SCRIPT,
                    "https://example.org/" + "a" * 600]:  # fmt: skip
            check(f"source address {url[:30]!r}", 400, form_path, {"source_url": url})
        for email in ["not an email", f"{SCRIPT}@example.org", "a@" + "b" * 300 + ".org"]:
            check(f"email {email[:30]!r}", 400, form_path, {"email": email})
        check("HTML, and a bad email", 400, form_path, {"what_is_wrong": SCRIPT, "email": "x"})
        check("an unknown slug", 404, f"/report/{kind_name}/no-such-record/", {})
        check("an unknown kind", 404, f"/report/no-such-kind/{slug}/", {})
        check("a draft record", 404, f"/report/themes/{draft.slug}/", {})
        # A filled honeypot is answered as if accepted, and counts against the address's limit;
        # each gunicorn worker counts in its own memory unless the cache is shared (Redis).
        statuses = []
        for _ in range(REPORTS_PER_HOUR * 4):
            honeypot = {"website": "https://spam.example/"}
            statuses.append(check("honeypot", (302, 429), form_path, honeypot))
            if statuses[-1] == 429:
                break
        if 429 not in statuses:
            failures.append(f"report form: no 429 after {len(statuses)} reports from one address")
        print(f"battery: report form, honeypot answered {statuses}")
        stored = ErrorReport.objects.count() - stored_before
        if stored:
            failures.append(f"report form: {stored} reports stored from hostile input")
    finally:
        draft.delete()
    return failures


def check_loopback(host):
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        addresses = set()
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise SystemExit(f"battery: {host} is not a loopback address; refusing to fire at it")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8000 (loopback only)")
    # About 35,000 with `lang` on every API address (3,500 of them the report forms), and each
    # new page adds about a thousand (its hostile parameters, as GET and HEAD); the bound is
    # against a runaway plan, not a budget: --time-limit bounds the run.
    parser.add_argument("--max-requests", type=int, default=60000)
    parser.add_argument("--time-limit", type=float, default=900, help="seconds for the run")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=4)
    arguments = parser.parse_args(argv)

    base = urllib.parse.urlsplit(arguments.base_url)
    if base.scheme != "http" or not base.hostname:
        parser.error("give an http:// address")
    check_loopback(base.hostname)
    address = (base.hostname, base.port or 80)
    host = base.netloc

    setup_django()
    requests, counts = build_requests(address, host, arguments.timeout)
    print("battery: discovered " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    if len(requests) > arguments.max_requests:
        print(f"battery: {len(requests)} requests planned, over --max-requests; refusing")
        return 1

    statuses = collections.Counter()
    failures = []
    lock = threading.Lock()
    deadline = time.monotonic() + arguments.time_limit
    started = time.monotonic()

    def fire(request):
        if time.monotonic() > deadline:
            return
        try:
            status, links_off_site = send(address, host, request, arguments.timeout)
        except OSError as error:
            status, links_off_site, note = None, False, f"{type(error).__name__}"
        else:
            note = "no HTTP answer"
        with lock:
            statuses[status if status is not None else "none"] += 1
            if status is None or status >= 500:
                failures.append(f"{status or note}  {request.describe()}")
            if links_off_site:
                failures.append(f"{status} links off the site  {request.describe()}")

    with concurrent.futures.ThreadPoolExecutor(arguments.concurrency) as pool:
        list(pool.map(fire, requests))
    failures += trickling_intake_failures(address, host)
    failures += report_form_failures(address, host)

    sent = sum(statuses.values())
    seconds = time.monotonic() - started
    server_errors = sum(n for status, n in statuses.items() if status != "none" and status >= 500)
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"battery: {sent} requests, {server_errors} 5xx")
    print(
        "battery: by status "
        + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items(), key=str))
        + f" ({seconds:.0f} s)"
    )
    if sent < len(requests):
        print(f"battery: time limit reached after {sent} of {len(requests)} requests")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
