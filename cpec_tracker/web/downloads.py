"""The download links of a list page: its rows as CSV and JSON Lines from the API's exports.

The pages and the API share one FilterSet per model, so the page's own query string is the
export's, less what only the page's form sends: blank fields ("Any") and a yes/no left
"unknown", which the API would refuse as a 400; and of a parameter given twice, the one value
the page's form read (the last), as the API refuses a repeated single-valued parameter.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cpec_tracker.api.parameters import takes_several_values

# What the form of a yes/no filter sends for "Any" (see views.label_form_field).
UNKNOWN_CHOICE = "unknown"

FORMATS = [
    ("csv", _("CSV"), _("a spreadsheet: one row per record, related records by slug")),
    ("jsonl", _("JSON Lines"), _("one JSON object per line, as the API lists them")),
]


def export_query(query_params, filters):
    """The filters and ordering of `query_params` that the API reads (`filters`: the page's
    FilterSet's, by name), blank ones left out."""
    kept = []
    for name, values in query_params.lists():
        if name not in filters:
            continue
        read = values if takes_several_values(filters[name]) else values[-1:]
        kept.extend((name, value) for value in read if value not in ("", UNKNOWN_CHOICE))
    return kept


def download_links(model, query_params, filters):
    """[{format, label, description, url}] for the list of `model` filtered as the page is."""
    collection = reverse(f"api:{model._meta.model_name}-list")
    query = export_query(query_params, filters)
    return [
        {
            "format": file_format,
            "label": label,
            "description": description,
            "url": f"{collection}?{urlencode([*query, ('format', file_format)])}",
        }
        for file_format, label, description in FORMATS
    ]
