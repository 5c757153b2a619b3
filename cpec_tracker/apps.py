from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CpecTrackerConfig(AppConfig):
    name = "cpec_tracker"
    verbose_name = "Sources and vocabulary"

    def ready(self):
        from . import dataversion

        # After every migrate, so tables added by later migrations get their triggers too.
        post_migrate.connect(dataversion.install_triggers, sender=self)
