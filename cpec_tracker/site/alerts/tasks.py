"""The alerts' background jobs (django-tasks, run by `manage.py db_worker`).

Mail is sent by jobs, never in a request. A mail that fails (the SMTP server down, refused)
is tried again with growing delays (`run_after`), CPEC_ALERTS_MAX_ATTEMPTS times in all, then
its deliveries are marked failed, which chief editors see in the admin (Alerts › Deliveries).
Its deliveries stay in the database all along: a failure loses nothing.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cpec_tracker import jobs
from cpec_tracker.site.alerts import services
from cpec_tracker.site.alerts.models import Delivery, DeliveryStatus, Frequency, Subscription

logger = logging.getLogger(__name__)
# What a mail server that is down, unreachable or refusing raises.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def retry_delay(attempt):
    """The wait before try `attempt + 1`: the site's backoff (cpec_tracker.jobs) from
    CPEC_ALERTS_RETRY_SECONDS. The mail jobs retry by hand rather than with `retried_task`,
    because a failed try also records its error on the deliveries it carried."""
    return jobs.retry_delay(datetime.timedelta(seconds=settings.CPEC_ALERTS_RETRY_SECONDS), attempt)


def dispatch_after_approval(sender, change, rows, **kwargs):
    """change_applied's receiver: once the approval is committed, look for whom it concerns."""
    transaction.on_commit(dispatch_alerts.enqueue)


@task()
def dispatch_alerts():
    """Find the new public changes of what each confirmed subscription follows; send those of
    subscribers who want each change (one mail per subscriber per dispatch); digests wait."""
    created = services.deliveries_collect()
    batches = services.deliveries_claim(frequency=Frequency.EACH_CHANGE)
    for subscription_id, delivery_ids in batches.items():
        send_alert.enqueue(subscription_id, delivery_ids)
    return {"deliveries": created, "mails": len(batches)}


@task()
def send_digests():
    """The daily digest: one mail per subscriber of the day's waiting changes; then the next
    digest is queued for tomorrow at CPEC_ALERTS_DIGEST_HOUR, so that once started (by
    `manage.py alerts_digest`) the digest keeps itself going on the worker."""
    created = services.deliveries_collect()
    # Changes saved without an approval (the seed, a migration) reach each-change subscribers
    # here at the latest.
    for frequency in (Frequency.EACH_CHANGE, Frequency.DAILY):
        batches = services.deliveries_claim(frequency=frequency)
        for subscription_id, delivery_ids in batches.items():
            send_alert.enqueue(subscription_id, delivery_ids)
    schedule_next_digest()
    return {"deliveries": created}


def next_digest_time(now):
    today = now.replace(hour=settings.CPEC_ALERTS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return today if today > now else today + datetime.timedelta(days=1)


def schedule_next_digest():
    """Queue the next digest unless one is queued already (safe to call any number of times)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    # A job queued to run at once is stored with the latest date as its run_after.
    queued = DBTaskResult.objects.filter(
        task_path=send_digests.module_path,
        status="READY",
        run_after__gt=now,
        run_after__lt=get_date_max(),
    )
    if queued.exists():
        return None
    return send_digests.using(run_after=next_digest_time(now)).enqueue()


@task()
def send_confirmation(subscription_id, attempt=1):
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.confirmed:
        return "nothing to send"
    try:
        services.confirmation_message(subscription).send()
    except MAIL_ERRORS as error:
        logger.warning("Confirmation mail %s, try %s failed: %s", subscription_id, attempt, error)
        if attempt >= settings.CPEC_ALERTS_MAX_ATTEMPTS:
            return f"failed: {error}"
        send_confirmation.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
            subscription_id, attempt + 1
        )
        return f"retrying: {error}"
    return "sent"


@task()
def send_alert(subscription_id, delivery_ids, attempt=1):
    """Send one mail of `delivery_ids` (claimed for this job) to their subscriber."""
    deliveries = list(
        Delivery.objects.filter(
            pk__in=delivery_ids, subscription_id=subscription_id, status=DeliveryStatus.QUEUED
        ).select_related("subscription")
    )
    if not deliveries:
        return "nothing to send"  # unsubscribed meanwhile
    subscription = deliveries[0].subscription
    claimed = Delivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries])
    message = services.alert_message(subscription, deliveries)
    if message is None:
        claimed.update(status=DeliveryStatus.SENT, last_error="no longer public: not sent")
        return "no longer public"
    try:
        message.send()
    except MAIL_ERRORS as error:
        logger.warning(
            "Alert mail to subscription %s, try %s failed: %s", subscription_id, attempt, error
        )
        failed = attempt >= settings.CPEC_ALERTS_MAX_ATTEMPTS
        claimed.update(
            attempts=attempt,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.QUEUED,
        )
        if not failed:
            send_alert.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                subscription_id, delivery_ids, attempt + 1
            )
        return "failed" if failed else "retrying"
    now = timezone.now()
    claimed.update(status=DeliveryStatus.SENT, sent_at=now, attempts=attempt, last_error="")
    Subscription.objects.filter(pk=subscription_id).update(last_sent_at=now)
    return "sent"
