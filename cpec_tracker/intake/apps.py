from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """From an article to records: fetching, extraction, suggestions, the reading view."""

    name = "cpec_tracker.intake"
    label = "intake"
    verbose_name = "Source intake"

    def ready(self):
        from cpec_tracker.editing.review import change_applied

        change_applied.connect(store_approved_sources_mentions, dispatch_uid="intake-mentions")


def store_approved_sources_mentions(sender, *, rows, **kwargs):
    """A source's new text or date, once approved, has its mentions found and stored, as the
    admin does when it saves a draft's (`intake.services.source_suggestions_store`)."""
    from cpec_tracker.intake.services import source_suggestions_store
    from cpec_tracker.records.models import Source

    stale = [row for row in rows if isinstance(row, Source) and row.stored_mentions() is None]
    if stale:
        source_suggestions_store(sources=stale)
