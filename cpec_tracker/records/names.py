"""Names and titles in the languages of the corridor: English, Urdu and Simplified Chinese.

A record's English name stays in its own field (`name`, or `title` for meetings and
projects); the Urdu and Chinese ones sit beside it in plain columns (`name_ur`,
`name_zh_hans`). Plain columns rather than django-modeltranslation or django-parler: they are
ordinary fields of the record, so the machinery every other fact goes through covers them
with no extra code — history and revert (django-simple-history), the version check that
refuses a stale save, the control-character check, the citable-field list a citation picks
from, the backup, the seed loader and the full-text index. Three languages are fixed by the
corridor; a new one is a migration, as any new fact is.

Where a record has no name in the reader's language, the English one stands in, and says so
(`LocalName.is_fallback`), so pages can mark it `lang="en"` for screen readers.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import get_language

ENGLISH = "en"
URDU = "ur"
CHINESE = "zh-hans"
# The languages a record's name is kept in, English (the sources' language) first.
NAME_LANGUAGES = (ENGLISH, URDU, CHINESE)
# The suffix of each language's column: `name` + `_zh_hans`.
FIELD_SUFFIXES = {ENGLISH: "", URDU: "_ur", CHINESE: "_zh_hans"}
# What the admin calls each language, and how HTML names it (BCP 47: the script is explicit).
LANGUAGE_LABELS = {ENGLISH: "English", URDU: "Urdu", CHINESE: "Chinese (Simplified)"}
HTML_LANG = {ENGLISH: "en", URDU: "ur", CHINESE: "zh-Hans"}
RIGHT_TO_LEFT = {URDU}


def name_language(code=None):
    """The name language for a Django language code (the active one by default): "ur-pk" is
    Urdu, every Chinese code is Simplified Chinese, anything else English."""
    code = (code if code is not None else get_language() or ENGLISH).lower()
    if code == URDU or code.startswith(f"{URDU}-"):
        return URDU
    if code == "zh" or code.startswith("zh-"):
        return CHINESE
    return ENGLISH


def translated_field(language, *, max_length, label):
    """The column of a record's name or title in `language` ("Name in Urdu"); may be blank."""
    return models.CharField(
        f"{label} in {LANGUAGE_LABELS[language]}",
        max_length=max_length,
        blank=True,
        help_text=f"As written in {LANGUAGE_LABELS[language]} by a source you cite for it; "
        "leave empty if none gives it.",
    )


@dataclass(frozen=True)
class LocalName:
    """A record's name in one language, and the language it is actually in."""

    text: str
    language: str
    wanted: str

    @property
    def is_fallback(self):
        return self.language != self.wanted

    @property
    def html_lang(self):
        return HTML_LANG[self.language]

    @property
    def direction(self):
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"

    def __str__(self):
        return self.text


class Multilingual(models.Model):
    """A record whose name (or title) is kept in each of `NAME_LANGUAGES`.

    The model declares `<base>_ur` and `<base>_zh_hans` with `translated_field`, after its
    English `<base>` field, and names the base in `translated_name`.
    """

    translated_name = "name"

    class Meta:
        abstract = True

    @classmethod
    def translated_fields(cls):
        """{language: column}: {"en": "title", "ur": "title_ur", "zh-hans": "title_zh_hans"}."""
        return {
            language: f"{cls.translated_name}{suffix}"
            for language, suffix in FIELD_SUFFIXES.items()
        }

    @property
    def names_by_language(self):
        """{"en": …, "ur": … or None, "zh-hans": … or None}: what the API calls `names`."""
        return {
            language: getattr(self, field) or None
            for language, field in self.translated_fields().items()
        }

    def name_in(self, language=None):
        """The name in `language` (the active language by default), else the English one."""
        wanted = name_language(language)
        names = self.names_by_language
        if names[wanted]:
            return LocalName(names[wanted], wanted, wanted)
        return LocalName(names[ENGLISH] or "", ENGLISH, wanted)

    @property
    def local_name(self):
        return self.name_in()

    def other_names(self, language=None):
        """The names in the languages other than `language`'s that the record has:
        [LocalName], for showing a record's name in every script it is known by."""
        shown = self.name_in(language).language
        return [
            LocalName(text, other, other)
            for other, text in self.names_by_language.items()
            if text and other != shown
        ]
