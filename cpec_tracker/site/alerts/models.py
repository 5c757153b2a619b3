"""Subscriptions to a feed by email, and each change delivered (or waiting for a digest)."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_unsubscribe_token():
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    EACH_CHANGE = "each", _("An email for each change")
    DAILY = "daily", _("A daily digest")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def for_address_key(self, key):
        return self.filter(address_key=key)


class Subscription(models.Model):
    """An email address following one feed (a record's, a list's with its filters, a
    search's), confirmed from a link sent to it before it receives anything else."""

    email = models.EmailField(db_index=True)
    # The address's key in its manage link (services.address_key): a keyed hash, so the link
    # names no address and nobody can make one for an address without the site's secret key.
    address_key = models.CharField(max_length=64, db_index=True)
    # The feed followed, as its feed names itself in English (Followed.feed_url): the path
    # without a language prefix and only the parameters the feed reads, in its order, so that
    # one thing followed has one address ("/changes/feed.atom?record=projects/gwadar-port").
    feed_url = models.CharField(max_length=2000)
    # What it follows and its page, in the subscriber's language, as they were when subscribing
    # (the manage page and the mails name them without running a search again).
    title = models.CharField(max_length=500)
    page_url = models.CharField(max_length=2000)
    frequency = models.CharField(max_length=8, choices=Frequency, default=Frequency.EACH_CHANGE)
    language = models.CharField(max_length=10)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # In the one-click unsubscribe address of every mail (a random secret, not a signature: it
    # never expires, and deleting the subscription makes it worthless).
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_unsubscribe_token)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["email", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["email", "feed_url"], name="alerts_one_per_feed"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_frequency_display()})"

    def get_absolute_url(self):
        return self.page_url

    @property
    def confirmed(self):
        return self.confirmed_at is not None


class DeliveryStatus(models.TextChoices):
    # Found, waiting for its mail (the next dispatch, or the daily digest).
    NEW = "new", pgettext_lazy("an email alert's delivery", "Waiting")
    # Claimed by a mail job (sending, or waiting to retry).
    QUEUED = "queued", pgettext_lazy("an email alert's delivery", "Sending")
    SENT = "sent", pgettext_lazy("an email alert's delivery", "Sent")
    FAILED = "failed", pgettext_lazy("an email alert's delivery", "Failed")


class DeliveryQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=DeliveryStatus.FAILED)


class Delivery(models.Model):
    """One change of the changelog for one subscription: at most one per pair, so a change
    reaches a subscriber once however often the dispatch runs."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The changelog's entry: the history row of the model named (cpec_tracker.site.changes).
    model_label = models.CharField(max_length=100)
    history_id = models.BigIntegerField()
    changed_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=DeliveryStatus, default=DeliveryStatus.NEW)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "model_label", "history_id"], name="alerts_change_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "subscription"])]

    def __str__(self):
        return f"{self.model_label} #{self.history_id} ({self.get_status_display()})"

    def get_absolute_url(self):
        return self.subscription.page_url
