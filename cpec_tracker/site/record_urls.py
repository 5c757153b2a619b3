"""The pages of sources, organizations and themes (declared in cpec_tracker/records/kinds.py,
mounted by cpec_tracker/site/urls.py): site-wide pages, as they list every app's records."""

from django.urls import path

from cpec_tracker.site import views

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
