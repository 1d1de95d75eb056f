"""Lookups beside search: places (cities with centers) and single published centers."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.geo import bounding_box, great_circle_miles_sql
from locator.models import Center, Place

places = Place.__table__


def state_counts(session: Session) -> dict[str, int]:
    """Published centers per state, read from the place table."""
    rows = session.execute(
        sa.select(places.c.state, sa.func.sum(places.c.center_count)).group_by(places.c.state)
    )
    return {state: int(count) for state, count in rows}


def cities_in_state(session: Session, state: str) -> list[Place]:
    """The state's cities that have centers, A to Z."""
    return list(session.scalars(sa.select(Place).where(Place.state == state).order_by(Place.city)))


def place_by_slug(session: Session, state: str, slug: str) -> Place | None:
    """A city of the place table by its URL slug."""
    return session.scalar(sa.select(Place).where(Place.state == state, Place.slug == slug))


def nearest_place(
    session: Session, point: tuple[float, float], within_miles: float
) -> Place | None:
    """The nearest city that has published centers, within a distance."""
    latitude, longitude = point
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, within_miles)
    distance = great_circle_miles_sql(Place.latitude, Place.longitude, latitude, longitude)
    return session.scalar(
        sa.select(Place)
        .where(
            Place.latitude.between(min_lat, max_lat),
            Place.longitude.between(min_lon, max_lon),
            distance <= within_miles,
        )
        .order_by(distance, Place.id)
        .limit(1)
    )


def largest_place(session: Session, state: str) -> Place | None:
    """The state's city with the most published centers."""
    return session.scalar(
        sa.select(Place)
        .where(Place.state == state)
        .order_by(Place.center_count.desc(), Place.city)
        .limit(1)
    )


def published_center(
    session: Session, *, slug: str | None = None, id: int | None = None
) -> Center | None:
    """One published center with its services, by slug or id."""
    query = sa.select(Center).where(Center.published.is_(True))
    query = query.where(Center.slug == slug) if slug is not None else query.where(Center.id == id)
    return session.scalar(query)


# Asked by every page: plain text, so no statement is built and keyed per request. One
# index lookup (ix_center_source_published) per source, both in one round trip.
SOURCES_PUBLISHED = sa.text(
    "SELECT EXISTS (SELECT 1 FROM center WHERE source = :first AND published = :published), "
    "EXISTS (SELECT 1 FROM center WHERE source = :second AND published = :published)"
)


def sources_published(session: Session, first: str, second: str) -> tuple[bool, bool]:
    """Whether any published listing comes from each of two sources."""
    values = {"first": first, "second": second, "published": True}
    one, two = session.execute(SOURCES_PUBLISHED, values).one()
    return bool(one), bool(two)
