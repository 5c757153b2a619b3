from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """From an article to records: fetching, extraction, suggestions, the reading view."""

    name = "cpec_tracker.intake"
    label = "intake"
    verbose_name = "Source intake"
