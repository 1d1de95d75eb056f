"""GET /api/v1/places?q=aus: place suggestions for the search box, from the offline gazetteer.

Nothing leaves the server: the answer comes from the gazetteer in memory. The query string
holds what a person is typing, so it is never logged (see locator.web.security).
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from flask import jsonify, request

from locator.api import bp
from locator.api.errors import bad_request
from locator.geo import AREAS, gazetteer, name_key, state_abbr
from locator.geo.gazetteer import CityRecord, Gazetteer, ZipRecord
from locator.geo.locations import spanish_cities_starting

MAX_SUGGESTIONS = 8
MAX_QUERY_LENGTH = 100
_DIGITS = re.compile(r"^[0-9]{1,5}$")


@cache
def _zip_index(places: Gazetteer) -> tuple[list[str], dict[str, int]]:
    """Every ZIP code in order (a prefix is found by bisection) and the size of its city.

    Built once: the gazetteer does not change while the app runs.
    """
    sizes = {}
    for code, record in places.zips.items():
        city = places.city(record.city, record.state)
        sizes[code] = city.zip_count if city else 0
    return sorted(places.zips), sizes


def zips_starting(places: Gazetteer, prefix: str, limit: int) -> list[ZipRecord]:
    """ZIP codes that start with the digits, those of the largest cities first."""
    codes, sizes = _zip_index(places)
    found: list[str] = []
    for code in codes[bisect.bisect_left(codes, prefix) :]:
        if not code.startswith(prefix):
            break
        found.append(code)
    found.sort(key=lambda code: (-sizes[code], code))
    return [places.zips[code] for code in found[:limit]]


def _state_part_matches(city: CityRecord, state_text: str) -> bool:
    """Whether what follows the comma ("t", "tx", "tex") can be the city's state."""
    key = name_key(state_text)
    return (
        not key or city.state.lower().startswith(key) or name_key(AREAS[city.state]).startswith(key)
    )


def cities_matching(places: Gazetteer, text: str, limit: int) -> list[CityRecord]:
    """Cities for "aus", "austin, t" or "austin tx", most populous first."""
    name, comma, state_text = text.partition(",")
    if not comma:
        words = text.split()
        # "austin tx": a last word that names a state narrows the cities to it.
        if len(words) > 1 and state_abbr(words[-1]) and not places.cities_starting(text, 1):
            name, state_text = " ".join(words[:-1]), words[-1]
    candidates = places.cities_starting(name, limit=500 if state_text else limit)
    # "Nueva Y": the cities whose Spanish name is typed, first.
    spanish = spanish_cities_starting(name)
    candidates = spanish + [c for c in candidates if c not in spanish]
    if state_text:
        candidates = [c for c in candidates if _state_part_matches(c, state_text)]
    return candidates[:limit]


def city_json(city: CityRecord) -> dict:
    """A city suggestion."""
    return {
        "label": city.label,
        "kind": "city",
        "city": city.name,
        "state": city.state,
        "zip": None,
        "latitude": city.latitude,
        "longitude": city.longitude,
    }


def zip_json(record: ZipRecord) -> dict:
    """A ZIP code suggestion: the code is what goes into the search box."""
    return {
        "label": record.zip,
        "description": f"{record.city}, {record.state}",
        "kind": "zip",
        "city": record.city,
        "state": record.state,
        "zip": record.zip,
        "latitude": record.latitude,
        "longitude": record.longitude,
    }


@bp.get("/places")
def places():
    """Up to 8 places whose name (or ZIP code) starts with `q`, most populous first."""
    query = " ".join(request.args.get("q", "").split())
    if not query:
        return bad_request({"q": ["Give the start of a city name or a ZIP code, e.g. q=aus."]})
    if len(query) > MAX_QUERY_LENGTH:
        return bad_request({"q": [f"Keep q under {MAX_QUERY_LENGTH} characters."]})
    places = gazetteer()
    if _DIGITS.match(query):
        found = [zip_json(z) for z in zips_starting(places, query, MAX_SUGGESTIONS)]
    else:
        found = [city_json(c) for c in cities_matching(places, query, MAX_SUGGESTIONS)]
    response = jsonify(query=query, places=found)
    # The answer never changes while the app runs; what a person typed stays in their browser.
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
