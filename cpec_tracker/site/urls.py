"""The site's addresses: public pages by app, feeds and calendar, the admin."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from meetings.urls import meeting_urls, official_urls
from meetings.views import meetings_calendar
from projects.urls import project_urls

from . import views
from .feeds import MeetingsFeed, UpdatesFeed
from .sitemaps import SITEMAPS

source_urls = (
    [
        path("", views.SourceListView.as_view(), name="list"),
        path("<slug:slug>/", views.SourceDetailView.as_view(), name="detail"),
    ],
    "sources",
)
organization_urls = (
    [path("<slug:slug>/", views.OrganizationDetailView.as_view(), name="detail")],
    "organizations",
)
theme_urls = ([path("<slug:slug>/", views.ThemeDetailView.as_view(), name="detail")], "themes")

# A database that cannot answer is a 503 with Retry-After, not a 500 (see the view).
handler500 = views.server_error

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("meetings/", include(meeting_urls)),
    path("officials/", include(official_urls)),
    path("projects/", include(project_urls)),
    path("sources/", include(source_urls)),
    path("organizations/", include(organization_urls)),
    path("themes/", include(theme_urls)),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feeds/meetings.atom", MeetingsFeed(), name="feed-meetings"),
    path("feeds/updates.atom", UpdatesFeed(), name="feed-updates"),
    path("meetings.ics", meetings_calendar, name="calendar"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon),
    path(settings.ADMIN_PATH, admin.site.urls),
    # API v1 (JSON and CSV, OpenAPI schema and docs): cpec_tracker/site/api_urls.py
    path("api/v1/", include("cpec_tracker.site.api_urls")),
    path("healthz", views.healthz, name="healthz"),
]
