"""Countries' outlines from Natural Earth (public domain), read from the TopoJSON the map ships
with (world-atlas' countries-50m.json, vendored under the site's static files): whether a
place lies inside the country it is said to be in, and how far outside it when it does not.

TopoJSON keeps each border once, as an "arc" shared by the countries on either side:
quantized to integers and delta-encoded (each position is the step from the one before).
A polygon's ring is a list of arc indexes, ~i meaning arc i walked backwards. Only the
countries asked for are decoded, once per process (a few milliseconds each; the file is
parsed once, about 30 ms).

The 1:50m outlines are coarse (a few kilometres off at the coast and along borders), so a
place within BORDER_TOLERANCE_KM of its country counts as inside it.
"""

import functools
import json
import math
from pathlib import Path

import shapely
import shapely.affinity
import shapely.geometry
import shapely.prepared
from django_countries import countries

WORLD_ATLAS = (
    Path(__file__).resolve().parent.parent
    / "site/static/cpec_tracker/vendor/world-atlas-2.0.2/countries-50m.json"
)

# How far outside its country's 1:50m outline a place may lie and still count as inside: the
# outline's own error at the coast and along borders (Gwadar's peninsula, a mountain pass).
BORDER_TOLERANCE_KM = 5

# The length of a degree of latitude (and of longitude at the equator), in km: distances this
# short are measured on a local flat projection.
KM_PER_DEGREE = 111.32


@functools.cache
def _topology():
    with WORLD_ATLAS.open(encoding="utf-8") as file:
        return json.load(file)


@functools.cache
def _countries_by_numeric_code():
    """The TopoJSON's country geometries by their ISO 3166-1 numeric code ("586")."""
    geometries = _topology()["objects"]["countries"]["geometries"]
    return {geometry["id"]: geometry for geometry in geometries if "id" in geometry}


@functools.cache
def _arc(index):
    """Arc `index` as absolute (longitude, latitude) positions."""
    topology = _topology()
    (scale_x, scale_y), (translate_x, translate_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    x = y = 0
    positions = []
    for step_x, step_y in topology["arcs"][index]:
        x += step_x
        y += step_y
        positions.append((x * scale_x + translate_x, y * scale_y + translate_y))
    return positions


def _ring(arc_indexes):
    """A ring's positions from its arcs; each arc starts where the one before ended, so that
    shared position is kept once."""
    positions = []
    for index in arc_indexes:
        arc = _arc(index) if index >= 0 else _arc(~index)[::-1]
        positions.extend(arc if not positions else arc[1:])
    return positions


def _polygon(rings):
    exterior, *holes = (_ring(ring) for ring in rings)
    return shapely.geometry.Polygon(exterior, holes)


def topojson_shape(geometry):
    """A TopoJSON Polygon or MultiPolygon of the world atlas as a shapely geometry."""
    if geometry["type"] == "Polygon":
        polygons = [_polygon(geometry["arcs"])]
    else:
        polygons = [_polygon(rings) for rings in geometry["arcs"]]
    return shapely.make_valid(shapely.geometry.MultiPolygon(polygons))


@functools.cache
def country_outline(code):
    """The outline of the country with ISO 3166-1 alpha-2 `code` ("PK"), or None for a code
    the atlas has no outline for. Decoded once per process."""
    numeric = countries.numeric(code, padded=True) if code else None
    geometry = _countries_by_numeric_code().get(numeric)
    if geometry is None:
        return None
    return CountryOutline(topojson_shape(geometry))


class CountryOutline:
    """A country's outline, prepared for many questions of whether a place is inside it."""

    def __init__(self, shape):
        self.shape = shape
        self.prepared = shapely.prepared.prep(shape)

    def covers(self, longitude, latitude):
        return self.prepared.covers(shapely.geometry.Point(longitude, latitude))

    def distance_km(self, longitude, latitude, reach_km=4 * BORDER_TOLERANCE_KM):
        """How far the position lies outside the outline, in km: 0 inside it, math.inf beyond
        `reach_km`. Measured on a flat projection around the position, exact enough within
        tens of kilometres, which is all it is asked."""
        if self.covers(longitude, latitude):
            return 0.0
        shrink = math.cos(math.radians(latitude))
        reach_latitude = reach_km / KM_PER_DEGREE
        reach_longitude = reach_latitude / max(shrink, 0.01)
        nearby = shapely.clip_by_rect(
            self.shape,
            longitude - reach_longitude,
            latitude - reach_latitude,
            longitude + reach_longitude,
            latitude + reach_latitude,
        )
        if nearby.is_empty:
            return math.inf
        # Degrees of longitude shrink towards the poles: scaled so both axes are in the same
        # units (degrees of latitude) around the position.
        flat = shapely.affinity.scale(nearby, xfact=shrink, yfact=1, origin=(0, 0))
        position = shapely.geometry.Point(longitude * shrink, latitude)
        distance = flat.distance(position) * KM_PER_DEGREE
        return distance if distance <= reach_km else math.inf

    def near(self, longitude, latitude):
        """Whether the position lies inside the outline or within BORDER_TOLERANCE_KM of it."""
        return self.distance_km(longitude, latitude) <= BORDER_TOLERANCE_KM
