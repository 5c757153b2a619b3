"""Projects' places: geometries checked against RFC 7946, the gazetteer's suggestions, the
review rule, and the GeoJSON of the API and of /data/."""

import json
import math
from decimal import Decimal

import pytest
import shapely.geometry
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from cpec_tracker.editing.models import PendingChange
from cpec_tracker.records.outlines import KM_PER_DEGREE, CountryOutline, country_outline
from cpec_tracker.records.places import (
    gazetteer_suggestions,
    outside_country_warning,
    point,
    positions,
    validate_geometry,
)
from cpec_tracker.site import datafiles
from projects.models import Location
from tests.admin_forms import change_form_data

GWADAR = [62.3254, 25.1216]
KARACHI = [67.0104, 24.8608]
# A small square in Lahore, counterclockwise as RFC 7946 wants an outer ring, and a hole in
# it, clockwise.
SQUARE = [[74.3, 31.5], [74.4, 31.5], [74.4, 31.6], [74.3, 31.6], [74.3, 31.5]]
HOLE = [[74.32, 31.52], [74.32, 31.58], [74.38, 31.58], [74.38, 31.52], [74.32, 31.52]]


def polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(ring) for ring in rings]}


def error_code(geometry, country="PK"):
    with pytest.raises(ValidationError) as raised:
        validate_geometry(geometry, country)
    return raised.value.error_list[0].code


# Geometries (RFC 7946).


def test_a_point_a_line_and_an_area_in_pakistan_are_valid():
    validate_geometry(point(*GWADAR), "PK")
    validate_geometry({"type": "LineString", "coordinates": [GWADAR, KARACHI]}, "PK")
    validate_geometry(polygon(SQUARE), "PK")
    validate_geometry(polygon(SQUARE, HOLE), "PK")


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        # Latitude first: a latitude of 62 would be in range, but the place is then in Russia,
        # not in the country stated; and one that is out of range only the other way round.
        (point(25.1216, 62.3254), "latitude_first"),
        ({"type": "Point", "coordinates": [33.7, 120.0]}, "latitude_first"),
        ({"type": "Point", "coordinates": [200.0, 10.0]}, "longitude_range"),
        ({"type": "Point", "coordinates": [150.0, -95.0]}, "latitude_range"),
        ({"type": "Point", "coordinates": [62.3]}, "position"),
        ({"type": "Point", "coordinates": ["62.3", "25.1"]}, "position"),
        ({"type": "Point", "coordinates": [float("nan"), 25.1]}, "position"),
        ({"type": "LineString", "coordinates": [GWADAR]}, "line_too_short"),
        ({"type": "Circle", "coordinates": GWADAR}, "geometry_type"),
        ("POINT (62 25)", "geometry_type"),
        (polygon(SQUARE[:-1] + [[74.3, 31.55]]), "ring_not_closed"),
        (polygon(list(reversed(SQUARE))), "ring_clockwise"),
        (polygon(SQUARE, SQUARE), "hole_counterclockwise"),
        # A bow tie: closed and counterclockwise by its signed area, but crossing itself.
        (
            polygon([[62.3, 25.1], [62.4, 25.2], [62.4, 25.1], [62.3, 25.2], [62.3, 25.1]]),
            "geometry_invalid",
        ),
    ],
)
def test_a_geometry_against_rfc_7946_is_refused_with_its_reason(geometry, code):
    assert error_code(geometry) == code


def test_the_latitude_first_message_says_how_geojson_orders_positions():
    with pytest.raises(ValidationError) as raised:
        validate_geometry(point(25.1216, 62.3254), "PK")
    assert "longitude first" in raised.value.messages[0]


# The country check: Natural Earth's 1:50m outlines, with a tolerance at the border.

# Real places: (longitude, latitude).
GWADAR_PORT = (62.3450, 25.1050)  # the port's berths, on the peninsula's south side
KASHGAR = (75.9900, 39.4700)
KHUNJERAB_PASS = (75.4000, 36.8500)  # the border crossing, on the line itself
GILGIT = (74.3100, 35.9200)
ARABIAN_SEA = (63.0000, 23.0000)  # 180 km off Gwadar
AMRITSAR = (74.8700, 31.6300)  # India, 45 km from Lahore
LAHORE = (74.3587, 31.5204)


def test_a_place_outside_its_stated_country_is_a_warning_not_an_error():
    mumbai = point(72.8777, 19.076)
    validate_geometry(mumbai, "PK")  # Mumbai is a valid place…
    warning = outside_country_warning(mumbai, "PK")  # …but not in Pakistan.
    assert "outside Pakistan" in warning and "72.8777" in warning and "5 km" in warning


@pytest.mark.parametrize(
    ("place", "country"),
    [
        # Gwadar's port lies 2 to 4 km outside the coarse 1:50m coastline: inside the tolerance.
        (GWADAR_PORT, "PK"),
        (GWADAR, "PK"),
        (KARACHI, "PK"),
        (LAHORE, "PK"),
        (GILGIT, "PK"),  # Gilgit-Baltistan, inside Pakistan's outline as Natural Earth draws it
        (KHUNJERAB_PASS, "PK"),
        (KHUNJERAB_PASS, "CN"),
        (KASHGAR, "CN"),
        ((116.3972, 39.9075), "CN"),  # Beijing
    ],
)
def test_a_place_inside_its_country_or_near_its_border_has_no_warning(place, country):
    assert outside_country_warning(point(*place), country) == ""
    validate_geometry(point(*place), country)


@pytest.mark.parametrize(
    ("place", "country"),
    [
        (ARABIAN_SEA, "PK"),
        (AMRITSAR, "PK"),  # inside Pakistan's bounding box, the old check's blind spot
        (LAHORE, "IN"),
        (GWADAR, "CN"),
        (KASHGAR, "PK"),
        ((62.3254, 24.9), "PK"),  # 25 km off Gwadar, at sea
    ],
)
def test_a_place_outside_its_stated_country_is_warned_of(place, country):
    warning = outside_country_warning(point(*place), country)
    assert f"({place[0]}, {place[1]})" in warning and "outside" in warning


def test_a_line_or_an_area_is_warned_of_by_its_first_position_outside():
    line_to_kashgar = {"type": "LineString", "coordinates": [GWADAR, list(KASHGAR)]}
    assert f"({KASHGAR[0]}, {KASHGAR[1]})" in outside_country_warning(line_to_kashgar, "PK")
    assert outside_country_warning(line_to_kashgar, "CN").startswith(
        f"The place ({GWADAR[0]}, {GWADAR[1]})"
    )
    assert outside_country_warning(polygon(SQUARE, HOLE), "PK") == ""


def test_a_country_without_an_outline_is_not_checked():
    assert country_outline("") is None and country_outline("XX") is None
    assert outside_country_warning(point(*GWADAR), "") == ""


def test_the_outlines_are_decoded_once_from_the_vendored_atlas():
    pakistan = country_outline("PK")
    assert country_outline("PK") is pakistan  # cached for the process
    # Natural Earth's extent of Pakistan (west, south, east, north), to a tenth of a degree.
    assert [round(edge, 1) for edge in pakistan.shape.bounds] == [60.8, 23.8, 77.0, 37.0]
    china = country_outline("CN")  # rings stitched from arcs shared with its neighbours
    assert china.shape.is_valid and china.covers(*KASHGAR) and not china.covers(*LAHORE)
    assert country_outline("IN").covers(*AMRITSAR)


def test_the_distance_outside_an_outline_is_measured_in_kilometres():
    # A square of one degree at latitude 60, where a degree of longitude is about half as long.
    square = CountryOutline(shapely.geometry.box(10, 60, 11, 61))
    assert square.distance_km(10.5, 60.5) == 0
    assert square.distance_km(10.5, 61 + 3 / KM_PER_DEGREE) == pytest.approx(3, rel=0.01)
    km_per_degree_east = KM_PER_DEGREE * math.cos(math.radians(60.5))
    east_by_8_km = 11 + 8 / km_per_degree_east
    assert square.distance_km(east_by_8_km, 60.5) == pytest.approx(8, rel=0.01)
    assert square.near(11 + 4 / km_per_degree_east, 60.5)
    assert not square.near(east_by_8_km, 60.5)
    assert square.distance_km(20, 60.5) == math.inf


# The model.


@pytest.mark.django_db
def test_a_location_is_a_point_or_a_geometry_never_both_nor_neither(make):
    project = make.make_project()
    both = Location(
        project=project,
        place_name="Gwadar",
        precision="city",
        longitude=Decimal("62.3"),
        latitude=Decimal("25.1"),
        geometry=point(*GWADAR),
    )
    neither = Location(project=project, place_name="Somewhere", precision="near")
    half = Location(project=project, place_name="Gwadar", precision="city", longitude=62)
    for location in (both, neither, half):
        with pytest.raises(ValidationError):
            location.full_clean()


@pytest.mark.django_db
def test_a_point_typed_latitude_first_is_refused_on_its_longitude(make):
    location = Location(
        project=make.make_project(),
        place_name="Gwadar",
        precision="city",
        longitude=Decimal("25.1216"),
        latitude=Decimal("62.3254"),
    )
    with pytest.raises(ValidationError) as raised:
        location.full_clean()
    assert "longitude first" in raised.value.message_dict["longitude"][0]


# The gazetteer: offline, suggested, never guessed.


def test_the_gazetteer_suggests_a_named_city_with_its_precision():
    (gwadar,) = gazetteer_suggestions("Gwadar")
    assert (gwadar.country, gwadar.precision) == ("PK", "city")
    assert gwadar.longitude == pytest.approx(62.33, abs=0.05)
    assert gwadar.latitude == pytest.approx(25.12, abs=0.05)
    # A name shared with places elsewhere: in the country asked for only.
    in_pakistan = gazetteer_suggestions("Islamabad", "PK")
    assert {found.country for found in in_pakistan} == {"PK"}
    assert in_pakistan[0].geonames_id == 1176615  # the capital, the most populous


def test_a_place_the_gazetteer_does_not_know_gets_no_suggestion():
    assert gazetteer_suggestions("Khunjerab Pass") == []
    assert gazetteer_suggestions("Zorblax") == []


@pytest.mark.django_db
def test_a_meeting_gets_its_citys_point_from_the_gazetteer(make):
    beijing = make.make_meeting(city="Beijing", country="CN")
    assert beijing.city_point["type"] == "Point"
    longitude, latitude = beijing.city_point["coordinates"]
    assert (round(longitude), round(latitude)) == (116, 40)
    assert make.make_meeting(city="Zorblax", country="CN").city_point is None
    assert make.make_meeting(city="", country="").city_point is None


# The admin.


def location_form(url, client, **values):
    data = change_form_data(client.get(url))
    data["locations-TOTAL_FORMS"] = "1"
    data.update({f"locations-0-{name}": value for name, value in values.items()})
    return data


@pytest.mark.django_db
def test_the_admin_suggests_the_places_a_project_names_and_the_editor_chooses_one(
    editor_client, make
):
    project = make.make_project(
        publication_status="draft", location="Gwadar, Balochistan", province="balochistan"
    )
    url = reverse("admin:projects_project_change", args=[project.pk])
    page = editor_client.get(url).text
    assert "Suggest from gazetteer" in page
    (gwadar,) = gazetteer_suggestions("Gwadar")
    assert f'value="{gwadar.geonames_id}"' in page and "City or district" in page

    response = editor_client.post(
        url, location_form(url, editor_client, suggestion=str(gwadar.geonames_id))
    )
    assert response.status_code == 302, response.text[:3000]
    location = Location.objects.get(project=project)
    assert (location.place_name, location.precision, location.country) == ("Gwadar", "city", "PK")
    assert location.geonames_id == gwadar.geonames_id
    assert float(location.longitude) == pytest.approx(gwadar.longitude, abs=1e-6)


@pytest.mark.django_db
def test_a_place_the_gazetteer_does_not_know_is_entered_by_hand_not_guessed(editor_client, make):
    project = make.make_project(publication_status="draft", location="Khunjerab Pass")
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = editor_client.post(
        url, location_form(url, editor_client, place_name="Khunjerab Pass", precision="exact")
    )
    assert response.status_code == 200
    assert "entered by hand" in response.text
    assert not Location.objects.exists()

    response = editor_client.post(
        url,
        location_form(
            url,
            editor_client,
            place_name="Khunjerab Pass",
            precision="exact",
            country="PK",
            longitude="75.4",
            latitude="36.85",
        ),
    )
    assert response.status_code == 302
    assert Location.objects.get().geonames_id is None


@pytest.mark.django_db
def test_the_admin_warns_of_a_place_outside_its_country_and_refuses_a_bad_ring(editor_client, make):
    project = make.make_project(publication_status="draft")
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = editor_client.post(
        url,
        location_form(
            url,
            editor_client,
            place_name="Mumbai",
            precision="city",
            country="PK",
            longitude="72.8777",
            latitude="19.076",
        ),
    )
    assert response.status_code == 302
    warnings = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("outside Pakistan" in message for message in warnings), warnings

    open_ring = json.dumps(polygon(SQUARE[:-1]))
    url = reverse(
        "admin:projects_project_change", args=[make.make_project(publication_status="draft").pk]
    )
    response = editor_client.post(
        url,
        location_form(
            url,
            editor_client,
            place_name="Port",
            precision="exact",
            country="PK",
            geometry=open_ring,
        ),
    )
    assert response.status_code == 200
    assert "must be closed" in response.text


@pytest.mark.django_db
def test_a_location_added_to_a_published_project_waits_for_review(editor_client, make):
    project = make.make_project(slug="reviewed-place")
    make.make_citation(project)
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = editor_client.post(
        url,
        location_form(
            url,
            editor_client,
            place_name="Gwadar",
            precision="city",
            country="PK",
            longitude="62.3254",
            latitude="25.1216",
        ),
    )
    assert response.status_code == 302, response.text[:3000]
    assert not Location.objects.exists()
    assert PendingChange.objects.pending().count() == 1

    make.approve_pending_changes()

    assert Location.objects.get(project=project).place_name == "Gwadar"


# GeoJSON.


def check_rfc_7946(collection, country="PK"):
    """The rules of RFC 7946 a FeatureCollection of points, lines and areas must keep; every
    place here is in `country`, which proves the positions are [longitude, latitude]."""
    assert collection["type"] == "FeatureCollection"
    assert isinstance(collection["features"], list)
    assert "crs" not in collection  # WGS 84 only (section 4)
    check_bbox(collection, [feature["geometry"] for feature in collection["features"]])
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        assert isinstance(feature.get("id", 0), str | int)
        geometry = feature["geometry"]
        assert "crs" not in feature and "crs" not in geometry
        check_bbox(feature, [geometry])
        # A known type; positions in range, lines of two positions, closed rings of four,
        # exterior rings counterclockwise and holes clockwise (section 3.1.6), no self-crossing.
        validate_geometry(geometry)
        assert outside_country_warning(geometry, country) == ""  # longitude first
        for longitude, latitude in positions(geometry):
            # No more precision than means anything (section 11.2): no float noise.
            assert all(decimal_places(number) <= 7 for number in (longitude, latitude))


def decimal_places(number):
    return max(0, -Decimal(repr(number)).as_tuple().exponent)


def check_bbox(member, geometries):
    """A bbox (section 5), where given, is [west, south, east, north] of every position."""
    if "bbox" not in member:
        return
    every = [position for geometry in geometries for position in positions(geometry)]
    longitudes, latitudes = [p[0] for p in every], [p[1] for p in every]
    assert member["bbox"] == [min(longitudes), min(latitudes), max(longitudes), max(latitudes)]


def test_the_rfc_7946_check_catches_what_it_checks():
    """The check above fails on each rule broken (so the tests using it prove something)."""
    good = {"type": "Feature", "properties": {}, "geometry": point(*GWADAR)}
    check_rfc_7946({"type": "FeatureCollection", "features": [good]})
    broken = [
        {"type": "FeatureCollection", "features": [good], "crs": {"type": "name"}},
        {"type": "FeatureCollection", "features": {"0": good}},
        {"type": "FeatureCollection", "features": [good], "bbox": [0, 0, 1, 1]},
        {"type": "FeatureCollection", "features": [{**good, "geometry": point(25.1216, 62.3254)}]},
        {"type": "FeatureCollection", "features": [{**good, "geometry": polygon(SQUARE[::-1])}]},
        {"type": "FeatureCollection", "features": [{**good, "geometry": point(62.32540001, 25.1)}]},
        {"type": "FeatureCollection", "features": [{**good, "geometry": {"type": "Circle"}}]},
    ]
    for collection in broken:
        with pytest.raises((AssertionError, ValidationError)):
            check_rfc_7946(collection)
    check_bbox({"bbox": [74.3, 31.5, 74.4, 31.6]}, [polygon(SQUARE)])


def geojson(client, query=""):
    response = client.get(f"/api/v1/projects/?format=geojson{query}")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(b"".join(response.streaming_content))


@pytest.mark.django_db
def test_geojson_has_a_feature_per_location_of_the_filtered_published_projects(client, make):
    port = make.make_project(slug="port", title="Port", status="operational")
    make.make_location(port)
    make.make_location(
        port,
        place_name="Gwadar to Karachi",
        precision="near",
        geometry={"type": "LineString", "coordinates": [GWADAR, KARACHI]},
    )
    zone = make.make_project(slug="zone", title="Zone", status="planned")
    make.make_location(zone, place_name="Zone site", precision="exact", geometry=polygon(SQUARE))
    make.make_project(slug="nowhere", title="Nowhere", status="planned")
    hidden = make.make_project(slug="hidden", publication_status="draft")
    make.make_location(hidden, place_name="Hidden place")

    collection = geojson(client)
    check_rfc_7946(collection)
    assert [f["properties"]["slug"] for f in collection["features"]] == ["port", "port", "zone"]
    assert "left out" in collection["note"]
    first = collection["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": GWADAR}
    assert first["properties"] == {
        "slug": "port",
        "title": "Port",
        "status": "operational",
        "status_label": "Operational",
        "html_url": "http://testserver/projects/port/",
        "place_name": "Gwadar",
        "precision": "city",
        "precision_label": "City or district",
    }
    assert collection["features"][2]["geometry"] == polygon(SQUARE)

    planned = geojson(client, "&status=planned")
    assert [f["properties"]["slug"] for f in planned["features"]] == ["zone"]
    assert geojson(client, "&status=suspended")["features"] == []


@pytest.mark.django_db
def test_geojson_keeps_rfc_7946_for_every_kind_of_geometry(client, make):
    """Every geometry type a place may have, areas with holes and several parts, and a point to
    the millionth of a degree: written as entered, in the RFC's rules (on both databases: the
    positions go through PostgreSQL's jsonb and its cast of decimals to floats)."""
    project = make.make_project(slug="everywhere")
    geometries = [
        point(62.123457, 25.654321),
        {"type": "MultiPoint", "coordinates": [GWADAR, KARACHI]},
        {"type": "LineString", "coordinates": [GWADAR, KARACHI]},
        {"type": "MultiLineString", "coordinates": [[GWADAR, KARACHI], [KARACHI, [67.1, 24.9]]]},
        polygon(SQUARE, HOLE),
        {
            "type": "MultiPolygon",
            "coordinates": [
                [SQUARE, HOLE],
                [[[longitude, latitude + 1] for longitude, latitude in SQUARE]],
            ],
        },
    ]
    make.make_location(
        project, place_name="A point", longitude=Decimal("62.123457"), latitude=Decimal("25.654321")
    )
    for number, geometry in enumerate(geometries[1:]):
        place = Location(project=project, place_name=f"Place {number}", precision="near")
        place.geometry = geometry
        place.full_clean()  # each is a valid place in Pakistan
        place.save()

    collection = geojson(client)

    check_rfc_7946(collection)
    assert [feature["geometry"] for feature in collection["features"]] == geometries
    located = detail(client, "everywhere")["locations"]
    assert [place["geometry"] for place in located] == geometries


@pytest.mark.django_db
def test_a_geometry_pasted_with_more_decimals_is_kept_to_six(make):
    place = Location(
        project=make.make_project(),
        place_name="Road",
        precision="near",
        geometry={"type": "LineString", "coordinates": [[62.32540012345, 25.1216], KARACHI]},
    )
    place.full_clean()
    assert place.geometry["coordinates"] == [[62.3254, 25.1216], KARACHI]


@pytest.mark.django_db
def test_geojson_labels_in_the_language_asked_for(client, make):
    make.make_location(make.make_project(status="operational"))
    collection = geojson(client, "&lang=zh-hans")
    (feature,) = collection["features"]
    assert feature["properties"]["status"] == "operational"
    assert feature["properties"]["status_label"] != "Operational"


@pytest.mark.django_db
def test_geojson_reads_a_fixed_number_of_queries(client, make, django_assert_max_num_queries):
    def located(count):
        for _ in range(count):
            make.make_location(make.make_project())

    located(2)
    with django_assert_max_num_queries(6) as few:
        geojson(client)
    located(30)
    with django_assert_max_num_queries(len(few)):
        assert len(geojson(client)["features"]) == 32


@pytest.mark.django_db
def test_the_schema_lists_geojson_for_projects(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/projects/"]["get"]
    (format_parameter,) = [p for p in operation["parameters"] if p["name"] == "format"]
    assert "geojson" in format_parameter["schema"]["enum"]
    content = operation["responses"]["200"]["content"]["application/geo+json"]
    assert content["schema"]["properties"]["type"]["enum"] == ["FeatureCollection"]
    meetings = schema["paths"]["/api/v1/meetings/"]["get"]
    (meetings_format,) = [p for p in meetings["parameters"] if p["name"] == "format"]
    assert "geojson" not in meetings_format["schema"]["enum"]


@pytest.mark.django_db
def test_data_has_the_published_projects_places_as_geojson(client, make):
    make.make_location(make.make_project(slug="shown"))
    make.make_location(make.make_project(slug="draft-one", publication_status="draft"))
    response = client.get("/data/projects.geojson")
    if response.status_code == 503:  # The first build is under way: wait for it.
        datafiles.build_version(datafiles.current_label())
        response = client.get("/data/projects.geojson")
    assert response.status_code == 200
    collection = json.loads(b"".join(response.streaming_content))
    check_rfc_7946(collection)
    assert [f["properties"]["slug"] for f in collection["features"]] == ["shown"]
    entry = next(f for f in datafiles.current_build().files if f["name"] == "projects.geojson")
    assert (entry["rows"], entry["mediatype"]) == (1, "application/geo+json")


@pytest.mark.django_db
def test_a_projects_page_shows_its_places_in_as_many_queries_whatever_their_number(
    client, make, django_assert_max_num_queries, no_page_cache
):
    project = make.make_project(slug="placed")
    make.make_citation(make.make_location(project))
    make.make_location(
        project,
        place_name="Gwadar to Karachi",
        precision="near",
        geometry={"type": "LineString", "coordinates": [GWADAR, KARACHI]},
    )
    with django_assert_max_num_queries(40) as few:
        page = client.get("/projects/placed/").text
    assert "Places" in page and "25.1216° N, 62.3254° E" in page and "A line (a route)" in page
    for number in range(5):
        make.make_citation(make.make_location(project, place_name=f"Site {number}"))
    with django_assert_max_num_queries(len(few)):
        page = client.get("/projects/placed/").text
    assert "Site 4" in page


# The API's detail.


def detail(client, slug, query=""):
    response = client.get(f"/api/v1/projects/{slug}/{query}")
    assert response.status_code == 200, response.content[:500]
    return response.json()


@pytest.mark.django_db
def test_a_projects_api_detail_has_its_places_as_geojson_with_precision_and_citations(client, make):
    project = make.make_project(slug="placed")
    source = make.make_source(slug="port-report")
    port = make.make_location(project, note="Confirmed on the map.")
    make.make_citation(port, source=source, quote=source.text[:20], fields=["place_name"])
    make.make_location(
        project,
        place_name="Gwadar to Karachi",
        precision="near",
        geometry={"type": "LineString", "coordinates": [GWADAR, KARACHI]},
    )
    make.make_location(project, place_name="Zone", precision="exact", geometry=polygon(SQUARE))

    locations = detail(client, "placed")["locations"]

    assert locations[0] == {
        "place_name": "Gwadar",
        "geometry": {"type": "Point", "coordinates": GWADAR},
        "precision": "city",
        "precision_label": "City or district",
        "country": "PK",
        "country_label": "Pakistan",
        "geonames_id": None,
        "note": "Confirmed on the map.",
        "citations": [
            {**locations[0]["citations"][0], "source": "port-report", "fields": ["place_name"]}
        ],
    }
    assert locations[0]["citations"][0]["source_link"]["slug"] == "port-report"
    assert [place["geometry"]["type"] for place in locations] == ["Point", "LineString", "Polygon"]
    assert locations[1]["geometry"]["coordinates"] == [GWADAR, KARACHI]
    assert locations[2]["geometry"] == polygon(SQUARE)
    assert [place["citations"] for place in locations[1:]] == [[], []]
    for place in locations:
        validate_geometry(place["geometry"])


@pytest.mark.django_db
def test_a_projects_places_are_labelled_in_the_language_asked_for(client, make):
    make.make_location(make.make_project(slug="placed"))
    (place,) = detail(client, "placed", "?lang=zh-hans")["locations"]
    assert place["precision"] == "city" and place["country"] == "PK"
    assert place["precision_label"] != "City or district"
    assert place["country_label"] != "Pakistan"


@pytest.mark.django_db
def test_a_project_without_places_has_none_and_a_draft_projects_places_are_not_served(client, make):
    make.make_project(slug="nowhere")
    assert detail(client, "nowhere")["locations"] == []
    hidden = make.make_project(slug="hidden", publication_status="draft")
    make.make_location(hidden)
    assert client.get("/api/v1/projects/hidden/").status_code == 404


@pytest.mark.django_db
def test_a_projects_api_detail_reads_its_places_in_as_many_queries_whatever_their_number(
    client, make, django_assert_max_num_queries, no_page_cache, settings
):
    settings.CPEC_DOCUMENT_CACHE = False  # measured as rendered, not as stored
    project = make.make_project(slug="placed")
    make.make_citation(make.make_location(project))
    with django_assert_max_num_queries(20) as few:
        detail(client, "placed")
    for number in range(5):
        make.make_citation(make.make_location(project, place_name=f"Site {number}"))
    with django_assert_max_num_queries(len(few)):
        assert len(detail(client, "placed")["locations"]) == 6
