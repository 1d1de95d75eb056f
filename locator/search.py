"""Pure query functions over the directory, shared by the pages and the API.

The hot path uses SQLAlchemy Core against the models' tables: the database narrows the
candidates through an index (bounding box), measures and orders them, and counts them in
the same statement; no ORM objects are built per row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.geo import bounding_box, great_circle_miles_sql
from locator.models import Center, Place, center_service

centers = Center.__table__
places = Place.__table__

SUMMARY_COLUMNS = (
    centers.c.id,
    centers.c.slug,
    centers.c.name1,
    centers.c.name2,
    centers.c.street1,
    centers.c.street2,
    centers.c.city,
    centers.c.state,
    centers.c.zip,
    centers.c.phone,
    centers.c.intake1,
    centers.c.website,
    centers.c.latitude,
    centers.c.longitude,
    centers.c.placement,
)
# Where nothing is in range, look this far for the nearest centers beyond the radius.
BEYOND_RADII = (50, 100, 250, 500, 1500, 6000)


@dataclass(frozen=True)
class CenterSummary:
    """What a list of results shows of one center."""

    id: int
    slug: str
    name1: str
    name2: str
    street1: str
    street2: str
    city: str
    state: str
    zip: str
    phone: str
    intake1: str
    website: str
    latitude: float | None
    longitude: float | None
    placement: str
    distance: float | None
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResultPage:
    """One page of results and the count of all of them."""

    results: list[CenterSummary]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """The number of pages (at least 1)."""
        return max(1, math.ceil(self.total / self.per_page))


def _published(groups: Sequence[Sequence[str]]) -> list[sa.ColumnElement[bool]]:
    """Published centers that offer a code of every group (OR within, AND across)."""
    conditions = [centers.c.published.is_(True)]
    for codes in groups:
        conditions.append(
            sa.exists().where(
                center_service.c.center_id == centers.c.id,
                center_service.c.service_code.in_(list(codes)),
            )
        )
    return conditions


def _with_services(session: Session, rows: Sequence[sa.Row]) -> list[CenterSummary]:
    """Attach each center's service codes, fetched in one query for the whole page."""
    ids = [row.id for row in rows]
    codes: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for center_id, code in session.execute(
            sa.select(center_service.c.center_id, center_service.c.service_code).where(
                center_service.c.center_id.in_(ids)
            )
        ):
            codes[center_id].append(code)
    return [
        CenterSummary(
            **{column.name: getattr(row, column.name) for column in SUMMARY_COLUMNS},
            distance=getattr(row, "distance", None),
            services=tuple(sorted(codes[row.id])),
        )
        for row in rows
    ]


def nearby_centers(
    session: Session,
    point: tuple[float, float],
    radius: float | None,
    groups: Sequence[Sequence[str]] = (),
    page: int = 1,
    per_page: int = 20,
    state: str | None = None,
    city_first: tuple[str, str] | None = None,
) -> ResultPage:
    """Published centers within `radius` miles of `point`, nearest first, one page of them.

    `radius=None` means no limit (used with `state` for a whole state). `city_first`
    (state, city) lists that city's centers before the others.
    """
    latitude, longitude = point
    distance = great_circle_miles_sql(
        centers.c.latitude, centers.c.longitude, latitude, longitude
    ).label("distance")
    conditions = [*_published(groups), centers.c.latitude.is_not(None)]
    if state:
        conditions.append(centers.c.state == state)
    if radius is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius)
        conditions += [
            centers.c.latitude.between(min_lat, max_lat),
            centers.c.longitude.between(min_lon, max_lon),
        ]
    inner = sa.select(*SUMMARY_COLUMNS, distance).where(*conditions).subquery()
    order: list[sa.ColumnElement] = []
    if city_first:
        in_city = sa.and_(
            inner.c.state == city_first[0],
            sa.func.lower(inner.c.city) == city_first[1].lower(),
        )
        order.append(sa.case((in_city, 0), else_=1))
    query = sa.select(inner, sa.func.count().over().label("total"))
    if radius is not None:
        query = query.where(inner.c.distance <= radius)
    query = query.order_by(*order, inner.c.distance, inner.c.id)
    rows = session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    if rows:
        total = rows[0].total
    else:
        total = session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
    return ResultPage(_with_services(session, rows), total or 0, page, per_page)


def nearest_beyond(
    session: Session,
    point: tuple[float, float],
    groups: Sequence[Sequence[str]] = (),
    limit: int = 5,
) -> list[CenterSummary]:
    """The nearest centers at any distance: offered when none is within the radius."""
    for radius in BEYOND_RADII:
        found = nearby_centers(session, point, radius, groups, per_page=limit)
        if found.results:
            return found.results
    return []


def centers_in_state(
    session: Session,
    state: str,
    groups: Sequence[Sequence[str]] = (),
    page: int = 1,
    per_page: int = 20,
) -> ResultPage:
    """A state's published centers, by city then name."""
    conditions = [*_published(groups), centers.c.state == state]
    total = session.execute(sa.select(sa.func.count()).where(*conditions)).scalar() or 0
    rows = session.execute(
        sa.select(*SUMMARY_COLUMNS)
        .where(*conditions)
        .order_by(centers.c.city, centers.c.name1, centers.c.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return ResultPage(_with_services(session, rows), total, page, per_page)


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


def published_center(
    session: Session, *, slug: str | None = None, id: int | None = None
) -> Center | None:
    """One published center with its services, by slug or id."""
    query = sa.select(Center).where(Center.published.is_(True))
    query = query.where(Center.slug == slug) if slug is not None else query.where(Center.id == id)
    return session.scalar(query)


def sample_data_loaded(session: Session) -> bool:
    """Whether any published listing is sample data (every page then says so)."""
    return (
        session.execute(
            sa.select(sa.literal(1))
            .where(centers.c.source == "sample", centers.c.published.is_(True))
            .limit(1)
        ).first()
        is not None
    )
