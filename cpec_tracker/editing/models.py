"""The editors' own records. Pending changes: what an editor proposed for what the public
sees, waiting for a second person (the two-person rule; `cpec_tracker.editing.review`
writes, applies and shows them).

The public tables always hold the approved state, so no public read path knows about
reviews: a pending change is a row of its own until a chief editor other than its author
approves it, and approving writes it to the records in one transaction.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ChangeAction(models.TextChoices):
    EDIT = "edit", "Edit"
    PUBLISH = "publish", "Publish"
    UNPUBLISH = "unpublish", "Unpublish"


class PendingChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ReviewStatus.PENDING)

    def of_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )


class PendingChange(models.Model):
    """One proposal for a public record: its fields, its rows and citations, or its status.

    `operations` is a list, applied in order, of
    {"op": "add" | "change" | "delete", "model": "meetings.outcome", "pk": id or None,
     "version": the row's version when the editor opened it (None for an addition),
     "label": what the row was called, "fields": {name: proposed value},
     "old": {name: value when proposed}}
    with values as JSON (a foreign key by its id, a many-to-many relation as a list of ids).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(
        help_text="The public record whose public state this changes."
    )
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(max_length=300, help_text="The record's name when proposed.")
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    operations = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_changes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_changes",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    # Approved by its own author, as `CPEC_REVIEW_SELF_APPROVAL` lets a one-person newsroom.
    self_approved = models.BooleanField(default=False)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "status"], name="pending_record_idx")
        ]
        # Reviewing is its own permission: the Chief editors group has it.
        permissions = [("review_pendingchange", "Can approve or reject pending changes")]

    def __str__(self):
        return f"{self.get_action_display()} {self.record_label} (#{self.pk})"
