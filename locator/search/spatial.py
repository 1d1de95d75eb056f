"""Nearest-first queries through the engine's spatial index, exact to the great-circle formula.

Boxes: a box around the point, sized from the directory's density, grows until it holds
enough centers within its inner circle; the R*Tree (SQLite: `center_rtree`, with each
entry's point and service mask in `center_point`, both kept in step with `center` by
triggers), the GiST index (PostgreSQL) or the latitude/longitude B-tree
finds what is in it. Walks (PostgreSQL, unfiltered searches): the GiST index (PostGIS
geography, else cube and earthdistance) is read nearest first, and the candidates read are
checked to be complete. Every way measures and orders with the one great-circle formula, so
all agree with each other and with geopy, ties going to the lower id. Filters test each
center's service masks in the row already visited, before measuring it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import TextClause
from sqlalchemy.engine import Connection

from locator.geo.distance import (
    HALF_CIRCUMFERENCE_MILES,
    bounding_box,
    great_circle_parameters,
)
from locator.search.density import local_box_miles
from locator.search.indexes import (
    RARE_INDEXES,
    WALKING_INDEXES,
    directory_size,
    known_bits,
    rare_filter_slots,
    rare_slot,
    spatial_index,
)
from locator.search.masks import filter_checks, group_mask
from locator.search.sql import (
    DISTANCE_TOLERANCE,
    Shape,
    box_statement,
    count_statement,
    list_statement,
    nearest_first,
    offering_counts_statement,
    run,
    walk_statement,
)

# The first box holds about `wanted` centers where they are densest: with a million centers,
# twenty lie within about a mile in the largest cities (a mile squared per 50,000 centers).
DENSEST_SQUARE_MILES = 50_000
# A filter group keeps about one center in this many (methadone: one in twenty; outpatient:
# two in three): a filtered search starts from a box that much larger in area.
FILTERED_SHARE_INVERSE = 10
# A count's cap that no directory reaches: count them all.
ALL_OF_THEM = 2**62
# Extra candidates read in a nearest-first walk, so that one read nearly always suffices.
WALK_EXTRA = 10


@dataclass(frozen=True)
class Scope:
    """Which centers count, besides the filters: one state, one city, or all but a city."""

    state: str | None = None
    city: str | None = None
    outside_city: bool = False

    @property
    def kind(self) -> str:
        """The scope's shape of SQL: "", "state", "city" or "outside_city"."""
        if self.city is None:
            return "state" if self.state else ""
        return "outside_city" if self.outside_city else "city"

    def parameters(self) -> dict[str, str]:
        """The bound values of the scope's SQL."""
        values = {"scope_state": self.state} if self.state else {}
        if self.city is not None:
            values["scope_city"] = self.city.lower()
        return values


EVERYWHERE = Scope()


def _first_box(connection: Connection, point: tuple[float, float], wanted: int) -> float:
    """Miles of a first box that holds about `wanted` centers around `point` (as dense as
    the densest places where the directory has no center near it)."""
    local = local_box_miles(connection, point, wanted)
    if local is not None:
        return local
    return math.sqrt(wanted * DENSEST_SQUARE_MILES / directory_size(connection))


@dataclass
class _Query:
    """One search's bound values, and what its statements' shapes share."""

    values: dict
    dialect: str
    index: str
    checks: tuple[str, ...]
    scope: Scope
    rare: tuple[int, int] | None = None

    def shape(self, bounded: bool) -> Shape:
        """The shape of a statement of this search. Without a box the R*Tree has nothing to
        offer: the center table is read instead (by state, for a whole state)."""
        if self.index == "rtree" and not bounded:
            return Shape(self.dialect, "btree", self.checks, self.scope.kind, bounded)
        return Shape(self.dialect, self.index, self.checks, self.scope.kind, bounded, self.rare)

    @property
    def walks(self) -> bool:
        """Whether to walk the GiST index nearest first: with no filter, or through a rare
        filter's own index. Not through the general index with filters: a rare filter can
        make the walk measure every center in range, and the walk's own measure costs far
        more per center than boxes, which use the same index."""
        return self.index in WALKING_INDEXES and (not self.checks or self.rare is not None)


def prepare_query(
    connection: Connection, point, groups: Sequence[Sequence[str]], scope: Scope
) -> _Query:
    """The values and shape of a search from `point` (None: a list with no point, which
    holds the centers with no position too)."""
    checks, filter_values = filter_checks(groups, known_bits(connection))
    values: dict = {"published": True, **filter_values, **scope.parameters()}
    if point is None:
        return _Query(values, connection.dialect.name, "unplaced", checks, scope)
    values.update({"lat": point[0], "lon": point[1], **great_circle_parameters(*point)})
    index = spatial_index(connection)
    # A group checked by its masks alone may be found in a rare filter's own index.
    masks = [m for i, check in enumerate(checks) if (m := group_mask(check, values, i))]
    slots = rare_filter_slots(connection) if masks and index in RARE_INDEXES else ()
    rare = rare_slot(masks, slots)
    return _Query(values, connection.dialect.name, index, checks, scope, rare)


def in_radius(point: tuple[float, float], miles: float) -> dict[str, float]:
    """The box around a circle, the circle itself, and a slightly wider circle in metres
    for the GiST indexes (whose measures differ from the formula by rounding)."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(point[0], point[1], miles)
    return {
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lon": min_lon,
        "max_lon": max_lon,
        "within": miles,
        "index_within": miles * 1609.344 * 1.001 + 1.0,
    }


def nearest(
    connection: Connection,
    point: tuple[float, float],
    radius: float | None,
    groups: Sequence[Sequence[str]],
    wanted: int,
    scope: Scope = EVERYWHERE,
) -> list[tuple[int, float]]:
    """The `wanted` nearest centers within `radius` miles (None: at any distance), as
    (id, distance) nearest first, ties by id; fewer when fewer are in range."""
    if wanted <= 0:
        return []
    query = prepare_query(connection, point, groups, scope)
    if query.walks:
        if radius is not None:
            query.values.update(in_radius(point, radius))
        return _walk(connection, query.shape(radius is not None), query.values, wanted)
    return [(row.id, row.distance) for row in grow_box(connection, query, point, radius, wanted)]


def _next_box(miles: float, found: int, wanted: int) -> float:
    """A box about big enough for `wanted` where `found` lay within `miles` (area ~ count)."""
    factor = 1.5 * math.sqrt(wanted / max(found, 1))
    return miles * min(10.0, max(2.0, factor))


def grow_box(
    connection,
    query: _Query,
    point,
    radius,
    wanted: int,
    build: Callable[[Shape], TextClause] = box_statement,
    extra: Mapping[str, object] = MappingProxyType({}),
) -> list:
    """Grow a box from small until it holds `wanted` centers within its inner circle: the
    rows of `build`'s statement for the box (its `extra` values bound too), nearest first.

    Every point within `miles` lies in the box, so once `wanted` are found at most `miles`
    away, nothing outside can be nearer (nor as near with a lower id): the answer is exact.
    """
    limit = HALF_CIRCUMFERENCE_MILES if radius is None else radius
    wider = math.sqrt(FILTERED_SHARE_INVERSE) ** len(query.checks)
    miles = min(limit, _first_box(connection, point, wanted) * wider)
    while True:
        bounded = miles < HALF_CIRCUMFERENCE_MILES
        if bounded:
            query.values.update(in_radius(point, miles))
        statement = build(query.shape(bounded))
        rows = run(connection, statement, {**query.values, **extra, "wanted": wanted}).all()
        if len(rows) >= wanted or miles >= limit:
            return rows
        miles = min(limit, _next_box(miles, len(rows), wanted))


def _walk(connection, shape: Shape, values: dict, wanted: int):
    """Read candidates nearest first from the GiST index, then rank them by the formula.

    The index's measure and the formula rank points alike but for rounding, so the answer
    is exact once the last candidate read is measurably farther than the one ranked
    `wanted`; when it is not (many centers at one spot), read more.
    """
    rows = read_walk(connection, walk_statement(shape), values, wanted)
    return [(row.id, row.distance) for row in rows]


def read_walk(connection: Connection, statement, values: dict, wanted: int) -> list:
    """The walk's `wanted` first rows by (distance, id), reading more until that is exact."""
    reading = wanted + WALK_EXTRA
    while True:
        rows = run(connection, statement, {**values, "reading": reading}).all()
        ranked = sorted(rows, key=nearest_first)
        if len(rows) < reading:
            return ranked[:wanted]
        last_read = max(rows, key=lambda row: row.walked)
        if ranked[wanted - 1].distance < last_read.distance - DISTANCE_TOLERANCE:
            return ranked[:wanted]
        reading *= 4


def count_within(
    connection: Connection,
    point: tuple[float, float],
    radius: float | None,
    groups: Sequence[Sequence[str]],
    cap: int,
    scope: Scope = EVERYWHERE,
) -> int:
    """How many centers are within `radius` miles (None: at any distance), counting no
    further than `cap`: an answer of `cap` means "at least that many"."""
    query = prepare_query(connection, point, groups, scope)
    query.values["cap"] = cap
    if radius is not None:
        query.values.update(in_radius(point, radius))
    statement = count_statement(query.shape(radius is not None))
    return connection.execute(statement, query.values).scalar_one()


def count_offering(
    connection: Connection,
    point: tuple[float, float] | None,
    radius: float | None,
    counted: Sequence[Sequence[Sequence[str]]],
    scope: Scope = EVERYWHERE,
) -> list[int]:
    """For each entry of `counted` (groups of codes), how many centers within `radius` miles
    of `point` (None: of the scope, placed or not) offer a code of each of its groups: every
    count in one pass over the centers in range."""
    if not counted:
        return []
    query = prepare_query(connection, point, (), scope)
    if radius is not None:
        query.values.update(in_radius(point, radius))
    bits, checks = known_bits(connection), []
    for i, groups in enumerate(counted):
        group_checks, values = filter_checks(groups, bits, prefix=f"{i}_")
        checks.append(group_checks)
        query.values.update(values)
    statement = offering_counts_statement(query.shape(radius is not None), tuple(checks))
    return [int(n) for n in connection.execute(statement, query.values).one()]


def listed_in_scope(
    connection: Connection, groups: Sequence[Sequence[str]], scope: Scope, wanted: int, skip: int
) -> tuple[list[int], int]:
    """A page of a list with no point (a state's, placed or not, by city and name): the ids
    of `wanted` centers after the first `skip`, and how many the list holds."""
    query = prepare_query(connection, None, groups, scope)
    shape = query.shape(False)
    values = {**query.values, "wanted": wanted, "skip": skip}
    ids = list(connection.execute(list_statement(shape), values).scalars())
    every = {**values, "cap": ALL_OF_THEM}
    return ids, connection.execute(count_statement(shape), every).scalar_one()
