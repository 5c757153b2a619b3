"""Request-level security helpers: the client address behind proxies, and the CORP header."""

from django.conf import settings


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


class CrossOriginResourcePolicyMiddleware:
    """Sends Cross-Origin-Resource-Policy, which Django's SecurityMiddleware does not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response
