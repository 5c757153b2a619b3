from django.apps import AppConfig


class CpecTrackerConfig(AppConfig):
    name = "cpec_tracker"
    verbose_name = "Sources and vocabulary"
