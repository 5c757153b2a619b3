"""Simplified Chinese as Django writes it: "2025年1月12日", the week from Monday.

Here so that every language of the site has its formats in one place (FORMAT_MODULE_PATH);
the dates the pages write themselves follow the same pattern (cpec_tracker.records.dates).
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
