from cpec_tracker.site import map_outlines
from cpec_tracker.site.management.generated_files import GeneratedFilesCommand


class Command(GeneratedFilesCommand):
    help = (
        "Write the map's base layer (cpec_tracker/site/static/cpec_tracker/map/outlines.json): "
        "the vendored world-atlas country outlines cropped to the corridor and simplified. "
        "--check changes nothing and fails when the file differs from what it would write."
    )

    def files(self):
        return {map_outlines.OUTLINES: map_outlines.outlines_text().encode("utf-8")}
