from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cpec_tracker.site import translations


class Command(BaseCommand):
    help = (
        "Bring the Urdu and Chinese catalogues (locale/*/LC_MESSAGES/django.po) up to date with "
        "the strings of the code and templates, compile them, and say how many are translated. "
        "--check changes nothing and fails on any string without a translation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Extract into a copy; exit non-zero listing every untranslated string.",
        )

    def handle(self, *args, check, **options):
        if check:
            results = translations.check()
        else:
            translations.extract(translations.locale_folder())
            call_command("compilemessages", ignore_patterns=translations.IGNORED, verbosity=0)
            results = translations.coverage(translations.locale_folder())
        for result in results:
            self.stdout.write(
                f"translations: {result.locale} {result.translated} of {result.total} translated"
            )
        missing = [result for result in results if result.missing]
        if not missing:
            return
        lines = []
        for result in missing:
            lines.append(f"{len(result.missing)} strings have no {result.locale} translation:")
            lines.extend(f"  {label}" for label in result.missing)
        lines.append(
            "Run `make messages`, then fill in the empty msgstr of each and remove any "
            "`#, fuzzy` mark in locale/<locale>/LC_MESSAGES/django.po (see locale/GLOSSARY.md)."
        )
        if check:
            raise CommandError("\n".join(lines))
        self.stdout.write("\n".join(lines))
