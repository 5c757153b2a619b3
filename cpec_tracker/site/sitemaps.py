"""sitemap.xml: every published record and the list pages, in every language.

Each address is listed once per language with its alternates (hreflang, and x-default for
the unprefixed English one), so crawlers find the Urdu and Chinese pages.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cpec_tracker.records import registry


class LocalisedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class RecordSitemap(LocalisedSitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(LocalisedSitemap):
    def items(self):
        lists = [kind.list_url for kind in registry.listed() if kind.in_sitemap and kind.list_url]
        return ["home", *lists, "map", "figures", "changes"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap(),
    **{kind.model_name: RecordSitemap(kind.model) for kind in registry.listed() if kind.in_sitemap},
}
