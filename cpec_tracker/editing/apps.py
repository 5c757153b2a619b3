from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class EditingConfig(AppConfig):
    """The editors' workflow: pending changes and their review. Its tables are not the
    tracker's records (nothing public reads them), so it is an app of its own."""

    default = True
    name = "cpec_tracker.editing"
    label = "editing"
    verbose_name = "Review"


class TrackerAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the tracker's admin site (the editors' dashboard on its index)."""

    default = False
    default_site = "cpec_tracker.editing.admin_site.TrackerAdminSite"
