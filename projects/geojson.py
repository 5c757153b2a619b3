"""Projects' places as GeoJSON features (RFC 7946): one feature per location of each project,
read with one query and written a chunk at a time (`export_formats.geojson_chunks`). The API's
`?format=geojson` and `/data/`'s projects.geojson write them."""

from django.db.models import FloatField
from django.db.models.functions import Cast

from cpec_tracker.api.export_formats import EXPORT_CHUNK_ROWS, column_chunks
from cpec_tracker.api.exports import SLUG_PLACEHOLDER, UrlFromSlug
from cpec_tracker.records.names import ENGLISH, name_language

from .models import LocationPrecision, Project, ProjectStatus

# What a reader of the file is told about the projects it leaves out (an RFC 7946 "foreign
# member" of the FeatureCollection).
LEFT_OUT_NOTE = (
    "One feature per location of each matching published project; projects without a "
    "location are left out."
)

LOCATION_COLUMNS = (
    "locations__id",
    "locations__place_name",
    "locations__precision",
    "feature_longitude",
    "feature_latitude",
    "locations__geometry",
)
# A point's degrees read as floats by the database: what GeoJSON writes, without a Decimal
# made and unmade for each row (a fifth of the time of the whole export).
DEGREES = {
    "feature_longitude": Cast("locations__longitude", FloatField()),
    "feature_latitude": Cast("locations__latitude", FloatField()),
}


class ProjectFeatures:
    """The features of `projects` (a queryset of published projects, filtered and ordered as
    its list is): each location with its project's slug, title, status and page."""

    note = LEFT_OUT_NOTE

    def __init__(self, projects, request):
        title_fields = Project.translated_fields()
        self.local_title = title_fields[name_language()]
        self.english_title = title_fields[ENGLISH]
        # Labels in the language asked for, found now: the features are written after the
        # view has returned.
        self.status_labels = {code: str(label) for code, label in ProjectStatus.choices}
        self.precision_labels = {code: str(label) for code, label in LocationPrecision.choices}
        self.urls = UrlFromSlug(request, Project(slug=SLUG_PLACEHOLDER).get_absolute_url())
        # A project's rows with its locations joined (a project without one has a row of
        # nulls, skipped): the list's own order, one query.
        self.queryset = (
            projects.prefetch_related(None)
            .annotate(**DEGREES)
            .values_list("slug", self.local_title, self.english_title, "status", *LOCATION_COLUMNS)
        )

    def chunks(self):
        """Lists of features, a chunk of rows at a time."""
        for columns in column_chunks(self.queryset, EXPORT_CHUNK_ROWS):
            yield self.features(columns)

    def features(self, columns):
        slugs, local, english, statuses, ids, names, precisions, lons, lats, geometries = columns
        urls = self.urls(slugs)
        status_labels, precision_labels = self.status_labels, self.precision_labels
        return [
            {
                "type": "Feature",
                "id": ids[row],
                "geometry": geometries[row]
                if geometries[row] is not None
                else {"type": "Point", "coordinates": [lons[row], lats[row]]},
                "properties": {
                    "slug": slugs[row],
                    "title": local[row] or english[row],
                    "status": statuses[row],
                    "status_label": status_labels[statuses[row]],
                    "html_url": urls[row],
                    "place_name": names[row],
                    "precision": precisions[row],
                    "precision_label": precision_labels[precisions[row]],
                },
            }
            for row in range(len(slugs))
            if ids[row] is not None
        ]
