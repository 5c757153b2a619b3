from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site above the apps; an app of its own so that its commands (seed, suggest) load."""

    name = "cpec_tracker.site"
    label = "site"
    verbose_name = "CPEC Tracker site"
