from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CpecTrackerConfig(AppConfig):
    name = "cpec_tracker"
    verbose_name = "Sources and vocabulary"

    def ready(self):
        from . import dataversion, fulltext, integrity

        # After every migrate: tables added by later migrations get their triggers too, and
        # SQLite drops a table's triggers whenever a migration rebuilds that table.
        post_migrate.connect(dataversion.install_triggers, sender=self)
        post_migrate.connect(fulltext.reinstall_sqlite_triggers, sender=self)
        post_migrate.connect(integrity.install_citation_guard, sender=self)
