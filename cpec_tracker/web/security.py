"""Request-level security helpers: the client address behind proxies, the response headers."""

from django.conf import settings
from django.core.cache import caches
from django.middleware.security import SecurityMiddleware

# The public forms (error reports, alert subscriptions) count requests per client, and per
# address where there is one, for this long from the first.
RATE_WINDOW_SECONDS = 3600


def client_ip(request):
    """The address a request came from, as django-axes counts login failures by it.

    Without a proxy it is REMOTE_ADDR. Behind `CPEC_PROXY_COUNT` trusted reverse proxies, each
    appends the address it received from to X-Forwarded-For, so the client is the entry that
    many places from the right; entries further left were written by the client and could be
    forged to lock somebody else out.
    """
    proxy_count = settings.CPEC_PROXY_COUNT
    if proxy_count > 0:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= proxy_count:
            return forwarded[-proxy_count]
    return request.META.get("REMOTE_ADDR")


def over_rate_limit(limits):
    """Whether a counter of `limits`, [(cache key, most requests in the window)], is full."""
    cache = caches["default"]
    return any((cache.get(key) or 0) >= most for key, most in limits)


def count_request(limits):
    """Count one request on every counter of `limits` (each lasting RATE_WINDOW_SECONDS from
    its first request)."""
    cache = caches["default"]
    for key, _most in limits:
        cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            pass  # The cache is unreachable, and answers as an empty one: the limit fails open.


def body_size(request):
    """The length of the request's body as its client declares it (0 when it is no number:
    Django reads such a body as empty)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class SecurityHeadersMiddleware:
    """Sends Cross-Origin-Resource-Policy (Django has no setting for it) and makes sure every
    response has SecurityMiddleware's headers (nosniff, Referrer-Policy, COOP, HSTS).

    It runs outside SecurityMiddleware because that one skips its own headers on a response
    made from an exception in its request phase: a request for an unknown host over plain
    HTTP, which it looks up to redirect to HTTPS, gets a 400 without them otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.security = SecurityMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        # Sets only what is missing, reading nothing but the request's scheme.
        self.security.process_response(request, response)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response
