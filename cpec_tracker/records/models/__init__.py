"""The floor's models: the Record base and the public rule (`base`), sources, citations, the
shared vocabulary (organizations, themes), the cache's versions and readers' reports.

Everything is importable from here, as Django and the migrations expect
(`cpec_tracker.records.models.citable_content_types`).
"""

from cpec_tracker.records.fulltext import search_words
from cpec_tracker.records.models.base import (
    Citable,
    CitableQuerySet,
    PlainText,
    PublicationStatus,
    Record,
    RecordPart,
    RecordQuerySet,
    Versioned,
    citable_content_types,
    citable_fields,
    citable_models,
    if_public,
    part_of,
    precision_field,
    published_list_indexes,
    published_through,
)
from cpec_tracker.records.models.citations import (
    LAST_CITATION_RULE,
    Citation,
    last_citation_message,
    published_records_left_uncited,
)
from cpec_tracker.records.models.reports import ErrorReport, ErrorReportStatus
from cpec_tracker.records.models.sources import Source, SourceKind
from cpec_tracker.records.models.versions import DataVersion, TableVersion
from cpec_tracker.records.models.vocabulary import (
    WIKIDATA_ITEM_URL,
    Abbreviated,
    Aliased,
    Organization,
    OrganizationKind,
    Theme,
    ThemeKind,
    aliases_field,
    clean_aliases,
    derive_abbreviations,
    wikidata_id_field,
)

__all__ = [
    "LAST_CITATION_RULE",
    "WIKIDATA_ITEM_URL",
    "Abbreviated",
    "Aliased",
    "Citable",
    "CitableQuerySet",
    "Citation",
    "DataVersion",
    "ErrorReport",
    "ErrorReportStatus",
    "Organization",
    "OrganizationKind",
    "PlainText",
    "PublicationStatus",
    "Record",
    "RecordPart",
    "RecordQuerySet",
    "Source",
    "SourceKind",
    "TableVersion",
    "Theme",
    "ThemeKind",
    "Versioned",
    "aliases_field",
    "citable_content_types",
    "citable_fields",
    "citable_models",
    "clean_aliases",
    "derive_abbreviations",
    "if_public",
    "last_citation_message",
    "part_of",
    "precision_field",
    "published_list_indexes",
    "published_records_left_uncited",
    "published_through",
    "search_words",
    "wikidata_id_field",
]
