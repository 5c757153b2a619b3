"""The map's base layer: Natural Earth's country outlines (world-atlas, vendored), cropped to
the corridor's part of the world and simplified, written as a small TopoJSON file that ships
with the app (`manage.py map_outlines` writes it; the map page reads it as a static file).

The whole world at 1:50m is 756 KB; the countries around Pakistan and China, their arcs
simplified by about 1.5 km, are 171 KB (56 KB compressed), which keeps the map page's first
load within its budget (300 KB compressed). Cropping keeps TopoJSON's
shared arcs, so neighbouring countries still share one border line.
"""

import json
from pathlib import Path

from shapely.geometry import LineString

STATIC = Path(__file__).resolve().parent / "static" / "cpec_tracker"
WORLD_ATLAS = STATIC / "vendor" / "world-atlas-2.0.2" / "countries-50m.json"
OUTLINES = STATIC / "map" / "outlines.json"

# West, south, east, north in degrees: Pakistan and China with their neighbours, the
# countries a reader of the map sees around the projects.
CROP = (45.0, 5.0, 135.0, 55.0)
# Douglas-Peucker tolerance in the file's quantized units (1 unit ≈ 0.0036° of longitude):
# about 1.5 km, under a pixel at the zoom that shows Pakistan whole.
SIMPLIFY_UNITS = 4


def arc_points(arc):
    """A quantized, delta-encoded arc's absolute positions."""
    x = y = 0
    points = []
    for dx, dy in arc:
        x += dx
        y += dy
        points.append((x, y))
    return points


def delta_encoded(points):
    encoded = []
    last_x = last_y = 0
    for x, y in points:
        encoded.append([x - last_x, y - last_y])
        last_x, last_y = x, y
    return encoded


def simplified(points):
    """`points` with the detail under SIMPLIFY_UNITS taken out; its ends kept, so the arcs
    still meet, and a closed ring never fewer than four positions."""
    if len(points) <= 4:
        return points
    kept = [tuple(map(int, point)) for point in LineString(points).simplify(SIMPLIFY_UNITS).coords]
    minimum = 4 if points[0] == points[-1] else 2
    return kept if len(kept) >= minimum else points


def degrees_box(points, transform):
    (scale_x, scale_y), (translate_x, translate_y) = transform["scale"], transform["translate"]
    xs = [translate_x + x * scale_x for x, _ in points]
    ys = [translate_y + y * scale_y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def arc_indexes(arcs):
    """Every arc index a geometry's nested `arcs` names (a negative one is the arc reversed)."""
    if isinstance(arcs, int):
        yield arcs if arcs >= 0 else ~arcs
        return
    for part in arcs:
        yield from arc_indexes(part)


def renumbered(arcs, new_index):
    if isinstance(arcs, int):
        return new_index[arcs] if arcs >= 0 else ~new_index[~arcs]
    return [renumbered(part, new_index) for part in arcs]


def cropped_topology(world):
    """The countries of `world` (a world-atlas topology) whose outline reaches into CROP,
    with only their arcs, simplified."""
    transform = world["transform"]
    points = [arc_points(arc) for arc in world["arcs"]]
    west, south, east, north = CROP

    def reaches_crop(geometry):
        boxes = [degrees_box(points[index], transform) for index in arc_indexes(geometry["arcs"])]
        return any(
            box[0] <= east and box[2] >= west and box[1] <= north and box[3] >= south
            for box in boxes
        )

    countries = [
        geometry
        for geometry in world["objects"]["countries"]["geometries"]
        if geometry.get("arcs") and reaches_crop(geometry)
    ]
    used = sorted({index for country in countries for index in arc_indexes(country["arcs"])})
    new_index = {old: new for new, old in enumerate(used)}
    return {
        "type": "Topology",
        "transform": transform,
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {
                        "type": country["type"],
                        "arcs": renumbered(country["arcs"], new_index),
                        "id": country.get("id"),
                        "properties": {"name": country["properties"]["name"]},
                    }
                    for country in countries
                ],
            }
        },
        "arcs": [delta_encoded(simplified(points[index])) for index in used],
    }


def outlines_text(source=WORLD_ATLAS):
    """The cropped topology as the file holds it (compact JSON, one line)."""
    world = json.loads(source.read_text(encoding="utf-8"))
    return json.dumps(cropped_topology(world), separators=(",", ":"), ensure_ascii=False) + "\n"
