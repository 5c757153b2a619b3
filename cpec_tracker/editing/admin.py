"""The review queue's admin page (`review_admin.PendingChangeAdmin`)."""

from django.contrib import admin

from cpec_tracker.editing.models import PendingChange
from cpec_tracker.editing.review_admin import PendingChangeAdmin

admin.site.register(PendingChange, PendingChangeAdmin)
