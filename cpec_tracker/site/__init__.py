"""The roof: the site composed over the apps.

Its URLs, the site-wide pages (home, search, sources, organizations, themes), feeds,
sitemaps, the seed loader and the suggestions engine. It imports the apps (meetings,
projects) and the floor (`cpec_tracker`); neither imports it.
"""
