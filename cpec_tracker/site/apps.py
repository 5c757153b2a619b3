from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site above the apps; an app of its own so that its commands (seed, suggest) load."""

    name = "cpec_tracker.site"
    label = "site"
    verbose_name = "CPEC Tracker site"

    def ready(self):
        # Saves ask for a /data/ build once their transaction commits.
        from cpec_tracker.site import datajobs

        datajobs.connect_signals()
