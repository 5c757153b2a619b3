from django.urls import path

from cpec_tracker.site.alerts import views

app_name = "alerts"
# Unsubscribe tokens and manage keys are URL-safe (slug) characters; a confirmation token is a
# signature ("12:1abc:…"), checked before anything is read.
urlpatterns = [
    path("subscribe/", views.AlertSubscribeView.as_view(), name="subscribe"),
    path("sent/", views.AlertSentView.as_view(), name="sent"),
    path("confirm/<str:token>/", views.AlertConfirmView.as_view(), name="confirm"),
    path("unsubscribe/<slug:token>/", views.AlertUnsubscribeView.as_view(), name="unsubscribe"),
    path("manage/<slug:token>/", views.AlertManageView.as_view(), name="manage"),
]
