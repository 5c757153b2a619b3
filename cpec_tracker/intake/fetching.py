"""Fetching a web page for source intake, without letting the site be turned against its network.

An editor's URL makes the server open a connection, so every connection is checked: only
http and https, only globally reachable addresses as IANA's special-purpose address registries
list them (`SPECIAL_PURPOSE_NETWORKS`), IPv4 or IPv6, including IPv4 addresses wrapped in IPv6
ones. The check runs after DNS resolution, inside the connection itself: the socket is opened
to the very address that was checked, so a name that resolves differently a moment later (DNS
rebinding) cannot slip past it. Redirects are followed here, one hop at a time, each hop
checked the same way. Size and redirect count are limited, and so is time: one deadline for
the whole fetch, from the DNS lookup to the last byte, redirects included, which every socket
operation is held to (`DeadlineStream`), so a server that answers a byte at a time cannot hold
the request's thread past it. Proxies from the environment are ignored, since a proxy would
make the check meaningless.
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


# IANA's special-purpose address registries, as updated 2025 (RFC 6890, RFC 8190):
# https://www.iana.org/assignments/iana-ipv4-special-registry/
# https://www.iana.org/assignments/iana-ipv6-special-registry/
# Each block with its name and its "Globally Reachable" column: True, False, or None where the
# registry says N/A or the block was terminated. The most specific block holding an address
# decides (192.0.0.0/24 is not reachable "unless by virtue of a more specific reservation",
# such as 192.0.0.9/32). Multicast, from IANA's multicast address space registries, is added:
# a page is never fetched from a group address.
SPECIAL_PURPOSE_NETWORKS = [
    (ipaddress.ip_network(block), name, globally_reachable)
    for block, name, globally_reachable in [
        # IPv4
        ("0.0.0.0/8", '"This network"', False),
        ("0.0.0.0/32", '"This host on this network"', False),
        ("10.0.0.0/8", "Private-Use", False),
        ("100.64.0.0/10", "Shared Address Space", False),
        ("127.0.0.0/8", "Loopback", False),
        ("169.254.0.0/16", "Link Local", False),
        ("172.16.0.0/12", "Private-Use", False),
        ("192.0.0.0/24", "IETF Protocol Assignments", False),
        ("192.0.0.0/29", "IPv4 Service Continuity Prefix", False),
        ("192.0.0.8/32", "IPv4 dummy address", False),
        ("192.0.0.9/32", "Port Control Protocol Anycast", True),
        ("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", True),
        ("192.0.0.170/32", "NAT64/DNS64 Discovery", False),
        ("192.0.0.171/32", "NAT64/DNS64 Discovery", False),
        ("192.0.2.0/24", "Documentation (TEST-NET-1)", False),
        ("192.31.196.0/24", "AS112-v4", True),
        ("192.52.193.0/24", "AMT", True),
        ("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", None),
        ("192.88.99.2/32", "6a44-relay anycast address", False),
        ("192.168.0.0/16", "Private-Use", False),
        ("192.175.48.0/24", "Direct Delegation AS112 Service", True),
        ("198.18.0.0/15", "Benchmarking", False),
        ("198.51.100.0/24", "Documentation (TEST-NET-2)", False),
        ("203.0.113.0/24", "Documentation (TEST-NET-3)", False),
        ("224.0.0.0/4", "Multicast", False),
        ("240.0.0.0/4", "Reserved", False),
        ("255.255.255.255/32", "Limited Broadcast", False),
        # IPv6
        ("::1/128", "Loopback Address", False),
        ("::/128", "Unspecified Address", False),
        ("::ffff:0:0/96", "IPv4-mapped Address", False),
        ("64:ff9b::/96", "IPv4-IPv6 Translat.", True),
        ("64:ff9b:1::/48", "IPv4-IPv6 Translat.", False),
        ("100::/64", "Discard-Only Address Block", False),
        ("100:0:0:1::/64", "Dummy IPv6 Prefix", False),
        ("2001::/23", "IETF Protocol Assignments", False),
        ("2001::/32", "TEREDO", None),
        ("2001:1::1/128", "Port Control Protocol Anycast", True),
        ("2001:1::2/128", "Traversal Using Relays around NAT Anycast", True),
        ("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", True),
        ("2001:2::/48", "Benchmarking", False),
        ("2001:3::/32", "AMT", True),
        ("2001:4:112::/48", "AS112-v6", True),
        ("2001:10::/28", "Deprecated (previously ORCHID)", None),
        ("2001:20::/28", "ORCHIDv2", True),
        ("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", True),
        ("2001:db8::/32", "Documentation", False),
        ("2002::/16", "6to4", None),
        ("2620:4f:8000::/48", "Direct Delegation AS112 Service", True),
        ("3fff::/20", "Documentation", False),
        ("5f00::/16", "Segment Routing (SRv6) SIDs", False),
        ("fc00::/7", "Unique-Local", False),
        ("fe80::/10", "Link-Local Unicast", False),
        ("ff00::/8", "Multicast", False),
    ]
]
# Outside the special-purpose blocks, IPv6 is globally reachable only in the global unicast
# space (IANA's IPv6 address space registry); the rest is reserved by the IETF.
IPV6_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
# RFC 6052: the well-known prefix of NAT64, whose last 32 bits are the IPv4 address reached.
NAT64_WELL_KNOWN_PREFIX = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(address):
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo, NAT64), or None."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64_WELL_KNOWN_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def special_purpose_block(address):
    """The most specific special-purpose block holding `address`, as (network, name,
    globally reachable), or None."""
    holding = [block for block in SPECIAL_PURPOSE_NETWORKS if address in block[0]]
    return max(holding, key=lambda block: block[0].prefixlen, default=None)


def address_refusal(text):
    """Why connecting to the IP address `text` is refused, or None if it is globally reachable."""
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
    block = special_purpose_block(address)
    if block is not None:
        network, name, globally_reachable = block
        if globally_reachable:
            return None
        return f"{text} is in {network} ({name}), which is not globally reachable"
    if address.version == 6 and address not in IPV6_GLOBAL_UNICAST:
        return f"{text} is outside IPv6's global unicast space (2000::/3)"
    return None


def time_left(deadline, timeout, timeout_error):
    """What a socket operation may take: its own `timeout`, cut to what is left until
    `deadline`; raises `timeout_error` (an httpcore timeout) once the deadline has passed."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise timeout_error("The intake's deadline has passed.")
    return remaining if timeout is None else min(timeout, remaining)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline.

    httpx's timeouts apply to each socket operation: a server sending a header line, or a
    byte of the body, every second never trips a read timeout of 10 s. Each operation here
    gets only the time left, so the slowest server is cut off at the deadline itself.
    """

    def __init__(self, stream, deadline):
        self.stream = stream
        self.deadline = deadline

    def read(self, max_bytes, timeout=None):
        timeout = time_left(self.deadline, timeout, httpcore.ReadTimeout)
        return self.stream.read(max_bytes, timeout)

    def write(self, buffer, timeout=None):
        # The request is a few hundred bytes: one send into the socket's buffer.
        timeout = time_left(self.deadline, timeout, httpcore.WriteTimeout)
        self.stream.write(buffer, timeout)

    def close(self):
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        # Python's TLS handshake holds its socket timeout as a deadline for the whole handshake.
        timeout = time_left(self.deadline, timeout, httpcore.ConnectTimeout)
        tls_stream = self.stream.start_tls(ssl_context, server_hostname, timeout)
        return DeadlineStream(tls_stream, self.deadline)

    def get_extra_info(self, info):
        return self.stream.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Opens a connection only to checked addresses, and to the address it checked; every
    connection, from the DNS lookup on, ends by `deadline` (a time.monotonic() value)."""

    def __init__(self, deadline):
        self.deadline = deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        lookup_timeout = time_left(self.deadline, timeout, httpcore.ConnectTimeout)
        addresses = resolve(host, port, lookup_timeout)
        if not addresses:
            raise FetchRefused(f"The address {host} could not be found.")
        # Every address the name has must be public: which one a retry would pick is not ours
        # to choose, and a name mixing public and private addresses is suspect.
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise FetchRefused(f"Refused to fetch from {host}: {reason}.")
        connect_timeout = time_left(self.deadline, timeout, httpcore.ConnectTimeout)
        stream = super().connect_tcp(
            addresses[0], port, connect_timeout, local_address, socket_options
        )
        return DeadlineStream(stream, self.deadline)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport with the connection pool's network backend replaced."""

    def __init__(self, deadline):
        super().__init__(trust_env=False, retries=0)
        # httpx has no parameter for the network backend; its pool is rebuilt with ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=2,
            http1=True,
            http2=False,
            retries=0,
            network_backend=GuardedBackend(deadline),
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
    # One deadline for the whole fetch, redirects included: every socket operation of every
    # hop is held to it (DeadlineStream); httpx's own timeout bounds each one as well.
    deadline = time.monotonic() + timeout
    client = httpx.Client(
        transport=GuardedTransport(deadline),
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
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect:
                        location = response.headers.get("Location", "")
                        url = str(response.url.join(location))
                        continue
                    return _read(response, limit)
            except FetchRefused:
                raise
            except httpx.TimeoutException:
                raise FetchRefused(f"The page took longer than {timeout:g} s to arrive.") from None
            except httpx.InvalidURL:
                raise FetchRefused("This is not a valid web address.") from None
            except httpx.HTTPError as error:
                raise FetchRefused(f"The page could not be fetched: {error}.") from None
        raise FetchRefused(
            f"The page redirected more than {settings.CPEC_INTAKE_MAX_REDIRECTS} times."
        )


def _read(response, limit):
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
    except zlib.error:
        raise FetchRefused("The page's compressed content is damaged.") from None
    return FetchedPage(url=str(response.url), content_type=content_type, body=bytes(body))


def size_label(size):
    """A number of bytes as an editor reads it: "5 MB", "48.8 KB", "900 bytes"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _too_large(limit):
    return f"The page is larger than {size_label(limit)}, the most the intake reads."
