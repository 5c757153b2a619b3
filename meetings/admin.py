"""Admin pages for officials, their offices, meetings, participants and outcomes."""

from django.contrib import admin

from cpec_tracker.editing.versions import VersionCheckedInline
from cpec_tracker.records.admin import (
    CitableAdmin,
    CitationInline,
    DuplicateCheckedForm,
    PrefilledInline,
    RecordAdmin,
)

from .models import Appointment, Meeting, Official, Outcome, Participation, ParticipationRole


class AppointmentInline(PrefilledInline, VersionCheckedInline, admin.TabularInline):
    model = Appointment
    fields = ["title", "organization", "start", "start_precision", "end", "end_precision"]
    autocomplete_fields = ["organization"]
    extra = 0

    def prefill(self, request):
        # An official drafted from a sentence: the office the title prefix gave.
        office = request.GET.get("office", "").strip()
        return [{"title": office[:200]}] if office else []


class ParticipationInline(PrefilledInline, VersionCheckedInline, admin.TabularInline):
    model = Participation
    fields = ["official", "name", "role", "title_at_meeting", "order"]
    autocomplete_fields = ["official"]
    extra = 0

    def prefill(self, request):
        """A meeting drafted from a sentence: the officials it mentions, each given as
        "official id|role|title at the meeting"."""
        rows = []
        for order, value in enumerate(request.GET.getlist("participant"), start=1):
            official, _, rest = value.partition("|")
            role, _, title = rest.partition("|")
            if not official.isdigit():
                continue
            if role not in ParticipationRole.values:
                role = ParticipationRole.PARTICIPANT
            rows.append(
                {"official": official, "role": role, "title_at_meeting": title, "order": order}
            )
        return rows


class OutcomeInline(VersionCheckedInline, admin.StackedInline):
    model = Outcome
    fields = [("order", "stated_by"), "text", "note"]
    autocomplete_fields = ["stated_by"]
    extra = 0


@admin.register(Official)
class OfficialAdmin(RecordAdmin):
    form = DuplicateCheckedForm
    list_display = ["name", "native_name", "country", "publication_status", "updated_at"]
    list_filter = ["publication_status", "country"]
    search_fields = [
        "name",
        "name_ur",
        "name_zh_hans",
        "native_name",
        "aliases",
        "slug",
        "appointments__title",
    ]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AppointmentInline, CitationInline]


@admin.register(Appointment)
class AppointmentAdmin(CitableAdmin):
    list_display = ["official", "title", "organization", "start", "end"]
    list_filter = ["organization"]
    list_select_related = ["official", "organization"]
    search_fields = ["official__name", "title", "organization__name"]
    autocomplete_fields = ["official", "organization"]


@admin.register(Meeting)
class MeetingAdmin(RecordAdmin):
    list_display = [
        "title",
        "date",
        "date_precision",
        "body",
        "sequence_number",
        "city",
        "status",
        "publication_status",
    ]
    list_filter = ["publication_status", "status", "kind", "body", "country"]
    list_select_related = ["body"]
    search_fields = ["title", "title_ur", "title_zh_hans", "slug", "city", "summary"]
    autocomplete_fields = ["body", "themes"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ParticipationInline, OutcomeInline, CitationInline]


@admin.register(Participation)
class ParticipationAdmin(CitableAdmin):
    list_display = ["meeting", "official", "name", "role", "title_at_meeting"]
    list_filter = ["role"]
    list_select_related = ["meeting", "official"]
    search_fields = ["meeting__title", "official__name", "name", "title_at_meeting"]
    autocomplete_fields = ["meeting", "official"]


@admin.register(Outcome)
class OutcomeAdmin(CitableAdmin):
    list_display = ["text", "meeting", "order", "stated_by"]
    list_select_related = ["meeting", "stated_by"]
    search_fields = ["text", "meeting__title"]
    autocomplete_fields = ["meeting", "stated_by"]
