"""The alerts' pages: subscribe (from the follow controls), confirm, unsubscribe, manage.

None of them is cached (never_cache): they answer one address's links. The tokens in their
addresses are the credentials (a signed confirmation that expires, a random unsubscribe
secret, a signed manage link), so their forms need no CSRF token: a forged request can do no
more than the link's holder. The subscribe form sits in page-cached pages, which cannot carry
a per-visitor CSRF token; all it can do is send a confirmation mail (double opt-in), rate-
limited per address and per client, and it refuses a cross-site Origin.
"""

import hashlib

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from cpec_tracker.site.alerts import services
from cpec_tracker.site.alerts.following import NotFollowable
from cpec_tracker.site.alerts.forms import FrequencyForm, SubscribeForm
from cpec_tracker.site.alerts.models import Frequency, Subscription
from cpec_tracker.site.alerts.tasks import send_confirmation
from cpec_tracker.web.security import (
    RATE_WINDOW_SECONDS,
    body_size,
    client_ip,
    count_request,
    over_rate_limit,
)

MAX_BODY_BYTES = 16 * 1024


def refusal(request, message, *, status):
    return render(request, "alerts/refusal.html", {"message": message}, status=status)


def rate_keys(request, email):
    """The counters a subscription request bumps, with their limits: its client's address's
    and its email's (hashed: no address is kept in the cache as it is)."""
    digest = hashlib.sha256(email.lower().encode()).hexdigest()[:32]
    return [
        (f"alerts-rate:ip:{client_ip(request)}", settings.CPEC_ALERTS_PER_CLIENT_PER_HOUR),
        (f"alerts-rate:email:{digest}", settings.CPEC_ALERTS_PER_ADDRESS_PER_HOUR),
    ]


def cross_site(request):
    origin = request.META.get("HTTP_ORIGIN")
    if not origin or origin == "null":
        return origin == "null"
    return not url_has_allowed_host_and_scheme(
        origin + "/", allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class AlertSubscribeView(View):
    """POST an address, a frequency and a feed: a confirmation mail is sent (by a job)."""

    http_method_names = ["post"]

    def post(self, request):
        if body_size(request) > MAX_BODY_BYTES:
            return refusal(request, gettext("This request is too large."), status=413)
        if cross_site(request):
            return refusal(request, gettext("Subscribe from this site’s pages."), status=403)
        form = SubscribeForm(request.POST)
        if not form.is_valid():
            errors = [error for errors in form.errors.values() for error in errors]
            return refusal(request, " ".join(errors), status=400)
        keys = rate_keys(request, form.cleaned_data["email"])
        if over_rate_limit(keys):
            response = refusal(
                request,
                gettext(
                    "Too many alert requests from this address or for this email in the last "
                    "hour. Please try again in an hour."
                ),
                status=429,
            )
            response["Retry-After"] = str(RATE_WINDOW_SECONDS)
            return response
        count_request(keys)
        try:
            result = services.subscription_request(
                email=form.cleaned_data["email"],
                feed_url=form.cleaned_data["feed"],
                frequency=form.cleaned_data["frequency"],
                language=get_language(),
            )
        except NotFollowable:
            return refusal(
                request, gettext("There is nothing to follow at this address."), status=404
            )
        if result.confirmation_due:
            send_confirmation.enqueue(result.subscription.pk)
        # The same answer whether the address followed this already or not: it says nothing
        # about anybody's subscriptions.
        return HttpResponseRedirect(reverse("alerts:sent"))


class AlertSentView(TemplateView):
    template_name = "alerts/sent.html"


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class AlertConfirmView(View):
    """The confirmation link: GET shows a button (mail scanners follow links), POST confirms."""

    http_method_names = ["get", "post"]

    def dispatch(self, request, token):
        self.subscription = services.subscription_for_confirm_token(token)
        if self.subscription is None:
            return refusal(
                request,
                gettext(
                    "This confirmation link is not valid, or has expired. Ask for the alert "
                    "again from the page you want to follow."
                ),
                status=400,
            )
        return super().dispatch(request, token)

    def get(self, request, token):
        return render(request, "alerts/confirm.html", {"subscription": self.subscription})

    def post(self, request, token):
        services.subscription_confirm(subscription=self.subscription)
        return render(
            request,
            "alerts/confirmed.html",
            {
                "subscription": self.subscription,
                "manage_url": reverse("alerts:manage", args=[self.subscription.address_key]),
            },
        )


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class AlertUnsubscribeView(View):
    """One-click unsubscribe (RFC 8058): a POST removes the alert; a GET shows the button."""

    http_method_names = ["get", "post"]

    def dispatch(self, request, token):
        self.subscription = Subscription.objects.filter(unsubscribe_token=token).first()
        if self.subscription is None:
            return refusal(
                request,
                gettext("There is no such alert (it may be unsubscribed already)."),
                status=404,
            )
        return super().dispatch(request, token)

    def get(self, request, token):
        return render(request, "alerts/unsubscribe.html", {"subscription": self.subscription})

    def post(self, request, token):
        self.subscription.delete()
        return render(request, "alerts/unsubscribed.html", {"subscription": self.subscription})


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class AlertManageView(View):
    """Every alert of one address (from the signed link in each mail): its frequency, and a
    button to unsubscribe from each."""

    http_method_names = ["get", "post"]

    def dispatch(self, request, token):
        if not Subscription.objects.for_address_key(token).exists():
            return refusal(
                request,
                gettext("This link names no alerts (they may all be unsubscribed)."),
                status=404,
            )
        return super().dispatch(request, token)

    def subscriptions(self):
        return Subscription.objects.for_address_key(self.kwargs["token"]).order_by(
            "created_at", "pk"
        )

    def get(self, request, token, status=200, message=""):
        return render(
            request,
            "alerts/manage.html",
            {
                "subscriptions": self.subscriptions(),
                "frequencies": Frequency.choices,
                "message": message,
            },
            status=status,
        )

    def post(self, request, token):
        form = FrequencyForm(request.POST)
        if not form.is_valid():
            return self.get(request, token, status=400, message=gettext("Choose a frequency."))
        changed = self.subscriptions().filter(pk=form.cleaned_data["subscription"])
        if not changed.update(frequency=form.cleaned_data["frequency"]):
            return self.get(request, token, status=404, message=gettext("No such alert."))
        return self.get(request, token, message=gettext("Saved."))
