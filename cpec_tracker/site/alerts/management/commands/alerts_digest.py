from django.core.management.base import BaseCommand

from cpec_tracker.site.alerts.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Queue the daily digest of email alerts: one mail per subscriber with the changes "
        "since their last one (sent by the worker). Run it once a day, e.g. from cron."
    )

    def handle(self, *args, **options):
        result = send_digests.enqueue()
        self.stdout.write(f"alerts_digest: queued the digest job {result.id}")
