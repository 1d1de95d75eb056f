"""The place table: cities that have published centers, kept current as listings change."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.geo import slugify
from locator.models import Center, Place


def refresh_places(session: Session) -> int:
    """Rebuild the place table from published, placed centers; returns the count of cities.

    Runs in the caller's transaction, so a failed import leaves the old table in place.
    Spellings of one city that share a slug ("Saint Louis", "SAINT LOUIS") are merged.
    """
    rows = session.execute(
        sa.select(
            Center.state,
            Center.city,
            sa.func.count(),
            sa.func.avg(Center.latitude),
            sa.func.avg(Center.longitude),
        )
        .where(Center.published.is_(True), Center.latitude.is_not(None), Center.city != "")
        .group_by(Center.state, Center.city)
    ).all()
    merged: dict[tuple[str, str], dict] = {}
    for state, city, count, latitude, longitude in rows:
        slug = slugify(city)
        if not slug:
            continue
        entry = merged.setdefault(
            (state, slug), {"city": city, "count": 0, "lat": 0.0, "lon": 0.0, "best": 0}
        )
        if count > entry["best"]:  # the most used spelling names the place
            entry["city"], entry["best"] = city, count
        entry["count"] += count
        entry["lat"] += float(latitude) * count
        entry["lon"] += float(longitude) * count
    session.execute(sa.delete(Place))
    if merged:
        session.execute(
            sa.insert(Place.__table__),  # Core: the ORM's bulk path costs more than the insert
            [
                {
                    "state": state,
                    "slug": slug,
                    "city": e["city"],
                    "center_count": e["count"],
                    "latitude": round(e["lat"] / e["count"], 6),
                    "longitude": round(e["lon"] / e["count"], 6),
                }
                for (state, slug), e in merged.items()
            ],
        )
    return len(merged)
