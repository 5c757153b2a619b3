"""The data dictionary: every published field with its type and meaning, every choice defined.

Generated from the models, so a new field shows up by itself: its meaning is the field's
`help_text` (or its verbose name), its type the column type the downloads give it. The choice
definitions are declared with each kind (its app's `kinds.py`), one line each; a choice
without one fails a test.
Project statuses follow the status categories of Global Energy Monitor's trackers, which
researchers of infrastructure already use (`GEM_SOURCES` below; the page cites them).
"""

from django.db import models
from django.utils.text import capfirst

from cpec_tracker.records import registry

# Where the project statuses' definitions come from (paraphrased, not quoted).
GEM_SOURCES = [
    {
        "title": "Global Energy Monitor, Global Gas Plant Tracker: Methodology (status categories)",
        "url": "https://globalenergymonitor.org/projects/global-gas-plant-tracker/methodology/",
    },
    {
        "title": "Global Energy Monitor, Global Oil and Gas Plant Tracker: Frequently asked "
        "questions (what the colored dots mean)",
        "url": "https://globalenergymonitor.org/projects/global-oil-gas-plant-tracker/"
        "frequently-asked-questions/",
    },
    {
        "title": "Global Energy Monitor, Global Solar Power Tracker: Methodology (status "
        "categories)",
        "url": "https://globalenergymonitor.org/projects/global-solar-power-tracker/methodology/",
    },
]


def choice_definitions():
    """{TextChoices class: {value: definition}}, as each kind declares them (the registry)."""
    return {choice_set.choices: choice_set.definitions for choice_set in registry.choice_sets()}


# The column type each kind of model field is given in the CSV, SQLite and data package.
NUMBER_FIELDS = (models.DecimalField, models.FloatField)
INTEGER_FIELDS = (models.IntegerField, models.BigAutoField, models.AutoField)


def field_type(field):
    """A Frictionless (Table Schema) type: string, integer, number, date or datetime."""
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, NUMBER_FIELDS):
        return "number"
    if isinstance(field, INTEGER_FIELDS):
        return "integer"
    return "string"


def field_description(field):
    """What a field means: its help text, else its verbose name, in a sentence."""
    text = str(field.help_text or "").strip()
    if not text:
        text = capfirst(str(field.verbose_name)) + "."
    return text


def choices_of(field):
    """The TextChoices class of a field with choices, found by its values."""
    values = {value for value, _label in field.choices or []}
    for choices in choice_definitions():
        if set(choices.values) == values:
            return choices
    return None


def choice_rows(choices):
    """[{value, label, definition}] of one choice set, in its own order."""
    definitions = choice_definitions()[choices]
    return [
        {"value": value, "label": label, "definition": definitions[value]}
        for value, label in choices.choices
    ]
