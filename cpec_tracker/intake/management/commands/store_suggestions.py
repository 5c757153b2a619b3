from django.core.management.base import BaseCommand

from cpec_tracker.intake.services import source_suggestions_store
from cpec_tracker.records.models import Source

# Sources read per load of the records' names.
BATCH_SIZE = 50


class Command(BaseCommand):
    help = (
        "Store with each source its sentences and the known records its text mentions, which "
        "the editors' dashboard lists: for the sources without them for their text and date, "
        "or with --all for every source (to find records added since). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Find them again for every source, not only those without any.",
        )

    def handle(self, *args, **options):
        sources = Source.objects.order_by("pk").only(
            "pk", "text", "published_on", "sentence_spans", "mentioned_records"
        )
        stored = unchanged = 0
        batch = []
        for source in sources.iterator(chunk_size=BATCH_SIZE):
            if options["all"] or source.stored_mentions() is None:
                batch.append(source)
            else:
                unchanged += 1
            if len(batch) == BATCH_SIZE:
                stored += source_suggestions_store(sources=batch)
                batch = []
        if batch:
            stored += source_suggestions_store(sources=batch)
        if options["verbosity"] > 0:
            self.stdout.write(f"store_suggestions: stored {stored}, unchanged {unchanged}")
