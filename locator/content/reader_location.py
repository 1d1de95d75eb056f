"""Where the reader of an article is, first found wins: the `?location=` they gave, the
place of their last search (kept in the signed session cookie as a city and state only),
or, when an operator configures a GeoIP2 City database, a guess from their IP address."""

from __future__ import annotations

import re
from dataclasses import dataclass

import geoip2.database
import geoip2.errors
from flask import current_app, request, session
from flask_babel import gettext as _

from locator.geo import (
    AREAS,
    AmbiguousLocation,
    LocationError,
    ResolvedLocation,
    gazetteer,
    resolve_location,
)
from locator.geo.gazetteer import CityRecord
from locator.geocoding import address_geocoder
from locator.web.caching import filled_per_reader

SESSION_KEY = "reader_place"
MAX_CITY_LENGTH = 100
_LEADING_ZIP = re.compile(r"\d{5}")


@dataclass(frozen=True)
class ReaderLocation:
    """The reader's location, where it came from, and why a typed one was not used."""

    location: ResolvedLocation | None = None
    source: str = ""  # "query", "search" or "ip"
    search_text: str = ""  # the `location=` that search links carry
    notice: str = ""


def search_text(location: ResolvedLocation) -> str:
    """A `location=` value for the search that finds the same place, without a street."""
    zip_code = _LEADING_ZIP.match(location.label)
    if location.kind == "zip" and zip_code:
        return zip_code.group(0)
    if location.kind == "state":
        return AREAS[location.state]
    if location.city and location.state:
        return f"{location.city}, {location.state}"
    return f"{location.latitude:.4f},{location.longitude:.4f}"


def reader_location() -> ReaderLocation:
    """The current reader's location: query, then last search, then IP; or none.

    Whatever is found (even nothing: another reader may get their city), the page depends on
    its reader, so it is marked to be kept out of shared caches.
    """
    filled_per_reader()
    notice = ""
    typed = request.args.get("location", "")
    if typed.strip():
        given = location_from_query(typed)
        if given.location is not None:
            return given
        notice = given.notice
    for source, lookup in (("search", location_from_session), ("ip", location_from_ip)):
        location = lookup()
        if location is not None:
            return ReaderLocation(location, source, search_text(location), notice)
    return ReaderLocation(notice=notice)


def location_from_query(typed: str) -> ReaderLocation:
    """A location typed into the URL, or a notice saying why it can't be used."""
    try:
        location = resolve_location(typed, address_geocoder())
    except AmbiguousLocation as choice:
        notice = _(
            "More than one place has that name. Add the state, for example “%(example)s”.",
            example=choice.example,
        )
        return ReaderLocation(notice=notice)
    except LocationError as error:
        unused = _("We couldn't use that location.")
        return ReaderLocation(notice=f"{unused} {error.message}")
    return ReaderLocation(location, "query", search_text(location))


def city_location(city: CityRecord) -> ResolvedLocation:
    """A gazetteer city as a location."""
    return ResolvedLocation(
        "city", city.label, city.latitude, city.longitude, state=city.state, city=city.name
    )


def _city_of(location: ResolvedLocation) -> CityRecord | None:
    """The gazetteer city a searched location is in (the nearest ZIP's city for a point)."""
    places = gazetteer()
    if location.city and location.state:
        found = places.city(location.city, location.state)
        if found is not None:
            return found
    near = places.nearest_zip(location.latitude, location.longitude)
    return places.city(near.city, near.state) if near else None


def remember_search_location(location: ResolvedLocation) -> None:
    """Keep the city and state of a successful search, never its address, ZIP or point."""
    if location.kind == "state":
        return
    city = _city_of(location)
    if city is None:
        return
    saved = {"city": city.name, "state": city.state}
    if session.get(SESSION_KEY) != saved:
        session[SESSION_KEY] = saved


def location_from_session() -> ResolvedLocation | None:
    """The city of the reader's last search, looked up again in the gazetteer."""
    saved = session.get(SESSION_KEY)
    if not isinstance(saved, dict):
        return None
    city, state = saved.get("city"), saved.get("state")
    if not isinstance(city, str) or len(city) > MAX_CITY_LENGTH or state not in AREAS:
        return None
    found = gazetteer().city(city, state)
    return city_location(found) if found else None


def _geoip_reader(path: str) -> geoip2.database.Reader | None:
    """The database reader, opened once per app and path; None if it can't be opened."""
    cached = current_app.extensions.get("locator.geoip")
    if cached is not None:
        if cached[0] == path:
            return cached[1]
        if cached[1] is not None:
            cached[1].close()
    try:
        reader = geoip2.database.Reader(path)
    except (OSError, ValueError, RuntimeError):  # missing file, or not a MaxMind database
        reader = None
    current_app.extensions["locator.geoip"] = (path, reader)
    return reader


def location_from_ip() -> ResolvedLocation | None:
    """The city of the reader's IP address, when a GeoIP2 City database is configured."""
    path = current_app.config.get("LOCATOR_GEOIP_DATABASE")
    reader = _geoip_reader(path) if path else None
    if reader is None or not request.remote_addr:
        return None
    try:
        answer = reader.city(request.remote_addr)
    except (ValueError, TypeError, RuntimeError, geoip2.errors.GeoIP2Error):
        return None  # a private address, one not in the database, or the wrong database
    country = answer.country.iso_code
    state = "PR" if country == "PR" else answer.subdivisions.most_specific.iso_code
    if country not in ("US", "PR") or state not in AREAS:
        return None
    found = gazetteer().city(answer.city.name or "", state)
    if found is not None:
        return city_location(found)
    latitude, longitude = answer.location.latitude, answer.location.longitude
    if latitude is None or longitude is None:
        return None
    return resolve_location(f"{latitude},{longitude}")
