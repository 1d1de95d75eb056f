"""The offline gazetteer: ZIP codes, cities and states of the 50 states, DC and Puerto Rico.

Built from the `zipcodes` and `us` packages on first use, then kept in compact records.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import us
import zipcodes

# The areas the directory covers: the 50 states, DC and Puerto Rico.
AREAS: dict[str, str] = {
    s.abbr: s.name
    for s in sorted(us.states.STATES_AND_TERRITORIES, key=lambda s: s.name)
    if not s.is_territory or s.abbr in {"DC", "PR"}
}
if "DC" not in AREAS:  # `us` lists DC apart from the states unless told otherwise
    AREAS["DC"] = us.states.DC.name
    AREAS = dict(sorted(AREAS.items(), key=lambda item: item[1]))

# Leading words written in short form; both the gazetteer and queries are expanded alike.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_APOSTROPHES = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold_ascii(text: str) -> str:
    """Drop accents and anything that is not ASCII ("Cataño" → "Catano")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def name_key(text: str) -> str:
    """The key two spellings of one place share: case, accents, punctuation and short forms
    do not matter ("St. Louis" and "saint louis" → "saint louis")."""
    words = _NON_WORD.sub(" ", _APOSTROPHES.sub("", fold_ascii(text).lower())).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens, for URLs."""
    return "-".join(_NON_WORD.sub(" ", _APOSTROPHES.sub("", fold_ascii(text).lower())).split())


STATE_SLUGS: dict[str, str] = {abbr: slugify(name) for abbr, name in AREAS.items()}
STATE_BY_SLUG: dict[str, str] = {slug: abbr for abbr, slug in STATE_SLUGS.items()}
_STATE_BY_KEY: dict[str, str] = {name_key(name): abbr for abbr, name in AREAS.items()}
_STATE_BY_KEY.update({abbr.lower(): abbr for abbr in AREAS})
_STATE_BY_KEY["d c"] = "DC"


def state_abbr(text: str) -> str | None:
    """The two-letter code of a state written as a name or code, or None."""
    return _STATE_BY_KEY.get(name_key(text))


@dataclass(frozen=True, slots=True)
class ZipRecord:
    """A ZIP code's centroid and its postal city."""

    zip: str
    city: str
    state: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class CityRecord:
    """A city: the mean of its ZIP centroids, and its count of ZIP codes as a size."""

    name: str
    state: str
    latitude: float
    longitude: float
    zip_count: int

    @property
    def label(self) -> str:
        """ "Austin, TX"."""
        return f"{self.name}, {self.state}"


@dataclass(frozen=True, slots=True)
class StateRecord:
    """A state's centroid (the mean of its ZIP centroids)."""

    abbr: str
    name: str
    latitude: float
    longitude: float


class Gazetteer:
    """Lookups over ZIP codes, cities and states."""

    def __init__(self, raw_zips: list[dict]) -> None:
        self.zips: dict[str, ZipRecord] = {}
        standard_zips: set[str] = set()
        points: dict[tuple[str, str], list[tuple[float, float, bool]]] = {}
        names: dict[tuple[str, str], str] = {}
        aliases: dict[tuple[str, str], tuple[str, str]] = {}
        for raw in raw_zips:
            state = raw["state"]
            if state not in AREAS or not raw["lat"] or not raw["long"]:
                continue
            record = ZipRecord(
                raw["zip_code"], raw["city"], state, float(raw["lat"]), float(raw["long"])
            )
            self.zips[record.zip] = record
            key = (name_key(record.city), state)
            names.setdefault(key, record.city)
            standard = raw["zip_code_type"] == "STANDARD"
            if standard:
                standard_zips.add(record.zip)
            points.setdefault(key, []).append((record.latitude, record.longitude, standard))
            for alias in raw.get("acceptable_cities") or []:
                aliases.setdefault((name_key(alias), state), key)
        self.cities: dict[tuple[str, str], CityRecord] = {
            key: _city_record(names[key], key[1], pts) for key, pts in points.items()
        }
        self.aliases = {k: v for k, v in aliases.items() if k not in self.cities}
        self.by_key: dict[str, list[CityRecord]] = {}
        for (key, _state), city in self.cities.items():
            self.by_key.setdefault(key, []).append(city)
        for candidates in self.by_key.values():
            candidates.sort(key=lambda c: (-c.zip_count, c.state))
        self.sorted_keys = sorted(self.by_key)
        self._grid: dict[tuple[int, int], list[ZipRecord]] = {}
        for record in self.zips.values():
            cell = (int(record.latitude // 1), int(record.longitude // 1))
            self._grid.setdefault(cell, []).append(record)
        self.states = {
            abbr: _state_record(
                abbr, [z for z in self.zips.values() if z.state == abbr and z.zip in standard_zips]
            )
            for abbr in AREAS
        }

    def city(self, name: str, state: str) -> CityRecord | None:
        """A city by name within a state, through its acceptable alternative names too."""
        key = (name_key(name), state)
        found = self.cities.get(key)
        if found is None and key in self.aliases:
            found = self.cities[self.aliases[key]]
        return found

    def cities_named(self, name: str) -> list[CityRecord]:
        """Every city of that name, largest first."""
        return list(self.by_key.get(name_key(name), []))

    def cities_starting(self, prefix: str, limit: int = 8) -> list[CityRecord]:
        """Cities whose name starts with the prefix, largest first."""
        key = name_key(prefix)
        if not key:
            return []
        found: list[CityRecord] = []
        start = bisect.bisect_left(self.sorted_keys, key)
        for name in self.sorted_keys[start:]:
            if not name.startswith(key):
                break
            found.extend(self.by_key[name])
        found.sort(key=lambda c: (-c.zip_count, c.name))
        return found[:limit]

    def nearest_zip(self, latitude: float, longitude: float) -> ZipRecord | None:
        """The ZIP centroid closest to a point (a coarse label for coordinates)."""
        row, col = int(latitude // 1), int(longitude // 1)
        near = [
            z
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            for z in self._grid.get((row + dr, col + dc), ())
        ]
        best, best_d2 = None, float("inf")
        for record in near or self.zips.values():
            d2 = (record.latitude - latitude) ** 2 + (record.longitude - longitude) ** 2
            if d2 < best_d2:
                best, best_d2 = record, d2
        return best


def _city_record(name: str, state: str, pts: list[tuple[float, float, bool]]) -> CityRecord:
    chosen = [p for p in pts if p[2]] or pts
    lat = sum(p[0] for p in chosen) / len(chosen)
    lon = sum(p[1] for p in chosen) / len(chosen)
    return CityRecord(name, state, round(lat, 6), round(lon, 6), len(pts))


def _state_record(abbr: str, zips: list[ZipRecord]) -> StateRecord:
    lat = sum(z.latitude for z in zips) / len(zips)
    lon = sum(z.longitude for z in zips) / len(zips)
    return StateRecord(abbr, AREAS[abbr], round(lat, 6), round(lon, 6))


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use (about half a second)."""
    return Gazetteer(zipcodes.list_all())
