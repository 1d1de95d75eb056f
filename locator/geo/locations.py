"""Turn what a person typed into a point: ZIP, city and state, state, coordinates, address."""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections.abc import Callable
from dataclasses import replace

from flask_babel import gettext as _

from locator.geo.gazetteer import AREAS, CityRecord, gazetteer, name_key, state_abbr
from locator.geo.resolved import (
    AmbiguousLocation,
    LocationError,
    ResolvedLocation,
    StateChoice,
)
from locator.geo.short_forms import ShortForm, short_form
from locator.geo.spanish_names import SPANISH_CITIES, spanish_state_phrase

MAX_LOCATION_LENGTH = 200


def forms_hint() -> str:
    """What to type instead, in the page's language (the API's is English)."""
    return _(
        "Try a ZIP code (78701), a city and state (Austin, TX), a state (Texas), "
        "or coordinates (30.2672,-97.7431)."
    )


_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")
_TRAILING_ZIP = re.compile(r"[\s,](\d{5})(?:-\d{4})?$")
_COORDINATES = re.compile(r"^([-+]?\d{1,3}(?:\.\d+)?)\s*[,\s]\s*([-+]?\d{1,3}(?:\.\d+)?)$")
# "New York State", "the state of Washington": the state, never its namesake city.
_STATE_WORD = re.compile(r"^(?:(?:the\s+)?state\s+of\s+(.+)|(.+?),?\s+state)$", re.IGNORECASE)
# A city this populous beats the state of its name ("New York", "Washington").
NAMESAKE_POPULATION = 100_000
# A city alone is taken as the one people mean when it is this populous and this many times
# as populous as the next of its name (Austin, TX over Austin, MN); otherwise they choose.
DOMINANT_POPULATION = 100_000
DOMINANCE = 5
# How many other places of the name are offered beside the one chosen.
ALTERNATIVES = 3


# A function that places a street address online, or None: given by the caller, so that
# this module knows nothing of the database or of settings.
AddressGeocoder = Callable[[str], tuple[float, float] | None]


def resolve_location(text: str, geocode_address: AddressGeocoder | None = None) -> ResolvedLocation:
    """Resolve typed text to a place, or raise LocationError with a helpful message."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise LocationError(
            _("Enter a ZIP code, a city and state, or an address.") + " " + forms_hint()
        )
    if len(cleaned) > MAX_LOCATION_LENGTH:
        too_long = _(
            "That location is too long (over %(count)s characters).", count=MAX_LOCATION_LENGTH
        )
        raise LocationError(too_long + " " + forms_hint())
    if match := _COORDINATES.match(cleaned):
        return _coordinates(float(match.group(1)), float(match.group(2)))
    if match := _ZIP.match(cleaned):
        return _zip(match.group(1))
    if (match := _TRAILING_ZIP.search(cleaned)) and re.search(r"[A-Za-z]", cleaned):
        return _zip(match.group(1), kind="address")
    return _named_place(cleaned, geocode_address)


def _coordinates(latitude: float, longitude: float) -> ResolvedLocation:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise LocationError(
            _("Latitude must be between -90 and 90 and longitude between -180 and 180.")
        )
    near = gazetteer().nearest_zip(latitude, longitude)
    place_name = f"{latitude:.4f}, {longitude:.4f}"
    label = place_name
    if near is not None:
        place_name = f"{near.city}, {near.state}"
        label = f"Near {place_name}"
    state = near.state if near else ""
    return ResolvedLocation(
        "coordinates", label, latitude, longitude, state=state, place_name=place_name
    )


def _zip(code: str, kind: str = "zip") -> ResolvedLocation:
    record = gazetteer().zips.get(code)
    if record is None:
        raise LocationError(_("We don't know the ZIP code %(zip)s.", zip=code) + " " + forms_hint())
    return ResolvedLocation(
        kind,
        f"{record.zip} ({record.city}, {record.state})",
        record.latitude,
        record.longitude,
        state=record.state,
        city=record.city,
    )


def _city(
    city: CityRecord, kind: str = "city", note: str = "", alternatives: tuple[str, ...] = ()
) -> ResolvedLocation:
    return ResolvedLocation(
        kind, city.label, city.latitude, city.longitude, city.state, city.name, note, alternatives
    )


def _short_form(found: ShortForm, typed: str) -> ResolvedLocation:
    """A short form's place, with the other places its text may name ("LA": Louisiana)."""
    others = [c.label for c in gazetteer().cities_named(typed) if c.state != found.state]
    abbr = state_abbr(typed)
    if abbr and abbr != found.state:
        others.insert(0, AREAS[abbr])
    alternatives = tuple(others[:ALTERNATIVES])
    city = gazetteer().city(found.city, found.state)
    if found.point is not None or city is None:
        state = gazetteer().states[found.state]
        latitude, longitude = found.point or (state.latitude, state.longitude)
        label = found.label or f"{found.city}, {found.state}"
        return ResolvedLocation(
            "city", label, latitude, longitude, found.state, found.city, "", alternatives
        )
    located = _city(city, alternatives=alternatives)
    return (
        located if not found.label else replace(located, label=found.label, place_name=found.label)
    )


def state_location(abbr: str) -> ResolvedLocation:
    """A state as a search start: its centroid."""
    record = gazetteer().states[abbr]
    return ResolvedLocation("state", record.name, record.latitude, record.longitude, abbr)


def _split_state(text: str) -> tuple[str, str | None]:
    """Split "austin texas" / "Austin, TX" into ("austin", "TX"); no state → (text, None)."""
    if "," in text:
        head, tail = text.rsplit(",", 1)
        abbr = state_abbr(tail)
        if abbr:
            return head.strip(" ,"), abbr
    words = text.split()
    for count in (3, 2, 1):
        if len(words) > count:
            abbr = state_abbr(" ".join(words[-count:]))
            if abbr:
                return " ".join(words[:-count]).strip(" ,"), abbr
    return text, None


def _named_state(text: str) -> str | None:
    """The state of "New York State" or "the state of Washington", else None."""
    match = _STATE_WORD.match(text)
    return state_abbr(match.group(1) or match.group(2)) if match else None


def _state_or_namesake(abbr: str, text: str) -> ResolvedLocation:
    """A state's name, unless a big city shares it: its own (New York, NY) is taken, with
    the state offered beside it; another's (Washington, DC) is offered first, then the state."""
    named = gazetteer().cities_named(text)
    big = [c for c in named if c.population >= NAMESAKE_POPULATION]
    if not big:
        return state_location(abbr)
    home = next((c for c in big if c.state == abbr), None)
    if home is not None:
        return _city(home, alternatives=(StateChoice(abbr).label,))
    others = [c for c in named if c not in big]
    raise AmbiguousLocation([*big, StateChoice(abbr), *others], text)


def _one_of(candidates: list[CityRecord], text: str) -> ResolvedLocation:
    """The city people mean by a name alone, or the choice of all of that name."""
    first = candidates[0]
    if len(candidates) == 1:
        return _city(first)
    if first.population >= DOMINANT_POPULATION and (
        first.population >= DOMINANCE * candidates[1].population
    ):
        return _city(first, alternatives=tuple(c.label for c in candidates[1 : ALTERNATIVES + 1]))
    raise AmbiguousLocation(candidates, text)


_CITY_BY_SPANISH_KEY = {name_key(spanish): english for spanish, english in SPANISH_CITIES.items()}


def english_place_text(text: str) -> str:
    """A place written in Spanish, as the gazetteer names it: "Nueva York" → "New York",
    "estado de Nueva York" → "New York State", "Filadelfia, Pensilvania" → "Philadelphia, PA".
    Other text is returned as it is (Spanish state names are known to `state_abbr`)."""
    phrase = spanish_state_phrase(text)
    if phrase and (abbr := state_abbr(phrase)):
        return f"{AREAS[abbr]} State"
    english = _CITY_BY_SPANISH_KEY.get(name_key(text))
    if english:
        return english
    city_part, abbr = _split_state(text)
    english = _CITY_BY_SPANISH_KEY.get(name_key(city_part))
    return f"{english}, {abbr}" if english and abbr else text


def spanish_cities_starting(prefix: str) -> list[CityRecord]:
    """The cities whose Spanish name starts with the prefix ("nueva y" → New York, NY), for
    suggestions as a name is typed; three letters at least."""
    key = name_key(prefix)
    if len(key) < 3:
        return []
    found: list[CityRecord] = []
    for spanish, english in _CITY_BY_SPANISH_KEY.items():
        city = _largest_city(english) if spanish.startswith(key) else None
        if city is not None and city not in found:
            found.append(city)
    return found


def _largest_city(name: str) -> CityRecord | None:
    """The most populous city of a name or short form ("New York City")."""
    named = gazetteer().cities_named(name)
    if named:
        return named[0]
    found = short_form(name)
    return gazetteer().city(found.city, found.state) if found else None


def _named_place(text: str, geocode_address: AddressGeocoder | None) -> ResolvedLocation:
    text = english_place_text(text)
    found_short = short_form(text)
    if found_short:
        return _short_form(found_short, text)
    named_state = _named_state(text)
    if named_state:
        return state_location(named_state)
    whole_state = state_abbr(text)
    if whole_state:
        return _state_or_namesake(whole_state, text)
    places = gazetteer()
    city_part, abbr = _split_state(text)
    if abbr:
        found = places.city(city_part, abbr)
        if found:
            return _city(found)
        found_short = short_form(city_part, abbr)
        if found_short:
            return _short_form(found_short, city_part)
    else:
        candidates = places.cities_named(text)
        if candidates:
            return _one_of(candidates, text)
    return _address_or_error(text, city_part, abbr, geocode_address)


def _address_or_error(
    text: str, city_part: str, abbr: str | None, geocode_address: AddressGeocoder | None
) -> ResolvedLocation:
    """A street address without a ZIP: the online geocoder if enabled, else its city."""
    if geocode_address is not None and re.search(r"\d", text):
        point = geocode_address(text)
        if point is not None:
            located = _coordinates(*point)
            return ResolvedLocation("address", located.label, *point, state=located.state)
    if abbr and "," in city_part:
        # "100 Congress Ave, Austin" in TX: fall back to the city, and say so.
        found = gazetteer().city(city_part.rsplit(",", 1)[1], abbr)
        if found:
            note = _(
                "We placed this address at the centre of its city. "
                "Add its ZIP code for distances from the address itself."
            )
            return _city(found, kind="address", note=note)
    not_found = _("We couldn't find “%(text)s”.", text=text)
    raise LocationError(not_found + " " + forms_hint(), close_matches(city_part, abbr))


def close_matches(text: str, abbr: str | None = None, limit: int = 5) -> list[str]:
    """Places whose names look like the text, as "City, ST" labels."""
    key = name_key(text)
    if not key:
        return []
    places = gazetteer()
    if abbr:
        pool = {k: [places.cities[(k, s)]] for (k, s) in places.cities if s == abbr}
    else:  # the names of its first letter, found in the sorted keys rather than all 18,000
        keys = places.sorted_keys[bisect.bisect_left(places.sorted_keys, key[:1]) :]
        pool = {k: places.by_key[k] for k in itertools.takewhile(lambda k: k[:1] == key[:1], keys)}
    states = [name_key(name) for name in AREAS.values()]
    close_states = difflib.get_close_matches(key, states, n=2, cutoff=0.8)  # once, not per area
    labels = [AREAS[a] for a in AREAS if name_key(AREAS[a]) in close_states]
    for match in difflib.get_close_matches(key, list(pool), n=limit, cutoff=0.75):
        labels.extend(city.label for city in pool[match][:2])
    return labels[:limit]
