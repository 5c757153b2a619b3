"""Urdu as written in Pakistan: day, month, year ("12 جنوری 2025"), the week from Monday.

Django ships no formats for Urdu, so without this module its dates fell back to the American
"January 12, 2025". The day-first patterns are British English's, which Pakistan's
officialdom shares; the month's name comes from the Urdu catalogue.
"""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # 12 جنوری 2025
DATETIME_FORMAT = "j F Y، H:i"  # 12 جنوری 2025، 14:05
YEAR_MONTH_FORMAT = "F Y"  # جنوری 2025
MONTH_DAY_FORMAT = "j F"  # 12 جنوری
FIRST_DAY_OF_WEEK = 1  # Monday
