"""Nearest-first search and a state's list, one page at a time, for the pages and the API.

Nearest-first search goes through the engine's spatial index (locator.search.spatial): one
statement finds a page nearest first with its rows, services and capped count
(locator.search.page_rows); a city's page, city first, finds the ids, then fetches the rows.
The hot path is SQLAlchemy Core and prepared text; no ORM objects are built per row, and
nothing is measured that cannot be on the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from locator.models.center_fields import SUMMARY_FIELDS
from locator.search.page_rows import nearest_rows
from locator.search.query import SearchQuery
from locator.search.results import (
    CenterSummary,
    ResultPage,
    row_summaries,
    summaries,
)
from locator.search.spatial import Scope, count_within, listed_in_scope, nearest

# Where nothing is in range, look this far for the nearest centers beyond the radius.
BEYOND_RADII = (50, 100, 250, 500, 1500, 6000)
# Counting stops here (or at the end of the page asked for): "100+ centers".
COUNT_CAP = 100


def _cap(page: int, per_page: int) -> int:
    """Counting stops past this: COUNT_CAP, or the end of the page asked for."""
    return max(COUNT_CAP, page * per_page)


def _capped_total(
    connection, point, radius, groups, page: int, per_page: int, scope: Scope
) -> tuple[int, bool]:
    """The count of results up to the cap (at least through the page asked for)."""
    cap = _cap(page, per_page)
    total = count_within(connection, point, radius, groups, cap + 1, scope)
    return (cap, True) if total > cap else (total, False)


def _page_in_one_trip(connection, point, radius, groups, page, per_page, state) -> ResultPage:
    """A page, its rows and its count in one round trip (locator.search.page_rows)."""
    cap = _cap(page, per_page)
    rows, counted = nearest_rows(
        connection, point, radius, groups, page * per_page, cap + 1, Scope(state), SUMMARY_FIELDS
    )
    total, capped = (len(rows), False) if counted is None else (min(counted, cap), counted > cap)
    shown = rows[(page - 1) * per_page :]
    results = row_summaries(shown, [row.distance for row in shown])
    return ResultPage(results, total, page, per_page, total_is_capped=capped)


def _city_first(connection, point, radius, groups, wanted, state: str, city: str):
    """The city's centers nearest first, then the others within the radius."""
    in_city = nearest(connection, point, radius, groups, wanted, Scope(state, city))
    if len(in_city) == wanted:
        return in_city
    others = Scope(state, city, outside_city=True)
    return in_city + nearest(connection, point, radius, groups, wanted - len(in_city), others)


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
    (state, city) lists that city's centers before the others. Past COUNT_CAP results the
    total is capped (see ResultPage).
    """
    connection = session.connection()
    if not city_first:
        return _page_in_one_trip(connection, point, radius, groups, page, per_page, state)
    wanted = page * per_page
    found = _city_first(connection, point, radius, groups, wanted, *city_first)
    if len(found) < wanted:  # every result in range was found: that is the count
        total, capped = len(found), False
    else:
        total, capped = _capped_total(
            connection, point, radius, groups, page, per_page, Scope(state)
        )
    results = summaries(connection, found[(page - 1) * per_page :])
    return ResultPage(results, total, page, per_page, total_is_capped=capped)


def counts_within(
    session: Session,
    point: tuple[float, float],
    radii: Sequence[int],
    groups: Sequence[Sequence[str]] = (),
    cap: int = COUNT_CAP,
) -> list[tuple[int, int, bool]]:
    """(radius, count, capped) for each radius: how many centers a wider search would list,
    counting no further than `cap`."""
    connection = session.connection()
    found = []
    for radius in radii:
        count = count_within(connection, point, radius, groups, cap + 1)
        found.append((radius, min(count, cap), count > cap))
    return found


def nearest_beyond(
    session: Session,
    point: tuple[float, float],
    groups: Sequence[Sequence[str]] = (),
    limit: int = 5,
) -> list[CenterSummary]:
    """The nearest centers at any distance: offered when none is within the radius."""
    connection = session.connection()
    return summaries(connection, nearest(connection, point, BEYOND_RADII[-1], groups, limit))


def centers_in_state(
    session: Session,
    state: str,
    groups: Sequence[Sequence[str]] = (),
    page: int = 1,
    per_page: int = 20,
) -> ResultPage:
    """A state's published centers, those with no position too, by city then name."""
    connection = session.connection()
    skip = (page - 1) * per_page
    ids, total = listed_in_scope(connection, groups, Scope(state), per_page, skip)
    return ResultPage(summaries(connection, [(i, None) for i in ids]), total, page, per_page)


def find(session: Session, query: SearchQuery) -> ResultPage:
    """The page of results a placed query asks for (see SearchQuery)."""
    if query.point is None:
        return centers_in_state(session, query.state, query.groups, query.page, query.per_page)
    return nearby_centers(
        session,
        query.point,
        query.radius,
        query.groups,
        page=query.page,
        per_page=query.per_page,
        state=query.state,
        city_first=query.city_first,
    )


def wider(session: Session, query: SearchQuery, radii: Sequence[int], listed: int):
    """(radius, count, capped) for each of `radii` wider than the query's whose search would
    list more centers than the `listed` it found."""
    if query.point is None or query.radius is None:
        return []
    farther = [radius for radius in radii if radius > query.radius]
    counted = counts_within(session, query.point, farther, query.groups)
    return [entry for entry in counted if entry[1] > listed]
