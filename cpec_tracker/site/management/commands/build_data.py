"""Build /data/'s files for the current data version now, rather than on the first request."""

from django.core.management.base import BaseCommand

from cpec_tracker.site import datafiles


class Command(BaseCommand):
    help = (
        "Build the dataset files of /data/ for the current data version (nothing to do if "
        "they are built). Run it after an import, or from cron, so no visitor waits."
    )

    def handle(self, *args, **options):
        label = datafiles.current_label()
        already = datafiles.read_build(label) is not None
        build = datafiles.current_build()
        if already:
            self.stdout.write(f"build_data: version {label} already built in {build.folder}")
            return
        self.stdout.write(f"build_data: built version {label} in {build.folder}")
        for entry in build.files:
            rows = "" if entry["rows"] is None else f"{entry['rows']:>9,} rows"
            self.stdout.write(
                f"  {entry['name']:<34} {entry['bytes']:>13,} bytes {rows:>15}"
                f" {entry['build_seconds']:>8.2f} s"
            )
