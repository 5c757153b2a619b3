"""The keys that tell whether a source is already in the tracker: its address and its text.

Two addresses name the same page when they differ only in what never changes the page: the
case of the scheme and host, a default port, a trailing slash, the fragment, tracking
parameters (utm_*, fbclid…), the order of the other parameters, or http against https. Two
texts are the same when they differ only in spacing and in the kind of quotation marks
(`cpec_tracker.records.quotes.fold`).
"""

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from cpec_tracker.records.quotes import fold

TRACKING_PARAMETERS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "_ga",
    "_gl",
    "ref_src",
    "cmpid",
}
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_parameter(name):
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMETERS


def url_key(url):
    """The address in one canonical spelling, or "" for no address (or one not understood)."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        return url
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(name)
    )
    # http and https serve the same article; the key is spelled with https.
    return urlunsplit(("https", host, path, urlencode(query), ""))


def text_digest(text):
    """A SHA-256 of the folded text (spacing and quote marks ignored), or "" for no text."""
    folded = fold(text or "")
    if not folded:
        return ""
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def exact_digest(text):
    """A SHA-256 of the text exactly as stored: what stored offsets into it were found in."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()
