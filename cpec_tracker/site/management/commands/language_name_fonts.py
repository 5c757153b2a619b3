from cpec_tracker.site import language_name_fonts
from cpec_tracker.site.management.generated_files import GeneratedFilesCommand


class Command(GeneratedFilesCommand):
    help = (
        "Write the language switcher's fonts (cpec_tracker/site/static/cpec_tracker/fonts/"
        "language-names/): the vendored Nastaliq and Noto Sans SC cut down to the letters of "
        "the languages' names; and the Chinese interface's (fonts/noto-sans-sc-interface/): "
        "Noto Sans SC cut down to the characters of the zh_Hans catalogue, the templates and "
        "Latin. Needs fontTools and brotli (the dev extra). --check changes nothing and fails "
        "when a file differs from what it would write."
    )

    def files(self):
        return language_name_fonts.subsets()
