"""The shared vocabulary: organizations and themes, and the name fields records share
(aliases, a Wikidata id)."""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cpec_tracker.records.columns import column_property
from cpec_tracker.records.models.base import Record, published_list_indexes
from cpec_tracker.records.names import CHINESE, URDU, Multilingual, translated_field


def clean_aliases(text, *, names=()):
    """One alias per line: spacing folded, blank lines, repeats and the record's own names
    dropped (case-insensitively), first spelling kept."""
    seen = {" ".join(name.split()).casefold() for name in names if name}
    aliases = []
    for line in (text or "").splitlines():
        alias = " ".join(line.split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    return "\n".join(aliases)


def aliases_field():
    """The `aliases` field of an `Aliased` model, declared after its name so forms show it
    there.

    A text field, one alias per line, rather than a child table: an alias has no facts or
    citations of its own, so it is edited, versioned (history), exported and full-text indexed
    with its record, in the same form and row, and search needs no extra join.
    """
    return models.TextField(
        blank=True,
        help_text=_(
            "Other names and spellings it is known by, one per line (“C-5”, “Chashma-5”). "
            "Used by search and by the suggestions on sources."
        ),
    )


def wikidata_id_field(help_text=None):
    """The `wikidata_id` field of a record Wikidata describes too (an official, an
    organization, a project): its item id, "Q" and digits. Pages link to the item; the API
    gives the id and the JSON-LD `sameAs` the item's address (WIKIDATA_ITEM_URL)."""
    return models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q12345.")],
        help_text=help_text or _("Its Wikidata item, e.g. Q12345; empty if none is known."),
    )


WIKIDATA_ITEM_URL = "https://www.wikidata.org/wiki/{}"


class Aliased(models.Model):
    """A record known by other names too: other spellings and short names ("C-5", "FS Baloch").
    The model declares `aliases = aliases_field()`."""

    # The fields that hold the record's own name: an alias repeating one of them is dropped.
    name_fields = ("name",)

    class Meta:
        abstract = True

    @column_property("aliases")
    def alias_list(aliases):
        """The aliases as a list, one a line of `aliases`."""
        return [alias for alias in aliases.splitlines() if alias.strip()]

    @property
    def names(self):
        """The record's name, other name fields and aliases: everything it is found by."""
        own = [getattr(self, field) for field in self.name_fields]
        return [name for name in own if name] + self.alias_list

    def clean(self):
        super().clean()
        self.aliases = clean_aliases(
            self.aliases, names=[getattr(self, field) for field in self.name_fields]
        )


# Small words that end a part of a name ("Joint Working Group | on | International …"): each
# part gives its own letters, the parts joined by a hyphen as in "JWG-ICC".
NAME_PART_BREAKS = {"of", "on", "for", "the", "in", "to", "at", "by", "with", "from"}
# Small words inside a part that give no letter ("Cooperation and Coordination": CC).
NAME_PART_FILLERS = {"and"}
# An abbreviation shorter than this would match too much ("KP" is also Khyber Pakhtunkhwa).
ABBREVIATION_MIN_LETTERS = 3
ABBREVIATION_MAX_LETTERS = 10


def derive_abbreviations(name):
    """The abbreviations a name gives by its capitalised words' initials, with and without a
    hyphen between its parts: "CPEC Joint Working Group on International Cooperation and
    Coordination" gives "JWG-ICC" and "JWGICC"; "China-Pakistan Economic Corridor" "CPEC".

    Words in capitals are abbreviations already (kept out: "CPEC Joint Working Group" is the
    JWG), as is whatever stands in brackets; lower-case words and numbers give no letter.
    Names that give fewer than three letters give none.
    """
    parts, letters = [], []
    for word in re.findall(r"[^\W_]+", re.sub(r"\([^)]*\)", " ", name or "")):
        if word.casefold() in NAME_PART_BREAKS:
            parts.append("".join(letters))
            letters = []
        elif (
            word.casefold() not in NAME_PART_FILLERS
            and word[0].isupper()
            and not (len(word) > 1 and word.isupper())
        ):
            letters.append(word[0])
    parts = [part for part in [*parts, "".join(letters)] if part]
    if len(parts) > 1:
        # "Embassy of China in Pakistan" is no "ECP" (the Election Commission of Pakistan's):
        # a one-word part of a longer name is not abbreviated.
        parts = [part for part in parts if len(part) > 1]
    joined = "".join(parts)
    if not ABBREVIATION_MIN_LETTERS <= len(joined) <= ABBREVIATION_MAX_LETTERS:
        return []
    return list(dict.fromkeys(["-".join(parts), joined]))


class Abbreviated(models.Model):
    """A record whose name gives abbreviations (`derive_abbreviations`), kept beside its
    aliases so that search finds "JWG-ICC" where editors typed only the long name."""

    # The field the abbreviations are derived from.
    abbreviated_field = "name"

    abbreviations = models.TextField(
        blank=True,
        editable=False,
        help_text=_("Abbreviations derived from the name, one per line; used by search."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Derived from this row's own name only, so it is kept in step on every save.
        self.abbreviations = "\n".join(derive_abbreviations(getattr(self, self.abbreviated_field)))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "abbreviations"}
        super().save(*args, **kwargs)


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    MINISTRY = "ministry", _("Ministry")
    EMBASSY = "embassy", _("Embassy")
    WORKING_GROUP = "working_group", _("Working group")
    COMMITTEE = "committee", _("Committee")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


class Organization(Multilingual, Aliased, Abbreviated, Record):
    """A ministry, embassy, working group, committee or company."""

    name = models.CharField(
        max_length=200,
        help_text=_("Its full name."),
    )
    name_ur = translated_field(URDU, max_length=200, label="Name")
    name_zh_hans = translated_field(CHINESE, max_length=200, label="Name")
    short_name = models.CharField(max_length=50, blank=True, help_text=_("e.g. JWG-ICC"))
    aliases = aliases_field()
    kind = models.CharField(
        max_length=20,
        choices=OrganizationKind.choices,
        help_text=_("What kind of organization it is."),
    )
    country = CountryField(blank=True, help_text=_("Leave empty for bilateral bodies."))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_(
            "The organization it is part of (a working group's committee, a ministry's government)."
        ),
    )
    description = models.TextField(
        blank=True,
        help_text=_("What it is and does, in a few sentences."),
    )
    wikidata_id = wikidata_id_field()

    search_fields = ["name", "short_name", "aliases", "abbreviations", "description"]
    native_search_fields = ["name_ur", "name_zh_hans", "aliases"]
    name_fields = ("name", "name_ur", "name_zh_hans", "short_name")

    class Meta:
        ordering = ["name"]
        indexes = published_list_indexes("organization", ["name"], filters=["kind", "country"])

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class ThemeKind(models.TextChoices):
    CORRIDOR = "corridor", _("CPEC 2.0 corridor")
    FOCUS_AREA = "focus_area", _("Focus area")
    FIVE_ES = "five_es", _("Pakistan's five Es")
    OTHER = "other", _("Other")


class Theme(Multilingual, Record):
    """A focus area or framework: a CPEC 2.0 corridor, a focus area, one of the five Es."""

    name = models.CharField(
        max_length=100,
        help_text=_("The theme's name, e.g. “Green corridor”."),
    )
    name_ur = translated_field(URDU, max_length=100, label="Name")
    name_zh_hans = translated_field(CHINESE, max_length=100, label="Name")
    kind = models.CharField(
        max_length=20,
        choices=ThemeKind.choices,
        help_text=_("Which framework the theme belongs to."),
    )
    description = models.TextField(
        blank=True,
        help_text=_("What the theme covers."),
    )

    search_fields = ["name", "description"]
    native_search_fields = ["name_ur", "name_zh_hans"]

    class Meta:
        ordering = ["kind", "name"]
        indexes = published_list_indexes("theme", ["kind", "name"], orderings=["name"])

    def __str__(self):
        return self.name
