"""Great-circle distances in miles, in Python (geopy) and as SQL the database evaluates."""

from __future__ import annotations

import math

from geopy.distance import EARTH_RADIUS, great_circle
from sqlalchemy import ColumnElement, func, literal

# geopy's mean Earth radius, in miles: the one radius used everywhere in the app.
EARTH_RADIUS_MILES = EARTH_RADIUS / 1.609344
MILES_PER_DEGREE_LATITUDE = EARTH_RADIUS_MILES * math.pi / 180


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle miles between two (latitude, longitude) points."""
    return great_circle(a, b).miles


def bounding_box(
    latitude: float, longitude: float, radius_miles: float
) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box that holds every point within the radius."""
    dlat = radius_miles / MILES_PER_DEGREE_LATITUDE
    # Widest at the box's edge nearest a pole; clamp so the division stays finite.
    widest = min(89.0, abs(latitude) + dlat)
    dlon = min(180.0, dlat / math.cos(math.radians(widest)))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def great_circle_miles_sql(
    lat_column: ColumnElement, lon_column: ColumnElement, latitude: float, longitude: float
) -> ColumnElement[float]:
    """The distance from a fixed point to each row, with geopy's own formula (atan2 form),
    so the database orders rows exactly as geopy would measure them."""
    lat1 = math.radians(latitude)
    sin1, cos1 = literal(math.sin(lat1)), literal(math.cos(lat1))
    lat2 = func.radians(lat_column)
    sin2, cos2 = func.sin(lat2), func.cos(lat2)
    delta = func.radians(lon_column) - literal(math.radians(longitude))
    cos_d, sin_d = func.cos(delta), func.sin(delta)
    y1 = cos2 * sin_d
    y2 = cos1 * sin2 - sin1 * cos2 * cos_d
    x = sin1 * sin2 + cos1 * cos2 * cos_d
    return func.atan2(func.sqrt(y1 * y1 + y2 * y2), x) * literal(EARTH_RADIUS_MILES)
