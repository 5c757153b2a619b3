from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Email alerts: subscriptions, and the mails of the changes they follow."""

    name = "cpec_tracker.site.alerts"
    label = "alerts"
    verbose_name = "Email alerts"

    def ready(self):
        from cpec_tracker.editing.review import change_applied
        from cpec_tracker.site.alerts.tasks import dispatch_after_approval

        change_applied.connect(dispatch_after_approval, dispatch_uid="alerts-dispatch")
