"""Great-circle distances in miles, in Python and as SQL the database evaluates.

Both are geopy's `great_circle`, step for step (the tests hold them to it), written out here
so that a worker need not import geopy, which brings every geocoder and HTTP client along.
"""

from __future__ import annotations

import math

from sqlalchemy import ColumnElement, func, literal

# geopy's mean Earth radius (geopy.distance.EARTH_RADIUS) and its kilometres per mile.
EARTH_RADIUS_KM = 6371.009
KM_PER_MILE = 1.609344
# The one radius used everywhere in the app.
EARTH_RADIUS_MILES = EARTH_RADIUS_KM / KM_PER_MILE
MILES_PER_DEGREE_LATITUDE = EARTH_RADIUS_MILES * math.pi / 180
# Farther than any two points on Earth: a search this wide needs no box at all.
HALF_CIRCUMFERENCE_MILES = EARTH_RADIUS_MILES * math.pi
# Boxes are drawn this much wider than asked, so that a point whose measured distance is
# exactly the radius is never lost to a rounding difference between formulas.
BOX_SLACK = 1e-6


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle miles between two (latitude, longitude) points, as geopy measures them."""
    lat1, lng1 = math.radians(a[0]), math.radians(a[1])
    lat2, lng2 = math.radians(b[0]), math.radians(b[1])
    sin_lat1, cos_lat1 = math.sin(lat1), math.cos(lat1)
    sin_lat2, cos_lat2 = math.sin(lat2), math.cos(lat2)
    delta_lng = lng2 - lng1
    cos_delta_lng, sin_delta_lng = math.cos(delta_lng), math.sin(delta_lng)
    d = math.atan2(
        math.sqrt(
            (cos_lat2 * sin_delta_lng) ** 2
            + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta_lng) ** 2
        ),
        sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta_lng,
    )
    return EARTH_RADIUS_KM * d / KM_PER_MILE


def bounding_box(
    latitude: float, longitude: float, radius_miles: float
) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box that holds every point within the radius.

    Longitudes span all of -180..180 when the circle reaches a pole or crosses the
    antimeridian, so a caller may compare plain longitudes without wrapping.
    """
    radius = radius_miles * (1 + BOX_SLACK) + BOX_SLACK
    dlat = radius / MILES_PER_DEGREE_LATITUDE
    if abs(latitude) + dlat >= 90.0:
        return latitude - dlat, latitude + dlat, -180.0, 180.0
    # Widest at the box's edge nearest a pole.
    dlon = dlat / math.cos(math.radians(abs(latitude) + dlat))
    if dlon >= 180.0 or longitude - dlon < -180.0 or longitude + dlon > 180.0:
        return latitude - dlat, latitude + dlat, -180.0, 180.0
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def great_circle_miles_sql(
    lat_column: ColumnElement, lon_column: ColumnElement, latitude: float, longitude: float
) -> ColumnElement[float]:
    """The distance from a fixed point to each row, with geopy's own formula (atan2 form),
    so the database orders rows exactly as geopy would measure them."""
    origin = great_circle_parameters(latitude, longitude)
    sin1, cos1 = literal(origin["gc_sin1"]), literal(origin["gc_cos1"])
    lat2 = func.radians(lat_column)
    sin2, cos2 = func.sin(lat2), func.cos(lat2)
    delta = func.radians(lon_column) - literal(origin["gc_lon1"])
    cos_d, sin_d = func.cos(delta), func.sin(delta)
    y1 = cos2 * sin_d
    y2 = cos1 * sin2 - sin1 * cos2 * cos_d
    x = sin1 * sin2 + cos1 * cos2 * cos_d
    return func.atan2(func.sqrt(y1 * y1 + y2 * y2), x) * literal(EARTH_RADIUS_MILES)


def great_circle_parameters(latitude: float, longitude: float) -> dict[str, float]:
    """The bound values of `great_circle_miles_text` for one origin."""
    lat1 = math.radians(latitude)
    return {
        "gc_sin1": math.sin(lat1),
        "gc_cos1": math.cos(lat1),
        "gc_lon1": math.radians(longitude),
        "gc_radius": EARTH_RADIUS_MILES,
    }


def great_circle_miles_text(lat_column: str, lon_column: str) -> str:
    """The formula of `great_circle_miles_sql` as SQL text, for prepared hot-path queries:
    the origin comes as the parameters of `great_circle_parameters`."""
    sin2, cos2 = f"sin(radians({lat_column}))", f"cos(radians({lat_column}))"
    delta = f"(radians({lon_column}) - :gc_lon1)"
    y1 = f"({cos2} * sin({delta}))"
    y2 = f"(:gc_cos1 * {sin2} - :gc_sin1 * {cos2} * cos({delta}))"
    x = f"(:gc_sin1 * {sin2} + :gc_cos1 * {cos2} * cos({delta}))"
    return f"(atan2(sqrt({y1} * {y1} + {y2} * {y2}), {x}) * :gc_radius)"
