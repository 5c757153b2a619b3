"""What a backup holds: every tracker record with its history, and the accounts behind it."""

from django.apps import apps

from .roles import TRACKER_APPS

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
