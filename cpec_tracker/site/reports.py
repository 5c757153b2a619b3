"""Readers report an error or a missing source on a record's page, without an account.

Record pages are page-cached, so the form has its own address (/report/<kind>/<slug>/),
never cached: it carries a CSRF token. Only a published record of a kind with pages can be
reported; anything else is a 404. What a reader sends is checked before anything is stored:

- the request body's size (before the CSRF check reads it), then CSRF;
- a rate limit per client address, counted in the shared cache (every app server sees the
  same count; while the cache is down it is not enforced, as the API's throttle);
- a honeypot field, hidden from people: a request that fills it is answered as if accepted
  and stores nothing;
- the form: what is wrong (required, plain text, at most 2,000 characters), an optional http(s)
  address and an optional email.

After a report is stored the reader is redirected to a thank-you page (so a reload does not
send it twice). The email is for editors only: no page, API answer or data file shows it.
"""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.validators import URLValidator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView, TemplateView

from cpec_tracker.records import registry
from cpec_tracker.records.models import ErrorReport
from cpec_tracker.records.models.reports import SOURCE_URL_MAX_LENGTH, WHAT_IS_WRONG_MAX_LENGTH
from cpec_tracker.web.security import (
    RATE_WINDOW_SECONDS,
    body_size,
    client_ip,
    count_request,
    over_rate_limit,
)

# Reports one client address may send in an hour (RATE_WINDOW_SECONDS).
REPORTS_PER_HOUR = 5
# The largest request body the form reads: its longest valid answer percent-encoded (up to 9
# bytes for a Chinese or Urdu letter: 3 UTF-8 bytes, each sent as %XX) fits with room to spare.
MAX_BODY_BYTES = 32 * 1024
# The honeypot's name: one a form filler fills in, a person never sees.
HONEYPOT = "website"


def reportable_kinds():
    """{kind's name: kind} of the kinds with public pages (meetings, officials, projects…),
    addressed by slug: a financing commitment, addressed by id, is reported on its project."""
    return {
        kind.name: kind
        for kind in registry.record_kinds()
        if kind.pages and registry.addressed_by_slug(kind.model)
    }


def published_record(kind_name, slug):
    """The published record at /<kind_name>/<slug>/, or a 404."""
    kind = reportable_kinds().get(kind_name)
    record = kind and kind.model.objects.published().filter(slug=slug).first()
    if not record:
        raise Http404(_("There is no such record to report on."))
    return kind, record


def rate_limits(request):
    return [(f"cpec-report-rate:{client_ip(request)}", REPORTS_PER_HOUR)]


class ErrorReportForm(forms.ModelForm):
    """What a reader may send: the model's fields, with visitors' words for them."""

    what_is_wrong = forms.CharField(
        label=_("What is wrong, or which source is missing?"),
        max_length=WHAT_IS_WRONG_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text, at most 2,000 characters."),
        error_messages={"required": _("Say what is wrong, or which source is missing.")},
    )
    source_url = forms.URLField(
        label=_("Address of a source (optional)"),
        max_length=SOURCE_URL_MAX_LENGTH,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": _("Enter the full address of a web page, starting http.")},
    )
    email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        help_text=_("Only if you want an answer. It is never shown publicly."),
    )
    # Hidden from people by the page's style sheet; see HONEYPOT.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = ErrorReport
        fields = ["what_is_wrong", "source_url", "email"]


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class ErrorReportView(FormView):
    """The form to report an error or a missing source on one published record."""

    template_name = "cpec_tracker/report_form.html"
    form_class = ErrorReportForm
    http_method_names = ["get", "head", "post"]

    def dispatch(self, request, *args, kind, slug, **kwargs):
        self.kind, self.record = published_record(kind, slug)
        if request.method == "POST":
            # Checked before CSRF, which reads the body (up to Django's far larger limit).
            if body_size(request) > MAX_BODY_BYTES:
                return self.refusal(_("This report is too large to be read."), status=413)
            return csrf_protect(super().dispatch)(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if over_rate_limit(rate_limits(request)):
            response = self.refusal(
                _(
                    "You have sent %(count)s reports in the last hour, the most we take from "
                    "one address. Please try again in an hour."
                )
                % {"count": REPORTS_PER_HOUR},
                status=429,
            )
            response["Retry-After"] = str(RATE_WINDOW_SECONDS)
            return response
        if request.POST.get(HONEYPOT):
            count_request(rate_limits(request))
            return HttpResponseRedirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        report = ErrorReport(
            content_type=ContentType.objects.get_for_model(self.kind.model),
            object_id=self.record.pk,
            record_kind=self.kind.name,
            record_slug=self.record.slug,
            language=get_language(),
        )
        return {**super().get_form_kwargs(), "instance": report}

    def form_valid(self, form):
        form.save()
        count_request(rate_limits(self.request))
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self):
        return reverse("report-sent", args=[self.kind.name, self.record.slug])

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)

    def refusal(self, message, *, status):
        return render(
            self.request,
            "cpec_tracker/report_form.html",
            {"record": self.record, "refusal": message},
            status=status,
        )


class ErrorReportSentView(TemplateView):
    """Thanks, after a report is sent (a redirect, so a reload sends nothing again)."""

    template_name = "cpec_tracker/report_sent.html"

    def get_context_data(self, *, kind, slug, **kwargs):
        _kind, record = published_record(kind, slug)
        return super().get_context_data(record=record, **kwargs)
