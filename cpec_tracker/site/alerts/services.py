"""Writes of the alerts: subscribe, confirm, unsubscribe; find the changes each subscription
has not received yet; the mails themselves (built here, sent by the jobs in tasks.py)."""

import datetime
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from cpec_tracker.site.alerts.following import NotFollowable, followed_feed
from cpec_tracker.site.alerts.models import Delivery, DeliveryStatus, Frequency, Subscription
from cpec_tracker.site.changes import changelog_models, changes_for, public_changes

CONFIRM_SALT = "alerts.confirm"
MANAGE_SALT = "alerts.manage"
# A dispatch looks back this far at most: it runs after every approval and with each digest,
# so anything older was seen already (the Delivery constraint stops a second mail anyway).
LOOKBACK = datetime.timedelta(days=2)
# The most changes one dispatch gives one followed feed (a feed shows 50).
MAX_CHANGES_PER_DISPATCH = 200


def absolute(path):
    return f"{settings.CPEC_SITE_URL}{path}"


def confirm_token(subscription):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscription.pk))


def subscription_for_confirm_token(token):
    """The subscription a confirmation link names, or None for a link tampered with or older
    than CPEC_ALERTS_CONFIRM_DAYS."""
    max_age = datetime.timedelta(days=settings.CPEC_ALERTS_CONFIRM_DAYS)
    try:
        pk = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(pk=int(pk)).first()


def address_key(email):
    """The key of an address's manage link: an HMAC of the address with the site's secret."""
    return salted_hmac(MANAGE_SALT, email.lower(), algorithm="sha256").hexdigest()


@dataclass
class SubscribeResult:
    subscription: Subscription
    # False when the address already followed this (confirmed): nothing is sent again.
    confirmation_due: bool


def subscription_request(*, email, feed_url, frequency, language):
    """Record an address's wish to follow `feed_url` (unconfirmed) and say whether a
    confirmation mail is due. Raises NotFollowable for an address that names no feed."""
    _feed, followed = followed_feed(feed_url)
    _feed, shown = followed_feed(feed_url, language)
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            email=email.lower(),
            feed_url=followed.feed_url,
            defaults={
                "address_key": address_key(email),
                "title": shown.title[:500],
                "page_url": shown.link[:2000],
                "frequency": frequency,
                "language": language,
            },
        )
        if not created and not subscription.confirmed:
            # Asked again before confirming: the latest wish counts.
            subscription.frequency, subscription.language = frequency, language
            subscription.title, subscription.page_url = shown.title[:500], shown.link[:2000]
            subscription.save()
    return SubscribeResult(subscription, confirmation_due=not subscription.confirmed)


def subscription_confirm(*, subscription):
    if not subscription.confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def unsubscribe_urls(subscription):
    with translation.override(subscription.language):
        return {
            "unsubscribe": absolute(
                reverse("alerts:unsubscribe", args=[subscription.unsubscribe_token])
            ),
            "manage": absolute(reverse("alerts:manage", args=[subscription.address_key])),
        }


def confirmation_message(subscription):
    with translation.override(subscription.language):
        context = {
            "subscription": subscription,
            "page_url": absolute(subscription.page_url),
            "confirm_url": absolute(reverse("alerts:confirm", args=[confirm_token(subscription)])),
            "confirm_days": settings.CPEC_ALERTS_CONFIRM_DAYS,
        }
        return EmailMessage(
            subject=gettext("Confirm your alert: {title}").format(title=subscription.title),
            body=render_to_string("alerts/confirmation_email.txt", context),
            to=[subscription.email],
        )


def alert_message(subscription, deliveries):
    """One mail of `deliveries` (a change's entries, or a day's) to `subscription`, in its
    language, with the one-click unsubscribe headers of RFC 8058; None when none of the
    changes is public any more (the record was unpublished since)."""
    from cpec_tracker.site.feeds import ChangesFeed

    models = changelog_models()
    index_of = {model._meta.label_lower: index for index, model in enumerate(models)}
    rows = [
        {
            "history_id": delivery.history_id,
            "history_date": delivery.changed_at,
            "model_index": index_of[delivery.model_label],
        }
        for delivery in sorted(deliveries, key=attrgetter("changed_at", "pk"))
        if delivery.model_label in index_of
    ]
    feed = ChangesFeed()
    with translation.override(subscription.language):
        changes = changes_for(rows)
        if not changes:
            return None
        entries = [
            {
                "title": feed.item_title(change),
                "description": feed.item_description(change),
                "url": absolute(change.record.get_absolute_url()),
                "date": change.date,
            }
            for change in changes
        ]
        urls = unsubscribe_urls(subscription)
        daily = subscription.frequency == Frequency.DAILY
        if daily:
            subject = gettext("Today’s changes: {title}").format(title=subscription.title)
        else:
            subject = gettext("Changed: {title}").format(title=entries[0]["title"])
        body = render_to_string(
            "alerts/alert_email.txt",
            {
                "subscription": subscription,
                "entries": entries,
                "page_url": absolute(subscription.page_url),
                "daily": daily,
                **urls,
            },
        )
    return EmailMessage(
        subject=subject.replace("\n", " ")[:200],
        body=body,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{urls['unsubscribe']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def deliveries_collect(*, now=None):
    """Give every confirmed subscription a Delivery for each public change of what it follows
    since it was confirmed (and within LOOKBACK); returns how many were new."""
    now = now or timezone.now()
    labels = [model._meta.label_lower for model in changelog_models()]
    created = 0
    subscriptions = Subscription.objects.confirmed().order_by("feed_url", "pk")
    for feed_url, group in groupby(subscriptions, key=attrgetter("feed_url")):
        group = list(group)
        try:
            _feed, followed = followed_feed(feed_url)
        except NotFollowable:
            continue  # its record is gone (or unpublished), or a filter no longer exists
        since = max(now - LOOKBACK, min(s.confirmed_at for s in group))
        rows = list(
            public_changes(record=followed.record, among=followed.among, since=since)[
                :MAX_CHANGES_PER_DISPATCH
            ]
        )
        wanted = [
            Delivery(
                subscription=subscription,
                model_label=labels[row["model_index"]],
                history_id=row["history_id"],
                changed_at=row["history_date"],
            )
            for subscription in group
            for row in rows
            if row["history_date"] > subscription.confirmed_at
        ]
        existing = set(
            Delivery.objects.filter(subscription__in=group).values_list(
                "subscription_id", "model_label", "history_id"
            )
        )
        new = [
            d for d in wanted if (d.subscription_id, d.model_label, d.history_id) not in existing
        ]
        # ignore_conflicts: two dispatches at once insert each pair once.
        Delivery.objects.bulk_create(new, ignore_conflicts=True)
        created += len(new)
    return created


def deliveries_claim(*, frequency):
    """Claim the waiting deliveries of subscriptions of `frequency`, one batch per
    subscription ({subscription pk: [delivery pks]}); a delivery is claimed by one job only."""
    with transaction.atomic():
        waiting = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.NEW, subscription__frequency=frequency)
            .filter(subscription__confirmed_at__isnull=False)
            .values_list("subscription_id", "pk")
        )
        Delivery.objects.filter(pk__in=[pk for _s, pk in waiting]).update(
            status=DeliveryStatus.QUEUED
        )
    batches = {}
    for subscription_id, pk in waiting:
        batches.setdefault(subscription_id, []).append(pk)
    return batches
