from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cpec_tracker.site.seeding import SeedError, load_seed


class Command(BaseCommand):
    help = (
        "Load the seed file's records and citations. Safe to run again: creates what is "
        "missing and never overwrites a record that editors have changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=settings.SEED_FILE, help="Defaults to seeds/seed.toml."
        )

    def handle(self, *args, path, **options):
        try:
            with transaction.atomic():
                report = load_seed(path)
        except SeedError as error:
            raise CommandError(f"{error}\nNothing was written.") from error
        if options["verbosity"] > 1:
            for table_name, counts in report.by_table.items():
                details = ", ".join(f"{outcome} {count}" for outcome, count in counts.items())
                self.stdout.write(f"  {table_name}: {details}")
        self.stdout.write(report.summary())
        # The seeded sources' mentions, for the editors' dashboard (it never finds them itself).
        call_command("store_suggestions", verbosity=0)
