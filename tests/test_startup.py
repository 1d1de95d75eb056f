"""A worker starts light: nothing heavy is imported or computed before it serves, and the
gazetteer loads from its compact file, holding what the `zipcodes` package says."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from statistics import fmean

import pytest
from geopy.distance import great_circle

from locator.geo import AREAS, miles_between, name_key
from locator.geo.gazetteer import Gazetteer
from locator.geo.gazetteer_file import (
    compact_tables,
    file_name,
    load_tables,
    read_tables,
    write_tables,
)

HEAVY = ("zipcodes", "geopy", "alembic", "openpyxl")
WORKER = """
import json, sys
from locator import create_app
app = create_app()
client = app.test_client()
statuses = [client.get("/").status_code, client.get("/search?location=78701").status_code]
print(json.dumps({"statuses": statuses, "heavy": [m for m in sys.argv[1:] if m in sys.modules]}))
"""


def test_a_worker_serves_a_search_without_importing_heavy_packages(directory):
    env = {**os.environ, "LOCATOR_DATABASE_URL": directory.config["SQLALCHEMY_DATABASE_URI"]}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", WORKER, *HEAVY],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer == {"statuses": [200, 200], "heavy": []}


@pytest.fixture(scope="module")
def raw_zips() -> list[dict]:
    """The package's records of the areas the directory covers, with a point (0, 0 is none;
    the territories' points put right by data/territory_zips.csv)."""
    import zipcodes

    from locator.geo.gazetteer_file import with_territory_fixes

    return [
        r
        for r in with_territory_fixes(zipcodes.list_all())
        if r["state"] in AREAS
        and r["lat"]
        and r["long"]
        and (float(r["lat"]), float(r["long"])) != (0, 0)
    ]


@pytest.fixture(scope="module")
def loaded(raw_zips, tmp_path_factory) -> Gazetteer:
    """The gazetteer as a worker gets it: tables written to a file, read back."""
    path = tmp_path_factory.mktemp("gazetteer") / file_name()
    write_tables(path, compact_tables(raw_zips))
    return Gazetteer.from_tables(read_tables(path))


def test_every_zip_code_is_the_packages(raw_zips, loaded):
    assert len(loaded.zips) == len(raw_zips) > 40_000
    for raw in raw_zips:
        record = loaded.zips[raw["zip_code"]]
        assert (record.city, record.state) == (raw["city"], raw["state"])
        assert (record.latitude, record.longitude) == (float(raw["lat"]), float(raw["long"]))


def test_cities_and_states_sit_at_the_mean_of_their_standard_zip_codes(raw_zips, loaded):
    by_city: dict[tuple[str, str], list[dict]] = {}
    for raw in raw_zips:
        by_city.setdefault((name_key(raw["city"]), raw["state"]), []).append(raw)
    for key in random.Random(3).sample(sorted(by_city), 300):
        records = by_city[key]
        chosen = [r for r in records if r["zip_code_type"] == "STANDARD"] or records
        city = loaded.cities[key]
        assert city.zip_count == len(records)
        assert city.latitude == round(fmean(float(r["lat"]) for r in chosen), 6)
    texas = [
        float(r["long"])
        for r in raw_zips
        if r["state"] == "TX" and r["zip_code_type"] == "STANDARD"
    ]
    assert loaded.states["TX"].longitude == round(fmean(texas), 6)


def test_lookups_through_the_loaded_gazetteer(loaded):
    assert loaded.zips["78701"].city == "Austin" and loaded.zips.get("00000") is None
    assert loaded.zips.get("7870") is None and loaded.zips.get("abcde") is None
    assert loaded.city("saint louis", "MO").name == "Saint Louis"
    springfields = loaded.cities_named("Springfield")
    assert len(springfields) > 10 and springfields[0].zip_count >= springfields[-1].zip_count
    near = loaded.nearest_zip(30.2672, -97.7431)
    assert (near.city, near.state) == ("Austin", "TX")


def test_a_missing_file_is_written_and_a_damaged_one_is_not_trusted(tmp_path):
    path = tmp_path / file_name()
    tables = load_tables(tmp_path)  # missing: a child process writes it
    assert path.exists() and read_tables(path) == tables
    path.write_text("{not json")
    assert read_tables(path) is None
    path.write_text(json.dumps({"format": -1}))  # another format's file
    assert read_tables(path) is None


def test_miles_between_is_geopys_great_circle():
    rng = random.Random(2)
    for _ in range(2000):
        a = (rng.uniform(-89, 89), rng.uniform(-180, 180))
        b = (rng.uniform(-89, 89), rng.uniform(-180, 180))
        assert miles_between(a, b) == great_circle(a, b).miles
