"""Write every tracker record, citation and history row, with the editors' accounts and groups,
to FILE as JSON with natural keys. Restore it with restore."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cpec_tracker.records.backup import NOT_BACKED_UP, backup_labels


class Command(BaseCommand):
    help = __doc__  # argparse folds its lines into one paragraph

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the JSON backup.")

    def handle(self, *args, file, **options):
        call_command(
            "dumpdata",
            *backup_labels(),
            exclude=NOT_BACKED_UP,
            natural_foreign=True,
            natural_primary=True,
            indent=1,
            output=file,
            verbosity=0,
        )
        self.stdout.write(f"backup: wrote {file}")
