from django.core.management.base import BaseCommand

from cpec_tracker.site import map_outlines


class Command(BaseCommand):
    help = (
        "Write the map's base layer (cpec_tracker/site/static/cpec_tracker/map/outlines.json): "
        "the vendored world-atlas country outlines cropped to the corridor and simplified. "
        "--check changes nothing and fails when the file differs from what it would write."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Exit non-zero if the file is out of date."
        )

    def handle(self, *args, check, **options):
        text = map_outlines.outlines_text()
        path = map_outlines.OUTLINES
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if check:
            if current != text:
                self.stderr.write(
                    f"map_outlines: {path} is out of date; run manage.py map_outlines"
                )
                raise SystemExit(1)
            self.stdout.write(f"map_outlines: {path.name} is up to date")
            return
        if current == text:
            self.stdout.write(f"map_outlines: {path.name} unchanged ({len(text.encode())} bytes)")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"map_outlines: wrote {path.name} ({len(text.encode())} bytes)")
