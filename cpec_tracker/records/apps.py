from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate


class RecordsConfig(AppConfig):
    """Records and their provenance: the label stays "cpec_tracker", the tables' prefix."""

    default = True
    name = "cpec_tracker.records"
    label = "cpec_tracker"
    verbose_name = "Sources and vocabulary"

    def ready(self):
        from cpec_tracker.caching import dataversion, shared_versions
        from cpec_tracker.editing import roles
        from cpec_tracker.records import fulltext, integrity

        # After every migrate: tables added by later migrations get their triggers too, and
        # SQLite drops a table's triggers whenever a migration rebuilds that table.
        post_migrate.connect(dataversion.install_triggers, sender=self)
        # Before it: the triggers that name columns are out of a migration's way.
        pre_migrate.connect(dataversion.set_prose_aside, sender=self)
        post_migrate.connect(fulltext.reinstall_sqlite_triggers, sender=self)
        post_migrate.connect(integrity.install_citation_guard, sender=self)
        # Editors' groups get the permissions of every kind, a kind added since included.
        post_migrate.connect(roles.grant_editors_permissions, sender=self)
        # With Redis keeping the tables' versions, every write through Django drops them on commit.
        connection_created.connect(shared_versions.watch_writes)
