"""DRF defaults that settings name: content negotiation and throttling.

They live apart from `rest.py` because DRF imports them while it defines `APIView`, so this
module must not import DRF's views.
"""

import math
import time

from django.core.cache import cache
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle


def bad_parameter(name, message):
    return exceptions.ValidationError({name: [message]})


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` wins over `Accept`; an unknown or blank one is a 400 naming it, not DRF's
    bare 404 or the default.

    DRF reads `format` as a filter on the renderers `Accept` then chooses from, so
    `format=csv` with a browser's or a client library's `Accept: application/json` was a 406.
    The format asked for by name is what the client wants; `Accept` still chooses among the
    media types of that format (and their parameters, `application/json; indent=2`).
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        format_name = format_suffix or request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if format_name == "":
            raise self.format_error(renderers)
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            if format_name:
                renderer = self.filter_renderers(renderers, format_name)[0]
                return renderer, renderer.media_type
            raise exceptions.NotAcceptable(
                gettext(
                    "The Accept header names no type this endpoint gives ({types}); "
                    "or choose one with format= ({choices})."
                ).format(
                    types=", ".join(renderer.media_type for renderer in renderers),
                    choices=", ".join(renderer.format for renderer in renderers),
                ),
                available_renderers=renderers,
            ) from None

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            raise self.format_error(renderers)
        return matching

    def format_error(self, renderers):
        choices = ", ".join(renderer.format for renderer in renderers)
        return bad_parameter(
            api_settings.URL_FORMAT_OVERRIDE,
            gettext("Choose one of: {choices}.").format(choices=choices),
        )


class FixedWindowThrottle(BaseThrottle):
    """Anonymous throttling: at most N requests per client per window, counted in the cache.

    One counter per client and window, bumped with the cache's atomic `incr`, so the limit holds
    across gunicorn workers when the cache is Redis, and costs one cache round trip whatever
    the rate (DRF's own throttles keep a list of every request's time).
    """

    scope = "anon"

    def get_rate(self):
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if not rate:
            return None
        number, period = rate.split("/")
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
        return int(number), seconds

    def allow_request(self, request, view):
        rate = self.get_rate()
        if rate is None:
            return True
        self.limit, self.window = rate
        now = time.time()
        self.window_start = math.floor(now / self.window) * self.window
        key = f"throttle:{self.scope}:{self.get_ident(request)}:{self.window_start}"
        cache.add(key, 0, timeout=self.window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # The key expired between add() and incr().
            cache.set(key, 1, timeout=self.window + 1)
            count = 1
        self.now = now
        return count <= self.limit

    def wait(self):
        return max(0.0, self.window_start + self.window - self.now)
