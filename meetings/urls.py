from django.urls import path

from . import views

meeting_urls = (
    [
        path("", views.MeetingListView.as_view(), name="list"),
        path("<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
        path("<slug:slug>.ics", views.meeting_calendar, name="calendar"),
    ],
    "meetings",
)

official_urls = (
    [
        path("", views.OfficialListView.as_view(), name="list"),
        path("<slug:slug>/", views.OfficialDetailView.as_view(), name="detail"),
    ],
    "officials",
)
