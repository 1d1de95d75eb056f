"""The yardsticks: bare Flask apps that render 20 rows of HTML with Jinja, and nothing else.

Served by gunicorn in the same run as the app, so that the results page's requests per
second can be read as a share of what Flask and Jinja alone manage on this machine:

- `/rows`: twenty made-up rows, no database;
- `/search?location=<ZIP>&radius=25` (with `LOCATOR_BARE_DATABASE`, an SQLite file of the
  app's, and `LOCATOR_BARE_POINTS`, a JSON object of ZIP code → [latitude, longitude]): the
  twenty centers nearest the ZIP code within the radius, found through the app's R*Tree
  with the plain `sqlite3` module, with their service codes; no sessions, no limits, no
  headers, no filters, no counts. What a results page costs with nothing but the search.
"""

# ruff: noqa: S608
# (the SQL here is made of this module's constants; every value is a bound parameter)

from __future__ import annotations

import json
import math
import os
import sqlite3
from random import Random

from flask import Flask, abort, render_template, request

MILES_PER_DEGREE = 69.0
PAGE = 20
# The first box's half-width: about 20 centers in a city at 20,000 centers.
FIRST_BOX_MILES = 3.0
EARTH_RADIUS_MILES = 3958.7613
# The great-circle distance from the bound origin (:sin1, :cos1, :lon1) to center_point's row.
DISTANCE = (
    "(atan2(sqrt(pow(cos(radians(p.latitude)) * sin(radians(p.longitude) - :lon1), 2) + "
    "pow(:cos1 * sin(radians(p.latitude)) - :sin1 * cos(radians(p.latitude)) * "
    "cos(radians(p.longitude) - :lon1), 2)), :sin1 * sin(radians(p.latitude)) + :cos1 * "
    "cos(radians(p.latitude)) * cos(radians(p.longitude) - :lon1)) * :radius)"
)
NEAREST = (
    "SELECT c.id, c.name1, c.street1, c.city, c.state, c.zip, c.phone, n.distance, "
    "(SELECT group_concat(cs.service_code, ' ') FROM center_service AS cs "
    "WHERE cs.center_id = c.id) AS codes "
    f"FROM (SELECT r.id, {DISTANCE} AS distance FROM center_rtree AS r "
    "JOIN center_point AS p ON p.id = r.id "
    "WHERE r.max_lat >= :min_lat AND r.min_lat <= :max_lat "
    "AND r.max_lon >= :min_lon AND r.min_lon <= :max_lon AND distance <= :within "
    "ORDER BY distance, r.id LIMIT 20) AS n JOIN center AS c ON c.id = n.id "
    "ORDER BY n.distance, c.id"
)


def _rows() -> list[dict]:
    """Twenty made-up rows shaped like a page of results."""
    rng = Random(1)
    return [
        {
            "name": f"Sample Center {i}",
            "street": f"{rng.randrange(100, 9900)} Main St",
            "city": "Austin",
            "state": "TX",
            "zip": "78701",
            "phone": f"(512) 555-01{i:02d}",
            "miles": round(rng.uniform(0.1, 25), 1),
            "services": ["Outpatient", "Medicaid", "Spanish"],
        }
        for i in range(20)
    ]


def _search_values(point: tuple[float, float], radius: float) -> dict[str, float]:
    latitude, longitude = point
    dlat = radius / MILES_PER_DEGREE * 1.01
    dlon = dlat / max(0.01, math.cos(math.radians(min(89.0, abs(latitude) + dlat))))
    return {
        "min_lat": latitude - dlat,
        "max_lat": latitude + dlat,
        "min_lon": longitude - dlon,
        "max_lon": longitude + dlon,
        "within": radius,
        "sin1": math.sin(math.radians(latitude)),
        "cos1": math.cos(math.radians(latitude)),
        "lon1": math.radians(longitude),
        "radius": EARTH_RADIUS_MILES,
    }


def create_app() -> Flask:
    """The bare app: one page of 20 made-up rows, and one of the 20 nearest centers."""
    app = Flask(__name__)
    rows = _rows()
    database = os.environ.get("LOCATOR_BARE_DATABASE")
    points = json.loads(os.environ.get("LOCATOR_BARE_POINTS") or "{}")

    @app.get("/rows")
    def rows_page():
        """Twenty rows through a Jinja template."""
        return render_template("bare_rows.html", rows=rows)

    opened: list[sqlite3.Connection] = []

    def connection() -> sqlite3.Connection:
        """One connection per worker process (gunicorn's sync workers serve one request at a
        time), opened at its first search: its schema is read once."""
        if not opened:
            found = sqlite3.connect(database, check_same_thread=False)
            found.row_factory = sqlite3.Row
            opened.append(found)
        return opened[0]

    @app.get("/search")
    def search_page():
        """The 20 centers nearest a ZIP code, through the R*Tree, rendered by Jinja."""
        point = points.get(request.args.get("location", ""))
        if database is None or point is None:
            abort(404)
        radius = float(request.args.get("radius", "25"))
        miles = min(radius, FIRST_BOX_MILES)
        while True:  # a box that grows until it holds 20 within its inner circle, as the app's
            found = connection().execute(NEAREST, _search_values(point, miles)).fetchall()
            if len(found) == PAGE or miles >= radius:
                return render_template("bare_search.html", centers=found)
            miles = min(radius, miles * 3)

    return app
