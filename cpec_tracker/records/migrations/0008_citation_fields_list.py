"""Citation.field (free text) becomes Citation.fields, a list of the record's real fields.

Each comma-separated word of the old text is matched to a citable field of the cited record's
model: as written ("sequence_number", "Sequence number"), or through the words editors used
for it ("place" → city, "when" → date). Words that match no field are kept, verbatim, in the
citation's note, so nothing an editor wrote is lost. History rows are converted the same way.
"""

from django.db import migrations, models

from cpec_tracker.records.models import citable_fields

# Words editors wrote for a field, each with the fields it may stand for, first match wins.
SYNONYMS = {
    "place": ["city", "location", "country", "province"],
    "where": ["city", "location", "country", "province"],
    "venue": ["city", "location"],
    "location": ["location", "city"],
    "when": ["date", "start", "as_of"],
    "day": ["date", "start"],
    "held_on": ["date"],
    "name": ["name", "title"],
    "title": ["title", "title_at_meeting", "name"],
    "office": ["title", "title_at_meeting"],
    "number": ["sequence_number", "value"],
    "sequence": ["sequence_number"],
    "ordinal": ["sequence_number"],
    "series": ["body"],
    "organisation": ["organization", "body"],
    "co_chair": ["role"],
    "co_chairs": ["role"],
    "chair": ["role"],
    "participants": ["role"],
    "attendees": ["role"],
    "theme": ["themes"],
    "focus_areas": ["themes"],
    "agreed": ["text"],
    "outcome": ["text"],
    "figure": ["value"],
    "amount": ["value"],
    "started": ["start"],
    "ended": ["end"],
    "programme": ["parent"],
}
KEPT_NOTE = "Cited fields as first written: {}."


def _key(word):
    return "_".join(word.strip().lower().replace("-", " ").split())


def convert(text, allowed):
    """(fields, unmatched words) for the old free text, given the model's citable fields."""
    names, unmatched = [], []
    labels = {_key(label): name for name, label in allowed}
    allowed_names = {name for name, _ in allowed}
    for word in text.split(","):
        if not word.strip():
            continue
        key = _key(word)
        candidates = [key, labels.get(key), *SYNONYMS.get(key, [])]
        found = next((c for c in candidates if c in allowed_names), None)
        if found is None:
            unmatched.append(word.strip())
        elif found not in names:
            names.append(found)
    return names, unmatched


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    allowed_by_type = {}
    for content_type in ContentType.objects.all():
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            model = None
        allowed_by_type[content_type.pk] = citable_fields(model._meta) if model else []
    for model_name in ["Citation", "HistoricalCitation"]:
        model = apps.get_model("cpec_tracker", model_name)
        for row in model.objects.exclude(field="").iterator():
            names, unmatched = convert(row.field, allowed_by_type.get(row.content_type_id, []))
            note = row.note
            if unmatched:
                kept = KEPT_NOTE.format(", ".join(f"“{word}”" for word in unmatched))
                note = f"{note}\n{kept}" if note else kept
            model.objects.filter(pk=row.pk).update(fields=names, note=note)


def backwards(apps, schema_editor):
    for model_name in ["Citation", "HistoricalCitation"]:
        model = apps.get_model("cpec_tracker", model_name)
        for row in model.objects.exclude(fields=[]).iterator():
            model.objects.filter(pk=row.pk).update(field=", ".join(row.fields)[:100])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("cpec_tracker", "0007_aliases"),
        ("meetings", "0005_aliases"),
        ("projects", "0005_aliases"),
    ]

    operations = [
        migrations.AddField(
            model_name="citation",
            name="fields",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The fields of the record the quote supports; empty for the record as a whole.",
            ),
        ),
        migrations.AddField(
            model_name="historicalcitation",
            name="fields",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The fields of the record the quote supports; empty for the record as a whole.",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="citation", name="field"),
        migrations.RemoveField(model_name="historicalcitation", name="field"),
    ]
