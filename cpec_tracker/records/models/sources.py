"""Sources: the published documents whose full text citations quote."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from cpec_tracker.records.columns import column_property
from cpec_tracker.records.dates import DatePrecision, format_date
from cpec_tracker.records.models.base import Record, published_list_indexes
from cpec_tracker.records.sentences import split_sentences
from cpec_tracker.records.source_keys import exact_digest, text_digest, url_key


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", _("News report")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    PRESS_RELEASE = "press_release", _("Press release")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class Source(Record):
    """A published document, with the full text its citations are checked against."""

    title = models.CharField(
        max_length=300,
        help_text=_("The document's title, as published."),
    )
    author = models.CharField(
        max_length=200, blank=True, help_text=_("Who wrote it, as the source names them.")
    )
    publisher = models.CharField(
        max_length=200,
        help_text=_("Who published it: a newspaper, ministry, embassy or company."),
    )
    url = models.URLField(
        max_length=500,
        blank=True,
        help_text=_("Where it was published online; empty for a document not online."),
    )
    published_on = models.DateField(
        help_text=_("The day it was published."),
    )
    language = models.CharField(max_length=10, default="en", help_text=_("A code: en, ur, zh."))
    kind = models.CharField(
        max_length=30,
        choices=SourceKind.choices,
        help_text=_("What kind of document it is."),
    )
    text = models.TextField(help_text=_("The full text as stored; quotes must occur in it."))
    # Kept in step with `url` and `text` by save(): one source per page and per text.
    url_key = models.CharField(max_length=500, blank=True, editable=False)
    text_digest = models.CharField(max_length=64, blank=True, editable=False)
    # What the suggestions engine found in the text, kept with it so no page computes it
    # again (a long text takes seconds): {"text": exact_digest(text), "spans": [[start, end],
    # …]}, set by save() whenever the text differs from the one they were found in.
    sentence_spans = models.JSONField(null=True, blank=True, editable=False)
    # {"text": exact_digest(text), "published_on": "2025-01-12", "records": [[model label,
    # pk, name], …]}: the known records the text mentions, for the editors' dashboard. Set by
    # `intake.services.source_suggestions_store` (it reads every record) when the text is saved, and
    # by `manage.py store_suggestions`; None until then.
    mentioned_records = models.JSONField(null=True, blank=True, editable=False)

    search_fields = ["title", "publisher", "text"]

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            *published_list_indexes(
                "source", ["-published_on", "title"], filters=["kind"], orderings=["title"]
            ),
            models.Index(Upper("publisher"), name="source_publisher_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["url_key"], condition=~Q(url_key=""), name="source_url_key_unique"
            ),
            models.UniqueConstraint(
                fields=["text_digest"],
                condition=~Q(text_digest=""),
                name="source_text_digest_unique",
            ),
        ]

    def __str__(self):
        return self.label

    @column_property("publisher", "published_on", "title")
    def label(publisher, published_on, title):
        """How a source is named where it is linked: its publisher, date and title."""
        published = format_date(published_on, DatePrecision.DAY)
        return f"{publisher}, {published}: {title}"

    def save(self, *args, **kwargs):
        self.url_key = url_key(self.url)
        self.text_digest = text_digest(self.text)
        kept = ["url_key", "text_digest"]
        if self.stored_sentences() is None:
            self.find_sentences()
            kept.append("sentence_spans")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *kept}
        super().save(*args, **kwargs)

    def find_sentences(self):
        """Split the text into sentences and keep their offsets in `sentence_spans` (saved
        with the row: they depend on the text alone)."""
        self.sentence_spans = {
            "text": exact_digest(self.text),
            "spans": [[sentence.start, sentence.end] for sentence in split_sentences(self.text)],
        }

    def stored_sentences(self):
        """[(start, end)] of the text's sentences as stored, or None when they were found in
        another text (or not yet)."""
        stored = self.sentence_spans
        if not isinstance(stored, dict) or stored.get("text") != exact_digest(self.text):
            return None
        return [(start, end) for start, end in stored["spans"]]

    def stored_mentions(self):
        """[(model label, pk, name)] of the known records the text mentions as stored, or None
        when they were found in another text or for another date (or not yet)."""
        stored = self.mentioned_records
        if not isinstance(stored, dict) or stored.get("text") != exact_digest(self.text):
            return None
        if stored.get("published_on") != str(self.published_on):
            return None
        return [(model, pk, name) for model, pk, name in stored["records"]]

    def duplicates(self):
        """{"url" or "text": the other source with the same address or text}, if any."""
        found = {}
        others = Source.objects.exclude(pk=self.pk) if self.pk else Source.objects.all()
        checks = [
            ("url", "url_key", url_key(self.url)),
            ("text", "text_digest", text_digest(self.text)),
        ]
        for field, key_field, key in checks:
            if key:
                other = others.filter(**{key_field: key}).only("pk", "slug", "title").first()
                if other is not None:
                    found[field] = other
        return found
