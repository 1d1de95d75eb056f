"""The reference answer: a brute-force great-circle scan, in plain Python.

Every candidate is measured with geopy's own formula (the atan2 form of `great_circle`,
as `locator.geo.miles_between` writes it out; the tests hold the two equal), filtered and
sorted by (distance, id). To keep a thousand searches of a million rows affordable, the
scan skips rows whose latitude alone puts them out of range: a great circle is never
shorter than the difference in latitude, so nothing in range is skipped. It uses no
index, no box and none of the search code; `full_scan` measures every row, for timing.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from locator.geo.distance import EARTH_RADIUS_KM, EARTH_RADIUS_MILES, KM_PER_MILE

# Two measures of one distance may differ in their last bits: a tie closer than this may
# be ordered either way (the app breaks exact ties by id).
TIE = 1e-9


@dataclass
class Answer:
    """One search's first page: ids and distances nearest first, and the count in range."""

    ids: list[int]
    distances: list[float]
    total: int


class Directory:
    """Every published, placed center in latitude order, with what each filter offers."""

    def __init__(self, connection: sa.Connection, filters: dict[str, Sequence[str]]) -> None:
        rows = connection.execute(
            sa.text(
                "SELECT id, latitude, longitude FROM center WHERE published = :yes "
                "AND latitude IS NOT NULL AND longitude IS NOT NULL ORDER BY latitude, id"
            ),
            {"yes": True},
        ).all()
        self.latitudes = [row[1] for row in rows]
        # Per row: id, sin and cos of the latitude, longitude in radians (as geopy computes).
        self.rows = [
            (row[0], math.sin(math.radians(row[1])), math.cos(math.radians(row[1])),
             math.radians(row[2]))
            for row in rows
        ]  # fmt: skip
        self.offering = {name: self._offering(connection, codes) for name, codes in filters.items()}

    @staticmethod
    def _offering(connection: sa.Connection, codes: Sequence[str]) -> frozenset[int]:
        return frozenset(
            connection.execute(
                sa.text(
                    "SELECT center_id FROM center_service WHERE service_code IN :codes"
                ).bindparams(sa.bindparam("codes", expanding=True)),
                {"codes": list(codes)},
            ).scalars()
        )

    def _measure(self, point, radius, filter_name, rows) -> list[tuple[float, int]]:
        lat1, lng1 = math.radians(point[0]), math.radians(point[1])
        sin_lat1, cos_lat1 = math.sin(lat1), math.cos(lat1)
        allowed = self.offering[filter_name] if filter_name else None
        found = []
        for center_id, sin_lat2, cos_lat2, lng2 in rows:
            delta_lng = lng2 - lng1
            cos_delta_lng, sin_delta_lng = math.cos(delta_lng), math.sin(delta_lng)
            d = math.atan2(
                math.sqrt(
                    (cos_lat2 * sin_delta_lng) ** 2
                    + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta_lng) ** 2
                ),
                sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta_lng,
            )
            miles = EARTH_RADIUS_KM * d / KM_PER_MILE
            if miles <= radius and (allowed is None or center_id in allowed):
                found.append((miles, center_id))
        found.sort()
        return found

    def nearest(self, point: tuple[float, float], radius: float, filter_name: str | None,
                wanted: int = 20) -> Answer:  # fmt: skip
        """The first page and the count, measuring every row within reach of the latitude."""
        reach = math.degrees(radius / EARTH_RADIUS_MILES) + 1e-6
        start = bisect.bisect_left(self.latitudes, point[0] - reach)
        end = bisect.bisect_right(self.latitudes, point[0] + reach)
        found = self._measure(point, radius, filter_name, self.rows[start:end])
        return Answer([i for _, i in found[:wanted]], [d for d, _ in found[:wanted]], len(found))

    def full_scan(self, point: tuple[float, float], radius: float,
                  filter_name: str | None) -> int:  # fmt: skip
        """Measure every row (the cost of answering with no index at all); the count."""
        return len(self._measure(point, radius, filter_name, self.rows))


def agrees(app_ids: list[int], app_miles: list[float], expected: Answer) -> str:
    """ "exact", "tie" (differs only where two distances agree to 1e-9 mile) or "mismatch"."""
    if app_ids == expected.ids:
        close = all(abs(a - b) <= 1e-6 for a, b in zip(app_miles, expected.distances, strict=True))
        return "exact" if close else "mismatch"
    if len(app_ids) != len(expected.ids):
        return "mismatch"
    for mine, theirs, mine_d, their_d in zip(
        app_ids, expected.ids, app_miles, expected.distances, strict=True
    ):
        if mine != theirs and abs(mine_d - their_d) > TIE:
            return "mismatch"
    return "tie"
