from django.urls import path

from cpec_tracker.site.alerts import views

app_name = "alerts"
urlpatterns = [
    path("subscribe/", views.AlertSubscribeView.as_view(), name="subscribe"),
    path("sent/", views.AlertSentView.as_view(), name="sent"),
    path("confirm/<str:token>/", views.AlertConfirmView.as_view(), name="confirm"),
    path("unsubscribe/<str:token>/", views.AlertUnsubscribeView.as_view(), name="unsubscribe"),
    path("manage/<str:token>/", views.AlertManageView.as_view(), name="manage"),
]
