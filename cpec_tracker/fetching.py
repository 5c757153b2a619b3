"""Fetching a web page for source intake, without letting the site be turned against its network.

An editor's URL makes the server open a connection, so every connection is checked: only
http and https, only public addresses (no private, loopback, link-local, multicast, reserved
or unspecified address, IPv4 or IPv6, including IPv4 addresses wrapped in IPv6 ones). The
check runs after DNS resolution, inside the connection itself: the socket is opened to the
very address that was checked, so a name that resolves differently a moment later (DNS
rebinding) cannot slip past it. Redirects are followed here, one hop at a time, each hop
checked the same way. Time, size and redirect count are limited; proxies from the
environment are ignored, since a proxy would make the check meaningless.
"""

import ipaddress
import re
import socket
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as LookupTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings

HTML_CONTENT_TYPES = {"text/html", "application/xhtml+xml"}
USER_AGENT = "CPEC-Tracker-intake/1.0 (+source intake by an editor)"
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# getaddrinfo() takes no time limit; lookups run here so a slow resolver cannot hold a request.
_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="intake-dns")


class FetchRefused(Exception):
    """The page was not fetched; the message says why, in words an editor understands."""


@dataclass
class FetchedPage:
    url: str  # after redirects
    content_type: str
    body: bytes


def resolve(host, port, timeout=None):
    """Every address `host` resolves to (patched by tests to map names to their own server)."""
    lookup = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=timeout)
    except LookupTimeout:
        raise FetchRefused(f"Looking up {host} took too long.") from None
    except (OSError, UnicodeError) as error:
        raise FetchRefused(f"The address {host} could not be found ({error}).") from None
    return [info[4][0] for info in infos]


def embedded_ipv4(address):
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo), or None."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def address_refusal(text):
    """Why connecting to the IP address `text` is refused, or None if it is a public address."""
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return f"{text} is not an IP address"
    inner = embedded_ipv4(address)
    if inner is not None:
        reason = address_refusal(str(inner))
        return reason and f"{text} wraps {inner}: {reason}"
    if address.is_loopback:
        if settings.CPEC_INTAKE_ALLOW_LOOPBACK:
            return None
        return f"{text} is a loopback address (this server itself)"
    checks = [
        ("is_unspecified", "an unspecified address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    ]
    for attribute, name in checks:
        if getattr(address, attribute):
            return f"{text} is {name}"
    if not address.is_global:
        return f"{text} is not a public address"
    return None


class GuardedBackend(httpcore.SyncBackend):
    """Opens a connection only to checked addresses, and to the address it checked."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve(host, port, timeout)
        if not addresses:
            raise FetchRefused(f"The address {host} could not be found.")
        # Every address the name has must be public: which one a retry would pick is not ours
        # to choose, and a name mixing public and private addresses is suspect.
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise FetchRefused(f"Refused to fetch from {host}: {reason}.")
        return super().connect_tcp(addresses[0], port, timeout, local_address, socket_options)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport with the connection pool's network backend replaced."""

    def __init__(self):
        super().__init__(trust_env=False, retries=0)
        # httpx has no parameter for the network backend; its pool is rebuilt with ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=2,
            http1=True,
            http2=False,
            retries=0,
            network_backend=GuardedBackend(),
        )


def check_url(url):
    """Refuse what is not an http(s) URL to a named host; return the parsed URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchRefused("This is not a valid web address.") from None
    if parts.scheme.lower() not in {"http", "https"}:
        scheme = parts.scheme or "no scheme"
        raise FetchRefused(f"Only http and https addresses can be fetched, not {scheme}.")
    if not parts.hostname:
        raise FetchRefused("The address names no host.")
    if parts.username or parts.password:
        raise FetchRefused("Addresses with a user name or password are not fetched.")
    if port == 0:
        raise FetchRefused("The address has no usable port.")
    return parts


def with_scheme(url):
    """`url` as typed, with https:// added when it names no scheme ("www.dawn.com/news/1")."""
    url = url.strip()
    return url if SCHEME.match(url) or url.startswith("//") else f"https://{url}"


def fetch_page(url):
    """Fetch an HTML page at `url` within the intake limits, or raise FetchRefused."""
    timeout = settings.CPEC_INTAKE_TIMEOUT
    limit = settings.CPEC_INTAKE_MAX_BYTES
    deadline = time.monotonic() + timeout
    client = httpx.Client(
        transport=GuardedTransport(),
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(timeout),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml",
            # Uncompressed, please; a compressed answer is inflated here within the size limit.
            "Accept-Encoding": "identity",
        },
    )
    with client:
        for _hop in range(settings.CPEC_INTAKE_MAX_REDIRECTS + 1):
            check_url(url)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchRefused("The page took too long to arrive.")
            try:
                # Each hop gets only what is left of the time limit, so the whole fetch,
                # redirects included, ends within it.
                with client.stream("GET", url, timeout=remaining) as response:
                    if response.is_redirect:
                        location = response.headers.get("Location", "")
                        url = str(response.url.join(location))
                        continue
                    return _read(response, limit, deadline)
            except FetchRefused:
                raise
            except httpx.TimeoutException:
                raise FetchRefused(f"The page did not answer within {timeout:g} seconds.") from None
            except httpx.InvalidURL:
                raise FetchRefused("This is not a valid web address.") from None
            except httpx.HTTPError as error:
                raise FetchRefused(f"The page could not be fetched: {error}.") from None
        raise FetchRefused(
            f"The page redirected more than {settings.CPEC_INTAKE_MAX_REDIRECTS} times."
        )


def _read(response, limit, deadline):
    if response.status_code != 200:
        raise FetchRefused(
            f"The site answered {response.status_code} {response.reason_phrase}, not the page."
        )
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in HTML_CONTENT_TYPES:
        raise FetchRefused(
            f"The address gives {content_type or 'an unnamed kind of content'}, not a web "
            "page (HTML). Paste the text instead."
        )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchRefused(_too_large(limit))
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in {"", "identity"}:
        inflate = None
    elif encoding in {"gzip", "x-gzip", "deflate"}:
        # Inflated chunk by chunk with a cap, so a small body cannot unpack into a huge one
        # before it is counted (httpx's own decoding inflates each chunk whole).
        inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)
    else:
        raise FetchRefused(
            f"The page came compressed as {encoding}, which the intake does not read."
        )
    body = bytearray()
    try:
        for chunk in response.iter_raw(64 * 1024):
            while chunk:
                if inflate is None:
                    body += chunk
                    chunk = b""
                else:
                    body += inflate.decompress(chunk, limit + 1 - len(body))
                    chunk = inflate.unconsumed_tail
                if len(body) > limit:
                    raise FetchRefused(_too_large(limit))
            if time.monotonic() > deadline:
                raise FetchRefused("The page took too long to arrive.")
    except zlib.error:
        raise FetchRefused("The page's compressed content is damaged.") from None
    return FetchedPage(url=str(response.url), content_type=content_type, body=bytes(body))


def _too_large(limit):
    return f"The page is larger than {limit // 1024:,} KB, the most the intake reads."
