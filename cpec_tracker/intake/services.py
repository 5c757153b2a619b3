"""Writes of the intake: what a source's text mentions, stored with the source."""

from cpec_tracker.intake.suggestions import mentions_of_sources
from cpec_tracker.records.models import Source
from cpec_tracker.records.source_keys import exact_digest


def source_suggestions_store(*, sources):
    """Store with each source what the editors' dashboard reads of its suggestions: its
    sentences when missing (`Source.find_sentences`) and the known records its text mentions
    (`Source.mentioned_records`). Returns how many sources it stored.

    Finding the mentions reads every record, which takes seconds at scale: this runs where a
    source's text is saved and in `manage.py store_suggestions`, never while a page is shown.
    Only these columns are written, so a source keeps its `updated_at` and gets no history row.
    """
    for source in sources:
        if source.stored_sentences() is None:
            source.find_sentences()
    found = mentions_of_sources(sources)
    for source in sources:
        records = {}
        for mention in found[source.pk]:
            if mention.pk is not None:
                records.setdefault((mention.model, mention.pk), mention.label)
        source.mentioned_records = {
            "text": exact_digest(source.text),
            "published_on": str(source.published_on),
            "records": [[model, pk, label] for (model, pk), label in records.items()],
        }
        Source.objects.filter(pk=source.pk).update(
            sentence_spans=source.sentence_spans, mentioned_records=source.mentioned_records
        )
    return len(sources)
