"""List what a source's text mentions: known records, dates, figures with units and names the
tracker does not know yet. Reads only; drafts count too."""

import json

from django.core.management.base import BaseCommand, CommandError

from cpec_tracker.intake.reading import financing_summary
from cpec_tracker.intake.suggestions import suggest
from cpec_tracker.intake.suggestions.figures import decimal_text
from cpec_tracker.records.models import Source


class Command(BaseCommand):
    help = __doc__  # argparse folds its lines into one paragraph

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The source's slug.")
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print JSON: sentences, mentions, dates, figures and candidates, with "
            "character offsets into the source's text.",
        )

    def handle(self, *args, slug, **options):
        source = Source.objects.filter(slug=slug).first()
        if source is None:
            raise CommandError(f"No source has the slug “{slug}”.")
        found = suggest(source)
        if options["json"]:
            self.stdout.write(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
            return
        for sentence in found.sentences:
            items = found.for_sentence(sentence.index)
            if not any(items.values()):
                continue
            self.stdout.write(f"[{sentence.index}] {sentence.text}")
            for mention in items["mentions"]:
                self.stdout.write(
                    f"    mention    {mention.model} {mention.slug or '-'}: “{mention.text}” "
                    f"({mention.start}–{mention.end}) = {mention.label}"
                )
            for date in items["dates"]:
                self.stdout.write(
                    f"    date       {date.value.isoformat()} ({date.precision}): “{date.text}”"
                )
            for figure in items["figures"]:
                self.stdout.write(
                    f"    figure     {decimal_text(figure.value)} {figure.unit}: “{figure.text}”"
                )
            for candidate in items["candidates"]:
                office = f", office “{candidate.office}”" if candidate.office else ""
                self.stdout.write(f"    candidate  {candidate.kind}: “{candidate.name}”{office}")
            for proposal in items["financing"]:
                summary = financing_summary(proposal)
                self.stdout.write(f"    financing  {summary}: “{proposal.text}”")
        self.stdout.write(
            f"suggest: {len(found.sentences)} sentences, {len(found.mentions)} mentions, "
            f"{len(found.dates)} dates, {len(found.figures)} figures, "
            f"{len(found.candidates)} candidates, {len(found.financing)} financing"
        )
