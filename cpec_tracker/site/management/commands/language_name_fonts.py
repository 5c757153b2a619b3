from django.core.management.base import BaseCommand

from cpec_tracker.site import language_name_fonts


class Command(BaseCommand):
    help = (
        "Write the language switcher's fonts (cpec_tracker/site/static/cpec_tracker/fonts/"
        "language-names/): the vendored Nastaliq and Noto Sans SC cut down to the letters of "
        "the languages' names; and the Chinese interface's (fonts/noto-sans-sc-interface/): "
        "Noto Sans SC cut down to the characters of the zh_Hans catalogue, the templates and "
        "Latin. Needs fontTools and brotli (the dev extra). --check changes nothing and fails "
        "when a file differs from what it would write."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Exit non-zero if a file is out of date."
        )

    def handle(self, *args, check, **options):
        stale, written, unchanged = [], [], []
        for path, data in language_name_fonts.subsets().items():
            if path.exists() and path.read_bytes() == data:
                unchanged.append(path.name)
                continue
            stale.append(path.name)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                written.append(f"{path.name} ({len(data)} bytes)")
        if check:
            if stale:
                self.stderr.write(
                    f"language_name_fonts: out of date: {', '.join(stale)}; "
                    "run manage.py language_name_fonts"
                )
                raise SystemExit(1)
            self.stdout.write(f"language_name_fonts: {len(unchanged)} files up to date")
            return
        self.stdout.write(
            f"language_name_fonts: wrote {', '.join(written) or 'nothing'}; "
            f"unchanged {len(unchanged)}"
        )
