"""What a backup holds: every tracker record with its history, and the accounts behind it."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections

from .models import (
    Citable,
    Citation,
    Record,
    Versioned,
    citable_models,
    last_citation_message,
)
from .roles import TRACKER_APPS
from .text import holds_control_characters

# Groups and users come first so records and history rows can name them by natural key.
# Permissions and content types are not exported: migrations create them, and the file
# names them by natural key (app label and model), so ids may differ between databases.
BACKUP_LABELS = ["auth.group", "auth.user", *TRACKER_APPS, "admin.logentry"]
# Bookkeeping, not records: the page cache's data version is rewritten by every import anyway.
NOT_BACKED_UP = ["cpec_tracker.DataVersion"]


def tracker_row_count():
    """How many tracker rows (records, child rows, citations, history) the database holds."""
    return sum(
        model._default_manager.count()
        for label in TRACKER_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in NOT_BACKED_UP
    )


def loaded_data_problems(limit=10):
    """What the tracker's rules forbid in loaded data (a backup edited by hand, or written by
    an older release), as messages naming each row, at most `limit` of them: citations of
    rows that are not citable or do not exist, and published records without a citation."""
    problems = []
    content_types = Citation.objects.order_by().values_list("content_type", flat=True).distinct()
    for content_type in ContentType.objects.filter(pk__in=content_types):
        model = content_type.model_class()
        citations = Citation.objects.filter(content_type=content_type)
        if model is None or not issubclass(model, Citable):
            problems += [
                f"citation {pk} supports a {content_type.name}, which cannot be cited."
                for pk in citations.values_list("pk", flat=True)[:limit]
            ]
            continue
        orphans = citations.exclude(object_id__in=model._default_manager.values("pk"))
        problems += [
            f"citation {pk} supports {model._meta.verbose_name} {object_id}, which does not exist."
            for pk, object_id in orphans.values_list("pk", "object_id")[:limit]
        ]
    for model in versioned_models():
        at_fault = holds_control_characters(model, connections[DEFAULT_DB_ALIAS].vendor)
        problems += [
            f"{model._meta.verbose_name} {pk} holds a control character or a line break "
            "where none may be; see “Editors and chief editors” in the README."
            for pk in model._default_manager.filter(at_fault).values_list("pk", flat=True)[:limit]
        ]
    for model in citable_models():
        if issubclass(model, Record):
            problems += [
                f"{model._meta.verbose_name} “{record.slug}”: {last_citation_message(record)}"
                for record in model._default_manager.published().uncited()[:limit]
            ]
    return problems[:limit]


def versioned_models():
    return [
        model
        for label in TRACKER_APPS
        for model in apps.get_app_config(label).get_models()
        if issubclass(model, Versioned)
    ]
