"""Request-level security helpers: the client address behind proxies, the response headers."""

from django.conf import settings
from django.middleware.security import SecurityMiddleware


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
