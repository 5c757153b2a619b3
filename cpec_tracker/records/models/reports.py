"""Readers' reports of an error or a missing source on a record's page, and how editors close
them.

A report is not a record: it is never public (no page, no API, no /data/, no /changes/, no
search, no sitemap), never cited, and the reporter's email is for editors' eyes only. It is
kept out of what makes the site's data: the page cache's data version
(`caching.dataversion.UNTRACKED_TABLES`: a reader's report must not make pages and /data/ go
cold) and the JSON backup (`records.backup.NOT_BACKED_UP`: it holds readers' emails).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from cpec_tracker.records.models.base import PlainText

# The form's limits, the model's too, so no path stores more.
WHAT_IS_WRONG_MAX_LENGTH = 2000
SOURCE_URL_MAX_LENGTH = 500


class ErrorReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    CHANGED = "changed", "Turned into a change"
    CLOSED = "closed", "Closed"


class ErrorReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ErrorReportStatus.OPEN)


class ErrorReport(PlainText):
    """What a reader says is wrong with a published record, or which source it lacks."""

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The kind of record reported.",
    )
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # The record's address when it was reported: it says which record it was after the record
    # is deleted, or its slug changed.
    record_kind = models.CharField(
        max_length=40, help_text="The kind's name in the site's addresses: “meetings”."
    )
    record_slug = models.SlugField(max_length=120, help_text="The record's slug when reported.")
    what_is_wrong = models.TextField(
        max_length=WHAT_IS_WRONG_MAX_LENGTH, help_text="In the reader's words; plain text."
    )
    source_url = models.URLField(
        max_length=SOURCE_URL_MAX_LENGTH,
        blank=True,
        help_text="A source the reader gives, unchecked: open it with care.",
    )
    # Never shown publicly, never exported, never in the JSON backup.
    email = models.EmailField(
        blank=True, help_text="Where the reader asks to be answered; for editors only."
    )
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        help_text="The language of the page the report was sent from.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10,
        choices=ErrorReportStatus.choices,
        default=ErrorReportStatus.OPEN,
    )
    closing_reason = models.TextField(
        blank=True, help_text="Why it was closed, or what change it became."
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "report from a reader"
        verbose_name_plural = "reports from readers"
        indexes = [
            models.Index(fields=["status", "-created_at"], name="errorreport_status_idx"),
            models.Index(fields=["content_type", "object_id"], name="errorreport_record_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(what_is_wrong=""), name="errorreport_says_what_is_wrong"
            ),
            models.CheckConstraint(
                condition=Q(status=ErrorReportStatus.OPEN, closed_at__isnull=True)
                | (~Q(status=ErrorReportStatus.OPEN) & Q(closed_at__isnull=False)),
                name="errorreport_closed_at_iff_not_open",
            ),
            models.CheckConstraint(
                condition=~Q(status=ErrorReportStatus.CLOSED, closing_reason=""),
                name="errorreport_closed_with_a_reason",
            ),
        ]

    def __str__(self):
        return f"Report on {self.record_kind} “{self.record_slug}”"

    # No get_absolute_url: a report has no page of its own, and the admin must offer no
    # "View on site" for one.
