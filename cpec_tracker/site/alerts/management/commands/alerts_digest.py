from django.core.management.base import BaseCommand

from cpec_tracker.site.alerts.tasks import schedule_next_digest, send_digests


class Command(BaseCommand):
    help = (
        "Queue the email alerts' digest now (one mail per subscriber of the changes waiting), "
        "and the daily one at CPEC_ALERTS_DIGEST_HOUR (UTC) unless it is queued already; the "
        "worker (`manage.py db_worker`) sends them. Safe to run any number of times, e.g. "
        "once at deploy or daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule-only",
            action="store_true",
            help="Only make sure the daily digest is queued; send nothing now.",
        )

    def handle(self, *args, schedule_only=False, **options):
        if not schedule_only:
            now = send_digests.enqueue()
            self.stdout.write(f"alerts_digest: queued a digest now ({now.id})")
        scheduled = schedule_next_digest()
        if scheduled:
            self.stdout.write(f"alerts_digest: daily digest queued for {scheduled.task.run_after}")
        else:
            self.stdout.write("alerts_digest: the daily digest was queued already")
