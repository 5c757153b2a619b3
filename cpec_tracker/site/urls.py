"""The site's addresses: public pages by app, feeds and calendar, the admin.

The pages, feeds and calendars answer in each language of settings.LANGUAGES: English at
the addresses they have always had, the others under their prefix (/ur/meetings/,
/zh-hans/feeds/meetings.atom). The crawler files, the admin and the API are not prefixed.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import RedirectView

from cpec_tracker.records import registry
from cpec_tracker.records.registry import pages
from cpec_tracker.site import data_views, reports, views
from cpec_tracker.site.feeds import (
    ChangesFeed,
    ListChangesFeed,
    MeetingsFeed,
    SearchChangesFeed,
    UpdatesFeed,
)
from cpec_tracker.site.sitemaps import SITEMAPS
from meetings.views import meetings_calendar
from projects.views import ProjectMapView

# A database that cannot answer is a 503 with Retry-After, not a 500 (see the view).
handler500 = views.server_error

urlpatterns = i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    # Each list's feed of the records entering or changing in it, with its filters
    # (/projects/feed.atom?sector=energy).
    *(
        path(f"{kind.name}/feed.atom", ListChangesFeed(kind), name=f"feed-{kind.name}")
        for kind in registry.listed()
        if kind.list_url
    ),
    # Each kind's pages, as its app declares them (cpec_tracker.records.registry).
    *(path(f"{namespace}/", include((patterns, namespace))) for patterns, namespace in pages()),
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/feed.atom", SearchChangesFeed(), name="feed-search"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("map/", ProjectMapView.as_view(), name="map"),
    path("data/", data_views.DataView.as_view(), name="data"),
    path("data/dictionary/", data_views.DataDictionaryView.as_view(), name="data-dictionary"),
    path("data/<path:name>", data_views.data_file, name="data-file"),
    path("changes/", views.ChangeListView.as_view(), name="changes"),
    path("report/<str:kind>/<slug:slug>/", reports.ErrorReportView.as_view(), name="report"),
    path(
        "report/<str:kind>/<slug:slug>/sent/",
        reports.ErrorReportSentView.as_view(),
        name="report-sent",
    ),
    path("changes/feed.atom", ChangesFeed(), name="feed-changes"),
    # Email alerts on those feeds (subscribe, confirm, unsubscribe, manage).
    path("alerts/", include("cpec_tracker.site.alerts.urls")),
    path("feeds/meetings.atom", MeetingsFeed(), name="feed-meetings"),
    path("feeds/updates.atom", UpdatesFeed(), name="feed-updates"),
    path("meetings.ics", meetings_calendar, name="calendar"),
    prefix_default_language=False,
) + [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon),
    path(settings.ADMIN_PATH, admin.site.urls),
    # API v1 (JSON and CSV, OpenAPI schema and docs): cpec_tracker/site/api_urls.py
    path("api/v1/", include("cpec_tracker.site.api_urls")),
    # /api/ is the current version, which a v2 would change: a temporary redirect (302), so
    # that no browser or client keeps it for good as a 301 would be kept.
    path("api/", RedirectView.as_view(pattern_name="api:root", query_string=True), name="api"),
    path("healthz", views.healthz, name="healthz"),
]
