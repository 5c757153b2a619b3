import json

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.test.utils import override_settings

from cpec_tracker.backup import loaded_data_problems, tracker_row_count


class Command(BaseCommand):
    help = (
        "Load a backup written by export_data into an empty, migrated database: records, "
        "citations, history, editors' accounts and groups, all as they were."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON backup written by export_data.")

    def handle(self, *args, file, **options):
        existing = tracker_row_count()
        if existing:
            raise CommandError(
                f"This database already holds {existing} tracker rows; import_data only loads "
                "into an empty one (run `manage.py migrate` on a new database first). "
                "Nothing was changed."
            )
        try:
            with open(file, encoding="utf-8") as backup:
                count = len(json.load(backup))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}. Nothing was changed.") from error
        # The backup holds the history rows themselves; loading must not write new ones (as
        # setting many-to-many relations otherwise would).
        try:
            with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", file, verbosity=0)
                # Fixtures skip every form and clean(): the rules are checked on what was
                # loaded, and any break undoes the whole import.
                problems = loaded_data_problems()
                if problems:
                    raise BackupRefused(problems)
        except BackupRefused as refused:
            listed = "\n".join(f"- {problem}" for problem in refused.args[0])
            raise CommandError(
                f"{file} breaks the tracker's rules; nothing was imported:\n{listed}"
            ) from refused
        except DatabaseError as error:
            raise CommandError(
                f"{file} could not be loaded: {error}. Nothing was imported."
            ) from error
        self.stdout.write(f"import_data: loaded {count} objects from {file}")


class BackupRefused(Exception):
    """Loaded data that breaks the tracker's rules; the transaction is rolled back."""
