"""Batches for the U.S. Census Bureau's batch geocoder: what is sent, and how answers are read.

Only a facility's public street address (street, city, state, ZIP) and our own row id are
sent. The client itself (locator.geo.census_client) loads `censusgeocode` and `requests`, so
a worker that never geocodes never imports them.
"""

from __future__ import annotations

from dataclasses import dataclass

# The most addresses the Census Bureau takes in one batch file.
MAX_BATCH = 10_000


class BatchFailed(Exception):
    """The geocoder gave no usable answer for a batch; nothing of it is recorded."""


@dataclass(frozen=True, slots=True)
class BatchAddress:
    """One address of a batch, under the id its answer comes back with."""

    id: int
    street: str
    city: str
    state: str
    zip: str


def batch_points(answer: list[dict], sent: set[int]) -> dict[int, tuple[float, float] | None]:
    """The point (or None) per id of a parsed batch answer; BatchFailed unless it names every id.

    censusgeocode reads any body as CSV, an error page too: an answer is trusted only when it
    names exactly the ids that were sent.
    """
    points: dict[int, tuple[float, float] | None] = {}
    for row in answer:
        raw_id = (row.get("id") or "").strip()
        if not raw_id.isdigit() or int(raw_id) not in sent:
            raise BatchFailed("the geocoder's answer is not a batch result for these addresses")
        matched = row.get("match") is True and row.get("lat") is not None
        points[int(raw_id)] = (row["lat"], row["lon"]) if matched else None
    if len(points) != len(sent):
        raise BatchFailed(
            f"the geocoder answered for {len(points)} of the {len(sent)} addresses sent"
        )
    return points
