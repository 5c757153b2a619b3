"""Visitors' words for kinds of record and their fields, in the active language.

The models' own verbose names are English and live in their migrations; translating them
there would rewrite every app's migration history, so the public pages and feeds read the
words each kind declares in the registry (its `label` and `field_labels`), falling back to
the model's English for anything not declared. The English words are the models' own, so
English pages read as they always have.
"""

from django.utils.text import capfirst

from cpec_tracker.records import registry


def record_kind(record):
    """What `record` is, lower-case, in the active language: "meeting", "key figure"."""
    name = record._meta.model_name
    return registry.record_labels().get(name, record._meta.verbose_name)


def field_label(model, name):
    """Visitors' word for `model`'s field `name` in the active language, as `model`'s kind
    means it ("Title" of an office is not that of a document); None if no kind declares one."""
    return registry.field_labels(model).get(name)


def cited_field_labels(citation):
    """The fields `citation` supports, in words of the active language: ["Date", "City"]."""
    english = dict(zip(citation.fields or [], citation.field_labels, strict=False))
    model = citation.record_model
    labels = registry.field_labels(model) if model else {}
    return [capfirst(labels.get(name, english.get(name, name))) for name in citation.fields or []]
