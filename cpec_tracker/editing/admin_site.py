"""The admin site: Django's, with the editors' dashboard on its index page."""

from urllib.parse import unquote, urlsplit

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from cpec_tracker.editing.dashboard import editors_dashboard
from cpec_tracker.web.addresses import page_path


class TrackerAdminSite(admin.AdminSite):
    index_template = "cpec_tracker/admin/index.html"

    def index(self, request, extra_context=None):
        context = {"dashboard": editors_dashboard(self, request), **(extra_context or {})}
        return super().index(request, context)

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        # Django follows any `next` on this host, `/ur//evil.example/` included: a path whose
        # page would link off the site (see page_path), as the server reads it once decoded
        # (`/ur/%5Cevil.example/`). The editor goes to the index instead.
        if isinstance(response, HttpResponseRedirect):
            next_path = unquote(urlsplit(response.url).path)
            if page_path(next_path) != next_path:
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        return response
