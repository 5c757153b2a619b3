"""Load a backup written by backup into an empty, migrated database: records, citations,
history, editors' accounts and groups, all as they were."""

import json

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import override_settings

from cpec_tracker.records.backup import (
    loaded_data_problems,
    tracker_row_count,
    uncited_published_records_unpublish,
    versioned_models,
)
from cpec_tracker.records.text import remove_control_characters


class Command(BaseCommand):
    help = __doc__  # argparse folds its lines into one paragraph

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON backup written by backup.")
        parser.add_argument(
            "--unpublish-uncited",
            action="store_true",
            help="Import published records that have no citation as drafts (with a history "
            "row saying why) instead of refusing the backup.",
        )

    def handle(self, *args, file, unpublish_uncited, **options):
        existing = tracker_row_count()
        if existing:
            raise CommandError(
                f"This database already holds {existing} tracker rows; restore only loads "
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
            with transaction.atomic():
                with override_settings(SIMPLE_HISTORY_ENABLED=False):
                    call_command("loaddata", file, verbosity=0)
                # Fixtures skip every form and clean(). A backup written before control
                # characters were refused is cleaned as the migration cleaned the database;
                # the citation rules are checked, and any break undoes the whole import.
                cleaned = remove_control_characters(versioned_models(), connection)
                unpublished = uncited_published_records_unpublish() if unpublish_uncited else []
                problems = loaded_data_problems()
                if problems:
                    raise BackupRefused(problems)
        except BackupRefused as refused:
            listed = "\n".join(f"- {problem}" for problem in refused.args[0])
            hint = (
                "\n(--unpublish-uncited imports published records without a citation as drafts.)"
                if any("has no citation" in problem for problem in refused.args[0])
                else ""
            )
            raise CommandError(
                f"{file} breaks the tracker's rules; nothing was imported:\n{listed}{hint}"
            ) from refused
        except DatabaseError as error:
            raise CommandError(
                f"{file} could not be loaded: {error}. Nothing was imported."
            ) from error
        self.stdout.write(f"restore: loaded {count} objects from {file}")
        if cleaned:
            self.stdout.write(f"  removed control characters from the text of {cleaned} rows")
        for record in unpublished:
            name = record._meta.verbose_name
            self.stdout.write(f"  unpublished the {name} “{record.slug}”: it has no citation")


class BackupRefused(Exception):
    """Loaded data that breaks the tracker's rules; the transaction is rolled back."""
