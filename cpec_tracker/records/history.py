"""History helpers shared by migrations and the admin."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CASCADE
from django.utils import timezone

from cpec_tracker.records import registry
from cpec_tracker.records.models import Citable, Citation

BASELINE_REASON = "History begins: the record as it stood when history was switched on"


def record_baseline_history(apps, schema_editor):
    """Give every existing tracker row without history a first ("created") history row.

    django-simple-history records a row's state after each save; without this baseline, the
    values a row had before its first tracked edit could never be reverted to.
    """
    now = timezone.now()
    for app_label in registry.tracker_apps():
        for model in apps.get_app_config(app_label).get_models():
            try:
                history_model = apps.get_model(app_label, f"Historical{model.__name__}")
            except LookupError:
                continue
            recorded = history_model.objects.values("id")
            history_model.objects.bulk_create(
                (
                    history_model(
                        **{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields},
                        history_date=now,
                        history_type="+",
                        history_change_reason=BASELINE_REASON,
                    )
                    for row in model.objects.exclude(pk__in=recorded).iterator()
                ),
                batch_size=500,
            )


# A deletion removes the rows it cascades to moments before the record itself.
CASCADE_WINDOW = datetime.timedelta(seconds=30)


def deleted_at(record):
    """When `record` (now gone, or being restored) was last deleted, from its history."""
    deletion = type(record).history.filter(id=record.pk, history_type="-").order_by("-history_date")
    return deletion.values_list("history_date", flat=True).first()


def rows_deleted_with(record, when):
    """The history rows of the rows that the deletion of `record` at `when` took with it."""
    window = {"history_type": "-", "history_date__range": (when - CASCADE_WINDOW, when)}
    candidates = []
    for relation in record._meta.related_objects:
        model = relation.related_model
        if relation.one_to_many and relation.on_delete is CASCADE and hasattr(model, "history"):
            found = model.history.filter(**window, **{relation.field.attname: record.pk})
            candidates.append((model, found))
    if isinstance(record, Citable):
        content_type = ContentType.objects.get_for_model(record)
        found = Citation.history.filter(
            **window, content_type_id=content_type.pk, object_id=record.pk
        )
        candidates.append((Citation, found))
    rows = []
    for model, found in candidates:
        gone = model._default_manager.filter(pk__in=found.values("id"))
        existing = set(gone.values_list("pk", flat=True))
        rows.extend(historical for historical in found if historical.id not in existing)
    return rows


def _references_exist(row):
    return all(
        field.related_model._default_manager.filter(pk=getattr(row, field.attname)).exists()
        for field in row._meta.concrete_fields
        if field.is_relation and getattr(row, field.attname) is not None
    )


def deleted_rows_restore(*, record, when, user):
    """Bring back, as they were, the rows deleted together with `record` (and theirs).

    Returns (restored, skipped): rows put back, and rows left out because something they
    refer to has since been deleted too.
    """
    restored, skipped = [], []
    for historical in rows_deleted_with(record, when):
        row = historical.instance
        if not _references_exist(row):
            skipped.append(row)
            continue
        row._history_user = user
        row._change_reason = f"Restored with {record._meta.verbose_name} “{record}”"
        row.save(force_insert=True)
        restored.append(row)
        more_restored, more_skipped = deleted_rows_restore(record=row, when=when, user=user)
        restored.extend(more_restored)
        skipped.extend(more_skipped)
    return restored, skipped
