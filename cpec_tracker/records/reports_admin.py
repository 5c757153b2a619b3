"""The editors' admin for readers' reports (records.models.reports): read, then close or mark
as turned into a change.

What a reader sent is shown, never edited, and always escaped (it is plain text from anyone;
the source address is a link only when it is http or https, with rel="nofollow"). An editor
closes a report with a reason, or marks it turned into a change after making that change on
the record, which the report links to. Readers add reports (cpec_tracker.site.reports), so
nobody adds one here; chief editors may delete one (spam).
"""

from django import forms
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from cpec_tracker.records.models import ErrorReport, ErrorReportStatus

WHAT_IS_WRONG_LISTED = 160


def record_admin_url(report):
    """The admin change page of the reported record (its content type is cached)."""
    model = report.content_type.model_class()
    if model is None:
        return ""
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[report.object_id])
    except NoReverseMatch:
        return ""


def source_link(url):
    """A reader's source address as a link that passes no ranking (rel="nofollow"), or as
    text when it is not a web address."""
    if not url:
        return "—"
    if not url.lower().startswith(("http://", "https://")):
        return url
    return format_html(
        '<a href="{}" rel="nofollow noopener noreferrer" target="_blank">{}</a>', url, url
    )


class ErrorReportForm(forms.ModelForm):
    """Close a report (with a reason), mark it turned into a change, or open it again."""

    class Meta:
        model = ErrorReport
        fields = ["status", "closing_reason"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == ErrorReportStatus.CLOSED
            and not (cleaned.get("closing_reason") or "").strip()
        ):
            self.add_error(
                "closing_reason",
                "Say why the report is closed: the reader's email may be answered with it.",
            )
        return cleaned


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    form = ErrorReportForm
    list_display = ["created_at", "record_link", "what_is_wrong_listed", "source", "status"]
    list_filter = ["status", "record_kind", "language"]
    list_select_related = ["content_type"]
    search_fields = ["what_is_wrong", "record_slug"]
    date_hierarchy = "created_at"
    reader_fields = ["record_link", "what_is_wrong", "source", "email", "language", "created_at"]
    readonly_fields = [*reader_fields, "closed_by", "closed_at"]
    fieldsets = [
        (
            "What the reader sent",
            {"fields": reader_fields},
        ),
        (
            "What the editors did",
            {
                "fields": ["status", "closing_reason", "closed_by", "closed_at"],
                "description": "Make the change on the record first (the link above opens it), "
                "then mark the report “Turned into a change”; or close it with a reason.",
            },
        ),
    ]
    view_on_site = False

    @admin.display(description="Record", ordering="record_slug")
    def record_link(self, report):
        label = f"{report.content_type.name} “{report.record_slug}”"
        url = record_admin_url(report)
        return format_html('<a href="{}">{}</a>', url, label) if url else label

    @admin.display(description="What is wrong")
    def what_is_wrong_listed(self, report):
        return Truncator(report.what_is_wrong).chars(WHAT_IS_WRONG_LISTED)

    @admin.display(description="Source address")
    def source(self, report):
        return source_link(report.source_url)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if obj.status == ErrorReportStatus.OPEN:
            obj.closed_by, obj.closed_at = None, None
        elif "status" in form.changed_data or obj.closed_at is None:
            obj.closed_by, obj.closed_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
