"""The site's addresses: public pages by app, the admin."""

from django.contrib import admin
from django.urls import include, path

from meetings.urls import meeting_urls, official_urls
from projects.urls import project_urls

from . import views

source_urls = ([path("<slug:slug>/", views.SourceDetailView.as_view(), name="detail")], "sources")
organization_urls = (
    [path("<slug:slug>/", views.OrganizationDetailView.as_view(), name="detail")],
    "organizations",
)
theme_urls = ([path("<slug:slug>/", views.ThemeDetailView.as_view(), name="detail")], "themes")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("meetings/", include(meeting_urls)),
    path("officials/", include(official_urls)),
    path("projects/", include(project_urls)),
    path("sources/", include(source_urls)),
    path("organizations/", include(organization_urls)),
    path("themes/", include(theme_urls)),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
