"""The interface's translation catalogues: extracting their strings, and what is missing.

`manage.py translations` (what `make messages` runs) brings locale/*/django.po up to date
with the strings of the code and templates and compiles the .mo files the site reads;
`manage.py translations --check` (a test runs it) extracts into a copy and fails on any
string without a translation, so that no English string slips onto the Urdu or Chinese site.
"""

import ast
import gettext
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands import makemessages
from django.utils.translation import to_locale

# What makemessages reads: the project's code and templates, without the editors' admin
# (English only, and translated by Django's own catalogue where it uses Django's words), the
# tests, the benchmark and installed packages.
IGNORED = [
    ".venv",
    "venv",
    "node_modules",
    "staticfiles",
    "tests",
    "bench",
    "test-artifacts",
    "cpec_tracker/records/templates/cpec_tracker/admin",
    "locale",
]


def catalogue_locales():
    """The locales that need a catalogue: every language but the one the code is written in."""
    return [to_locale(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def locale_folder():
    return Path(settings.LOCALE_PATHS[0])


def po_path(folder, locale):
    return Path(folder) / locale / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    """One message of a .po file: its context, singular and plural ids and translations."""

    context: str = ""
    msgid: str = ""
    msgid_plural: str = ""
    translations: dict = field(default_factory=dict)
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def translated(self):
        return (
            not self.fuzzy
            and bool(self.translations)
            and all(text for text in self.translations.values())
        )

    def label(self):
        text = self.msgid + (f" / {self.msgid_plural}" if self.msgid_plural else "")
        return f"[{self.context}] {text}" if self.context else text


def read_po(path):
    """The messages of a .po file, header left out (a small reader: no dependency needed)."""
    entries = []
    entry = Entry()
    key = None
    for raw in Path(path).read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
        if not line:
            if entry.msgid or entry.translations:
                entries.append(entry)
            entry, key = Entry(), None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            entry.fuzzy = True
        if line.startswith("#"):
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            key, value = keyword, ast.literal_eval(rest)
        if key == "msgctxt":
            entry.context += value
        elif key == "msgid":
            entry.msgid += value
        elif key == "msgid_plural":
            entry.msgid_plural += value
        elif key.startswith("msgstr"):
            index = key[len("msgstr[") : -1] if "[" in key else "0"
            entry.translations[index] = entry.translations.get(index, "") + value
    return [entry for entry in entries if entry.msgid and not entry.obsolete]


def read_mo(path):
    """The catalogue of a compiled .mo file, as Python's gettext reads it."""
    with open(path, "rb") as file:
        return gettext.GNUTranslations(file)._catalog


def mo_matches_po(po, mo):
    """Whether the compiled catalogue holds every translated message of the .po file."""
    catalogue = read_mo(mo)
    for entry in read_po(po):
        if not entry.translated:
            continue
        msgid = f"{entry.context}\x04{entry.msgid}" if entry.context else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.translations.items():
                if catalogue.get((msgid, int(index))) != text:
                    return False
        elif catalogue.get(msgid) != entry.translations["0"]:
            return False
    return True


class ExtractInto(makemessages.Command):
    """makemessages writing every catalogue into one locale folder.

    makemessages also adds ./locale to the folders it writes into, and files under the
    project root go to the first folder whose parent holds them: ./locale, whatever
    LOCALE_PATHS says. `--check` would then rewrite the real catalogues and read an untouched
    copy (and pass).
    """

    def __init__(self, folder):
        super().__init__()
        self.folder = str(folder)

    def find_files(self, root):
        self.locale_paths = [self.folder]
        self.default_locale_path = self.folder
        return super().find_files(root)


def extract(folder):
    """Run makemessages for every catalogue locale, writing into `folder`'s locale tree."""
    call_command(
        ExtractInto(folder),
        locale=catalogue_locales(),
        ignore_patterns=IGNORED,
        no_location=True,
        no_obsolete=True,
        verbosity=0,
    )


@dataclass
class Coverage:
    locale: str
    total: int
    missing: list

    @property
    def translated(self):
        return self.total - len(self.missing)


def coverage(folder):
    """For each catalogue locale in `folder`: how many messages, and which lack a translation
    (an empty msgstr, or a fuzzy guess that msgmerge made from a similar string)."""
    results = []
    for locale in catalogue_locales():
        entries = read_po(po_path(folder, locale))
        missing = [entry.label() for entry in entries if not entry.translated]
        results.append(Coverage(locale, len(entries), missing))
    return results


def check():
    """Extract the strings into a copy of the catalogues and say what is untranslated."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "locale"
        shutil.copytree(locale_folder(), copy)
        extract(copy)
        return coverage(copy)
