"""Street-level points for listings placed at their ZIP code or city, from the Census geocoder.

Resumable: each batch is committed on its own, and an address the geocoder answered (matched
or not) is not sent again until the listing changes (`geocoded_at` >= `updated_at`). A batch
that fails records nothing, so its addresses are sent again next run. A point a source gave
(placement "source") or an admin typed is never moved: only "zip" and "city" rows are asked,
and the update checks the placement again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.geo.census import BatchAddress, BatchFailed
from locator.importers.place import point_problem
from locator.models import Center, utcnow
from locator.places import refresh_places

APPROXIMATE = ("zip", "city")
centers = Center.__table__

_MATCHED = (
    centers.update()
    .where(
        centers.c.id == sa.bindparam("center_id"),
        # Literal values: an expanding IN can't be part of an executemany.
        sa.or_(*(centers.c.placement == sa.literal_column(f"'{how}'") for how in APPROXIMATE)),
    )
    .values(
        latitude=sa.bindparam("lat"),
        longitude=sa.bindparam("lon"),
        placement="address",
        geocode_status="matched",
        geocoded_at=sa.bindparam("now"),
        updated_at=sa.bindparam("now"),
    )
)
_UNMATCHED = (
    centers.update()
    .where(centers.c.id == sa.bindparam("center_id"))
    # The listing did not change: its updated_at stays, and geocoded_at now passes it.
    .values(
        geocode_status="unmatched",
        geocoded_at=sa.bindparam("now"),
        updated_at=centers.c.updated_at,  # else Core's onupdate would stamp it
    )
)


class BatchGeocoder(Protocol):
    """What the run needs of a geocoder (locator.geo.census_client.CensusBatchGeocoder)."""

    def geocode(self, batch: list[BatchAddress]) -> dict[int, tuple[float, float] | None]:
        """A point or None per id; BatchFailed when the batch got no usable answer."""


@dataclass
class GeocodeReport:
    """What a run did: addresses matched, not matched, in failed batches; and why they failed."""

    matched: int = 0
    unmatched: int = 0
    failed: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        """Addresses sent in this run."""
        return self.matched + self.unmatched + self.failed

    def summary(self) -> str:
        """One line for people: the three counts."""
        return (
            f"{self.matched:,} matched, {self.unmatched:,} not matched, "
            f"{self.failed:,} in failed batches (sent again next run)"
        )


def pending_query(source: str | None = None) -> sa.Select:
    """Listings at a ZIP or city point whose street address was not asked since they changed."""
    query = sa.select(
        centers.c.id, centers.c.street1, centers.c.city, centers.c.state, centers.c.zip
    ).where(
        centers.c.placement.in_(APPROXIMATE),
        centers.c.street1 != "",
        sa.or_(centers.c.geocoded_at.is_(None), centers.c.geocoded_at < centers.c.updated_at),
    )
    return query.where(centers.c.source == source) if source else query


def pending_count(session: Session, source: str | None = None) -> int:
    """How many listings a run would send."""
    subquery = pending_query(source).subquery()
    return session.scalar(sa.select(sa.func.count()).select_from(subquery)) or 0


def geocode_centers(
    session: Session,
    geocoder: BatchGeocoder,
    *,
    batch_size: int,
    min_delay: float = 0.0,
    source: str | None = None,
    limit: int | None = None,
    progress: Callable[[GeocodeReport], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> GeocodeReport:
    """Send pending addresses batch by batch, committing each batch's answers."""
    report = GeocodeReport()
    last_id, left = 0, limit
    while left is None or left > 0:
        size = batch_size if left is None else min(batch_size, left)
        query = pending_query(source).where(centers.c.id > last_id).order_by(centers.c.id)
        rows = session.execute(query.limit(size)).all()
        if not rows:
            break
        if report.batches and min_delay > 0:
            sleep(min_delay)  # the rate limit: a pause between batches
        last_id = rows[-1].id
        left = None if left is None else left - len(rows)
        _one_batch(session, geocoder, rows, report)
        if progress is not None:
            progress(report)
    if report.matched:
        refresh_places(session)  # a city's point is the mean of its centers'
        session.commit()
    return report


def _one_batch(session: Session, geocoder: BatchGeocoder, rows, report: GeocodeReport) -> None:
    report.batches += 1
    batch = [BatchAddress(r.id, r.street1, r.city, r.state, r.zip) for r in rows]
    try:
        points = geocoder.geocode(batch)
    except BatchFailed as failure:
        report.failed += len(batch)
        report.errors.append(f"batch {report.batches}: {failure}")
        return
    states = {r.id: r.state for r in rows}
    now = utcnow()
    matched, unmatched = [], []
    for center_id, point in points.items():
        # A point outside the listing's state is a wrong match, not a better place.
        if point is None or point_problem(point[0], point[1], states[center_id]):
            unmatched.append({"center_id": center_id, "now": now})
        else:
            lat, lon = round(point[0], 6), round(point[1], 6)
            matched.append({"center_id": center_id, "lat": lat, "lon": lon, "now": now})
    if matched:
        session.execute(_MATCHED, matched)
    if unmatched:
        session.execute(_UNMATCHED, unmatched)
    session.commit()
    report.matched += len(matched)
    report.unmatched += len(unmatched)
