"""The alerts' background jobs (django-tasks, run by `manage.py db_worker`).

Mail is sent by jobs, never in a request. A mail job that fails (the SMTP server down,
refusing) is retried like every job here (`cpec_tracker.jobs.retried_task`): with growing
delays from CPEC_ALERTS_RETRY_SECONDS, CPEC_ALERTS_MAX_ATTEMPTS times in all, every failed try
left in the admin's Task results. An alert's deliveries carry each try's error and, after the
last, are marked failed, which chief editors see in the admin (Alerts › Deliveries) and can
send again. Its deliveries stay in the database all along: a failure loses nothing.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from cpec_tracker.jobs import retried_task
from cpec_tracker.site.alerts import services
from cpec_tracker.site.alerts.models import Delivery, DeliveryStatus, Frequency, Subscription


def mail_attempts():
    return settings.CPEC_ALERTS_MAX_ATTEMPTS


def mail_first_delay():
    return datetime.timedelta(seconds=settings.CPEC_ALERTS_RETRY_SECONDS)


def retried_mail(**options):
    """`retried_task` as patient as the alerts' settings say (read at each failure)."""
    return retried_task(attempts=mail_attempts, first_delay=mail_first_delay, **options)


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


@retried_mail()
def send_confirmation(subscription_id):
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.confirmed:
        return "nothing to send"
    services.confirmation_message(subscription).send()
    return "sent"


def claimed_deliveries(subscription_id, delivery_ids):
    """The deliveries a mail job carries that still wait for it (none once unsubscribed)."""
    return Delivery.objects.filter(
        pk__in=delivery_ids, subscription_id=subscription_id, status=DeliveryStatus.QUEUED
    )


def record_failed_try(failure, subscription_id, delivery_ids):
    """send_alert's `on_failure`: the try and its error on every delivery it carried; after the
    last try they are failed, for chief editors (and no longer claimed by any job)."""
    claimed_deliveries(subscription_id, delivery_ids).update(
        attempts=F("attempts") + 1,
        last_error=failure.summary[:2000],
        status=DeliveryStatus.FAILED if failure.given_up else DeliveryStatus.QUEUED,
    )


@retried_mail(on_failure=record_failed_try)
def send_alert(subscription_id, delivery_ids):
    """Send one mail of `delivery_ids` (claimed for this job) to their subscriber."""
    deliveries = list(
        claimed_deliveries(subscription_id, delivery_ids).select_related("subscription")
    )
    if not deliveries:
        return "nothing to send"  # unsubscribed meanwhile
    subscription = deliveries[0].subscription
    claimed = Delivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries])
    message = services.alert_message(subscription, deliveries)
    if message is None:
        claimed.update(status=DeliveryStatus.SENT, last_error="no longer public: not sent")
        return "no longer public"
    message.send()
    now = timezone.now()
    claimed.update(
        status=DeliveryStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
    )
    Subscription.objects.filter(pk=subscription_id).update(last_sent_at=now)
    return "sent"
