from django.contrib.admin import apps as admin_apps


class TrackerAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the tracker's admin site (the editors' dashboard on its index)."""

    default = False
    default_site = "cpec_tracker.editing.admin_site.TrackerAdminSite"
