"""What people call big places that the postal gazetteer names otherwise: "NYC", "Philly",
the boroughs of New York City, "Vegas". Keys are `name_key`s, so "St. Pete" and "st pete"
are one.
"""

from __future__ import annotations

from dataclasses import dataclass

from locator.geo.gazetteer import name_key


@dataclass(frozen=True)
class ShortForm:
    """The gazetteer city a short form stands for, and how to name it.

    `point` is for a place with no postal city of its own (Queens: its ZIP codes are named
    after its neighbourhoods); it is then the place's own centre, from GeoNames.
    """

    city: str
    state: str
    label: str = ""
    point: tuple[float, float] | None = None


_NEW_YORK = ShortForm("New York", "NY")
_LOS_ANGELES = ShortForm("Los Angeles", "CA")
_WASHINGTON = ShortForm("Washington", "DC")
_SAN_FRANCISCO = ShortForm("San Francisco", "CA")
_BRONX = ShortForm("Bronx", "NY", "The Bronx, NY")
_CHICAGO = ShortForm("Chicago", "IL")

_TABLE: dict[str, ShortForm] = {
    "nyc": _NEW_YORK,
    "n y c": _NEW_YORK,
    "new york city": _NEW_YORK,
    "manhattan": ShortForm("New York", "NY", "Manhattan, NY"),
    "brooklyn": ShortForm("Brooklyn", "NY"),
    "bronx": _BRONX,
    "the bronx": _BRONX,
    "staten island": ShortForm("Staten Island", "NY"),
    "queens": ShortForm("Queens", "NY", "Queens, NY", (40.68149, -73.83652)),
    "la": _LOS_ANGELES,
    "l a": _LOS_ANGELES,
    "dc": _WASHINGTON,
    "d c": _WASHINGTON,
    "washington d c": _WASHINGTON,
    "philly": ShortForm("Philadelphia", "PA"),
    "sf": _SAN_FRANCISCO,
    "san fran": _SAN_FRANCISCO,
    "vegas": ShortForm("Las Vegas", "NV"),
    "nola": ShortForm("New Orleans", "LA"),
    "atl": ShortForm("Atlanta", "GA"),
    "chi town": _CHICAGO,
    "chitown": _CHICAGO,
    "slc": ShortForm("Salt Lake City", "UT"),
    "okc": ShortForm("Oklahoma City", "OK"),
    "kc": ShortForm("Kansas City", "MO"),
    "jax": ShortForm("Jacksonville", "FL"),
    "indy": ShortForm("Indianapolis", "IN"),
    "saint pete": ShortForm("Saint Petersburg", "FL"),
    "abq": ShortForm("Albuquerque", "NM"),
    "phx": ShortForm("Phoenix", "AZ"),
    "pdx": ShortForm("Portland", "OR"),
}


def short_form(text: str, state: str | None = None) -> ShortForm | None:
    """The place a short form names ("NYC", "the Bronx"); with a state, only one in it."""
    found = _TABLE.get(name_key(text))
    if found is None or (state is not None and found.state != state):
        return None
    return found
