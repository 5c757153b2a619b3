"""History helpers shared by migrations and the admin."""

from django.utils import timezone

from .roles import TRACKER_APPS

BASELINE_REASON = "History begins: the record as it stood when history was switched on"


def record_baseline_history(apps, schema_editor):
    """Give every existing tracker row without history a first ("created") history row.

    django-simple-history records a row's state after each save; without this baseline, the
    values a row had before its first tracked edit could never be reverted to.
    """
    now = timezone.now()
    for app_label in TRACKER_APPS:
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
