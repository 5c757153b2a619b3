"""English is British English here (the site's spelling, and day-first dates in the admin's
date fields, as with LANGUAGE_CODE en-gb before the site had other languages). The language
code is plain `en`, so that every English address stays unprefixed (i18n_patterns compares
the active language with LANGUAGE_CODE)."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
