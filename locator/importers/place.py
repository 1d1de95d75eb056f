"""Placing a listing on the map: its own point, its ZIP centroid, or the online geocoder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from locator.geo import AREAS, gazetteer
from locator.geocoding import address_geocoder

# Degrees added around each state's ZIP centroids: centroids sit inside the borders.
BOX_MARGIN = 1.0
IMPORT_PREFIX = "Import: "

Geocoder = Callable[[str], tuple[float, float] | None]


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a listing goes: a point and how it was found, or why it has none."""

    latitude: float | None
    longitude: float | None
    how: str  # "source", "zip", "geocoder" or "" (unplaced)
    problem: str = ""  # why the listing's own point was not used, for a warning
    unplaced_reason: str = ""


@cache
def state_boxes() -> dict[str, tuple[float, float, float, float]]:
    """A rough bounding box (south, north, west, east) per state, from its ZIP centroids."""
    boxes: dict[str, list[float]] = {}
    for record in gazetteer().zips.values():
        box = boxes.setdefault(record.state, [90.0, -90.0, 180.0, -180.0])
        box[0], box[1] = min(box[0], record.latitude), max(box[1], record.latitude)
        box[2], box[3] = min(box[2], record.longitude), max(box[3], record.longitude)
    return {
        state: (s - BOX_MARGIN, n + BOX_MARGIN, w - BOX_MARGIN, e + BOX_MARGIN)
        for state, (s, n, w, e) in boxes.items()
        if state in AREAS
    }


def point_problem(latitude: float | None, longitude: float | None, state: str) -> str:
    """Why a listing's own point cannot be used ("" when it can, or when it has none)."""
    if latitude is None and longitude is None:
        return ""
    if latitude is None or longitude is None:
        return "only one of latitude and longitude is given"
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return f"coordinates ({latitude:g}, {longitude:g}) are out of range"
    south, north, west, east = state_boxes().get(state, (0.0, 0.0, 0.0, 0.0))
    if not (south <= latitude <= north and west <= longitude <= east):
        return f"coordinates ({latitude:g}, {longitude:g}) are outside {state}"
    return ""


def geocoder_address(street1: str, city: str, state: str, zip5: str) -> str:
    """The one-line address the online geocoder is asked about."""
    return ", ".join(part for part in (street1, city, f"{state} {zip5}".strip()) if part)


def place_listing(
    latitude: float | None,
    longitude: float | None,
    state: str,
    zip5: str,
    address: str,
    geocode: Geocoder | None,
) -> Placement:
    """Own point when valid and inside its state, else ZIP centroid, else geocoder, else none."""
    problem = point_problem(latitude, longitude, state)
    if latitude is not None and longitude is not None and not problem:
        return Placement(round(latitude, 6), round(longitude, 6), "source")
    record = gazetteer().zips.get(zip5) if zip5 else None
    if record is not None:
        return Placement(record.latitude, record.longitude, "zip", problem)
    point = geocode(address) if geocode is not None and address else None
    if point is not None and not point_problem(point[0], point[1], state):
        return Placement(round(point[0], 6), round(point[1], 6), "geocoder", problem)
    return Placement(None, None, "", problem, _unplaced_reason(zip5, problem))


def _unplaced_reason(zip5: str, problem: str) -> str:
    why = [problem] if problem else ["no usable coordinates"]
    why.append(f"ZIP {zip5} is not in the directory" if zip5 else "no valid ZIP code")
    return f"{IMPORT_PREFIX}not placed on the map: {'; '.join(why)}."


def optional_geocoder() -> Geocoder | None:
    """The online geocoder when the app enables it, else None (the default)."""
    return address_geocoder()
