"""The admin site: Django's, with the editors' dashboard on its index page."""

from django.contrib import admin

from .dashboard import editors_dashboard


class TrackerAdminSite(admin.AdminSite):
    index_template = "cpec_tracker/admin/index.html"

    def index(self, request, extra_context=None):
        context = {"dashboard": editors_dashboard(self, request), **(extra_context or {})}
        return super().index(request, context)
