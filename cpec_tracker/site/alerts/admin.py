"""Alerts in the admin, for chief editors only (the review permission): the mails that failed
after every retry, and the subscriptions (addresses are seen by nobody else)."""

from django.contrib import admin, messages

from cpec_tracker.editing.review import REVIEW_PERMISSION
from cpec_tracker.site.alerts.models import Delivery, DeliveryStatus, Subscription
from cpec_tracker.site.alerts.tasks import send_alert


class ChiefEditorsOnly:
    def has_module_permission(self, request):
        return request.user.has_perm(REVIEW_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(REVIEW_PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(REVIEW_PERMISSION)


@admin.register(Subscription)
class SubscriptionAdmin(ChiefEditorsOnly, admin.ModelAdmin):
    list_display = ["email", "title", "frequency", "language", "confirmed_at", "last_sent_at"]
    list_filter = ["frequency", "language", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "title"]
    exclude = ["unsubscribe_token", "address_key"]


@admin.register(Delivery)
class DeliveryAdmin(ChiefEditorsOnly, admin.ModelAdmin):
    list_display = [
        "address",
        "subscription",
        "changed_at",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status"]
    list_select_related = ["subscription"]
    search_fields = ["subscription__email"]
    actions = ["retry"]

    @admin.display(ordering="subscription__email")
    def address(self, delivery):
        return delivery.subscription.email

    @admin.action(description="Send the failed ones again", permissions=["view"])
    def retry(self, request, queryset):
        batches = {}
        for delivery in queryset.filter(status=DeliveryStatus.FAILED):
            batches.setdefault(delivery.subscription_id, []).append(delivery.pk)
        for subscription_id, delivery_ids in batches.items():
            Delivery.objects.filter(pk__in=delivery_ids).update(
                status=DeliveryStatus.QUEUED, attempts=0
            )
            send_alert.enqueue(subscription_id, delivery_ids)
        self.message_user(request, f"{len(batches)} mails queued again.", messages.SUCCESS)
