"""What a backup holds: every tracker record with its history, and the accounts behind it."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from cpec_tracker.records import registry
from cpec_tracker.records.models import (
    LAST_CITATION_RULE,
    Citable,
    Citation,
    PublicationStatus,
    Record,
    Versioned,
    citable_models,
)

# Groups and users come first so records and history rows can name them by natural key.
# Permissions and content types are not exported: migrations create them, and the file
# names them by natural key (app label and model), so ids may differ between databases.
# Bookkeeping, not records: the page cache's data version is rewritten by every import anyway.
# Readers' reports hold their emails, which leave the database by no export: the database's
# own copies (sqlite3 .backup, pg_dump) keep them.
NOT_BACKED_UP = [
    "cpec_tracker.DataVersion",
    "cpec_tracker.TableVersion",
    "cpec_tracker.ErrorReport",
]


def backup_labels():
    """What a backup holds, in the order it is loaded back."""
    # The review's pending changes after the records they name; they are the editors' work
    # in progress, kept like the rest.
    return ["auth.group", "auth.user", *registry.tracker_apps(), "editing", "admin.logentry"]


def tracker_row_count():
    """How many tracker rows (records, child rows, citations, history) the database holds."""
    return sum(
        model._default_manager.count()
        for label in registry.tracker_apps()
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in NOT_BACKED_UP
    )


def loaded_data_problems(limit=10):
    """What the tracker's rules forbid in loaded data (a backup edited by hand, or written
    before a rule held on every path), as messages naming each row, at most `limit` of them:
    citations of rows that are not citable or do not exist, published records without a
    citation."""
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
    for model in citable_models():
        if issubclass(model, Record):
            problems += [
                f"the published {model._meta.verbose_name} “{record.slug}” has no citation "
                f"({LAST_CITATION_RULE.lower()})."
                for record in model._default_manager.published().uncited()[:limit]
            ]
    return problems[:limit]


def versioned_models():
    return [
        model
        for label in registry.tracker_apps()
        for model in apps.get_app_config(label).get_models()
        if issubclass(model, Versioned)
    ]


def uncited_published_records_unpublish():
    """Turn the published records that have no citation back into drafts, each with a history
    row saying why; returns them."""
    unpublished = []
    for model in citable_models():
        if issubclass(model, Record):
            for record in model._default_manager.published().uncited():
                record.publication_status = PublicationStatus.DRAFT
                record._change_reason = "Unpublished on import: it has no citation"
                record.save()
                unpublished.append(record)
    return unpublished
