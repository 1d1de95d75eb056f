"""The SQL of nearest-first search, one statement per shape of query and kind of index.

Written as prepared `text()` so the hot path skips the ORM and the statement compiler; each
shape is built once per process. Names here match migration 0004, which creates the indexes.
Only this module's constants are pasted into the SQL (hence the file's `noqa: S608`, and the
`nosec` at each statement that bandit reads as SQL injection, B608); every value a person
chose is a bound parameter.
"""

# ruff: noqa: S608

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps
from typing import NamedTuple

import sqlalchemy as sa

from locator.geo.distance import great_circle_miles_text
from locator.search.indexes import RARE_RTREE_TABLE, RARE_SLOT_SPREAD, RARE_SLOTS, RTREE_TABLE
from locator.search.masks import group_conditions, slot_condition

# What search reads of each R*Tree entry: its exact point and service masks (migrations 0006, 0015).
POINT_TABLE = "center_point"
# Two measures of one distance may differ by rounding; far more than that, far less than
# anything a person could notice (about 2 mm).
DISTANCE_TOLERANCE = 1e-6
# geopy's sphere in metres: the index measures are scaled from it.
GEOPY_RADIUS_METRES = 6371009.0

# The expression the PostGIS index is built on (it must be written the same way here).
GEOGRAPHY = "(ST_MakePoint(c.longitude, c.latitude)::geography)"
ORIGIN_GEOGRAPHY = "(ST_MakePoint(:lon, :lat)::geography)"
EARTH_POINT = "ll_to_earth(c.latitude, c.longitude)"
ORIGIN_EARTH = "ll_to_earth(:lat, :lon)"
PLACED = "c.published AND c.latitude IS NOT NULL AND c.longitude IS NOT NULL"

# How results are ranked, said here only: nearest first, ties to the lower id (in SQL, and
# `nearest_first` for rows ranked in Python); a state's list, which has no point, by city,
# then name, then id.
NEAREST_FIRST = "distance, id"
BY_CITY_AND_NAME = "c.city, c.name1, c.id"


def nearest_first(row) -> tuple[float, int]:
    """The rank of a row with `distance` and `id`: `NEAREST_FIRST`, in Python."""
    return (row.distance, row.id)


@dataclass(frozen=True)
class Shape:
    """What varies between statements: the dialect; the index ("unplaced": none, every
    published center, placed or not, as in a state's list); how each filter group is
    checked (locator.search.masks: a bit of either of the center's service masks, a row of
    center_service for codes without a bit, or either); the scope ("", "state", "city" or
    "outside_city"); whether a radius bounds the search; and the rare filter's own index,
    read instead of the general one, as (slot, mask) of migration 0014 (None: the general
    one)."""

    dialect: str
    index: str
    groups: tuple[str, ...]
    scope: str
    bounded: bool
    rare: tuple[int, int] | None = None

    @property
    def needs_center_row(self) -> bool:
        """Whether an R*Tree search reads the center's row: for a scope only (the point and
        the service mask come from the narrow `center_point`)."""
        return bool(self.scope)

    @property
    def row(self) -> str:
        """The row whose service masks are tested: the narrow table's copy where read."""
        return "p" if self.index == "rtree" else "c"


def _id_and_point(shape: Shape) -> tuple[str, str, str]:
    """The columns of the center's id, latitude and longitude in the statement. An R*Tree
    search measures from `center_point`, whose row it reads after the box test: SQLite then
    tests the mask (cheap) before the distance (dear), both being of that row."""
    if shape.index == "rtree":
        return ("p.id" if shape.rare else "r.id"), "p.latitude", "p.longitude"
    return "c.id", "c.latitude", "c.longitude"


def _source(shape: Shape) -> str:
    if shape.index != "rtree":
        return "center AS c"
    if shape.rare:  # an entry per (center, slot): its id is the center's × RARE_SLOTS + slot
        source = f"{RARE_RTREE_TABLE} AS r JOIN {POINT_TABLE} AS p ON p.id = r.id / {RARE_SLOTS}"
        return source + (" JOIN center AS c ON c.id = p.id" if shape.needs_center_row else "")
    source = f"{RTREE_TABLE} AS r JOIN {POINT_TABLE} AS p ON p.id = r.id"
    return source + (" JOIN center AS c ON c.id = r.id" if shape.needs_center_row else "")


def _rare_index(shape: Shape) -> list[str]:
    """The rare filter's slot in its R*Tree; on PostgreSQL, its partial index's condition,
    written out so that the planner may read that index (a bound value would not let it)."""
    if shape.rare is None:
        return []
    slot, mask = shape.rare
    if shape.index == "rtree":
        return [f"r.min_slot = {slot * RARE_SLOT_SPREAD}"]
    return [slot_condition("c", mask)]


def _placed_within_box(shape: Shape) -> list[str]:
    """Published and placed centers, in the search's box when it has one."""
    if shape.index == "unplaced":
        return ["c.published = :published"]
    if shape.index == "rtree":  # the R*Tree holds published, placed centers only
        if not shape.bounded:
            return []
        return [
            "r.max_lat >= :min_lat AND r.min_lat <= :max_lat",
            "r.max_lon >= :min_lon AND r.min_lon <= :max_lon",
        ]
    if shape.index == "btree":
        placed = "c.published = :published AND c.latitude IS NOT NULL AND c.longitude IS NOT NULL"
        if not shape.bounded:
            return [placed]
        return [
            placed,
            "c.latitude BETWEEN :min_lat AND :max_lat",
            "c.longitude BETWEEN :min_lon AND :max_lon",
        ]
    if not shape.bounded:
        return [PLACED]
    if shape.index == "postgis":
        return [PLACED, f"ST_DWithin({GEOGRAPHY}, {ORIGIN_GEOGRAPHY}, :index_within, false)"]
    box = f"earth_box({ORIGIN_EARTH}, :index_within * earth() / {GEOPY_RADIUS_METRES})"
    return [PLACED, f"{box} @> {EARTH_POINT}"]


def _scope(shape: Shape) -> list[str]:
    in_city = "c.state = :scope_state AND lower(c.city) = :scope_city"
    return {
        "": [],
        "state": ["c.state = :scope_state"],
        "city": [in_city],
        "outside_city": [f"NOT ({in_city})"],
    }[shape.scope]


class Parts(NamedTuple):
    """What a statement of a shape is built from: the id column, the distance expression,
    the FROM and the WHERE clauses."""

    center_id: str
    distance: str
    source: str
    where: str


def statement_parts(shape: Shape) -> Parts:
    center_id, latitude, longitude = _id_and_point(shape)
    distance = great_circle_miles_text(latitude, longitude)
    filters = group_conditions(shape.groups, shape.row, center_id)
    conditions = [*_placed_within_box(shape), *_rare_index(shape), *_scope(shape), *filters]
    if shape.bounded:
        conditions.append(f"{distance} <= :within")
    where = " AND ".join(conditions) or "1 = 1"
    return Parts(center_id, distance, _source(shape), where)


# The bound lists of codes of `masks.group_conditions`, found in a statement's text.
_CODE_LISTS = re.compile(r":(codes[0-9_]+)")


def shaped_statement(build: Callable[..., str]) -> Callable[..., sa.TextClause]:
    """A statement of each shape (and further arguments), built once: `build(shape, parts,
    *arguments)` writes its SQL."""

    @cache
    @wraps(build)
    def prepared(shape: Shape, *arguments) -> sa.TextClause:
        sql = build(shape, statement_parts(shape), *arguments)
        # Raw column names: SQLite's dialect would otherwise rework each name at every use.
        statement = sa.text(sql).execution_options(sqlite_raw_colnames=True)
        expanding = sorted(set(_CODE_LISTS.findall(sql)))
        if expanding:
            return statement.bindparams(*(sa.bindparam(n, expanding=True) for n in expanding))
        return statement.execution_options(**{_DRIVER_READY: True})

    return prepared


# Statements with no expanding list: `run` may send them in the driver's own form.
_DRIVER_READY = "locator_driver_ready"
# (id of the statement, dialect, paramstyle) -> (statement, SQL, names of the values in order)
_DRIVER_FORMS: dict[tuple[int, str, str], tuple[sa.TextClause, str, tuple[str, ...]]] = {}


def run(connection: sa.Connection, statement: sa.TextClause, values: dict) -> sa.CursorResult:
    """`connection.execute(statement, values)` for a statement of `shaped_statement`, sent as
    the SQL and values of the driver (still through SQLAlchemy's connection, its events and
    its errors): SQLAlchemy would otherwise turn the search's fifty-odd named values into
    the driver's form at each search, some 0.04 ms of a 2 ms results page."""
    options = statement.get_execution_options()
    if not options.get(_DRIVER_READY):
        return connection.execute(statement, values)
    dialect = connection.dialect
    key = (id(statement), dialect.name, dialect.paramstyle)
    form = _DRIVER_FORMS.get(key)
    if form is None or form[0] is not statement:
        compiled = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(compiled.binds)
        form = _DRIVER_FORMS[key] = (statement, compiled.string, names)
    _, sql, names = form
    if dialect.positional:
        return connection.exec_driver_sql(sql, tuple(values[n] for n in names), options)
    return connection.exec_driver_sql(sql, {n: values[n] for n in names}, options)


@shaped_statement
def box_statement(_shape: Shape, sql: Parts) -> str:
    """The nearest `:wanted` centers in a box, measured and ordered by the formula."""
    return (
        f"SELECT {sql.center_id} AS id, {sql.distance} AS distance FROM {sql.source} "  # nosec
        f"WHERE {sql.where} ORDER BY {NEAREST_FIRST} LIMIT :wanted"
    )


def walk_order(shape: Shape) -> str:
    """The GiST index's own measure, which it walks in increasing order."""
    if shape.index == "postgis":
        return f"{GEOGRAPHY} <-> {ORIGIN_GEOGRAPHY}"
    return f"{EARTH_POINT} <-> {ORIGIN_EARTH}"


@shaped_statement
def walk_statement(shape: Shape, sql: Parts) -> str:
    """The first `:reading` centers of a nearest-first walk of the GiST index."""
    return (
        f"SELECT {sql.center_id} AS id, {sql.distance} AS distance, "  # nosec
        f"{walk_order(shape)} AS walked FROM {sql.source} WHERE {sql.where} "
        "ORDER BY walked LIMIT :reading"
    )


@shaped_statement
def count_statement(_shape: Shape, sql: Parts) -> str:
    """How many centers are in range, counting no further than `:cap`."""
    return (
        f"SELECT count(*) FROM (SELECT 1 FROM {sql.source} WHERE {sql.where} "  # nosec
        "LIMIT :cap) AS in_range"
    )


@shaped_statement
def list_statement(_shape: Shape, sql: Parts) -> str:
    """A page of a list with no point (a state's): `:wanted` ids from `:skip`, by city."""
    return (
        f"SELECT {sql.center_id} AS id FROM {sql.source} WHERE {sql.where} "  # nosec
        f"ORDER BY {BY_CITY_AND_NAME} LIMIT :wanted OFFSET :skip"
    )


@shaped_statement
def offering_counts_statement(
    shape: Shape, sql: Parts, counted: tuple[tuple[str, ...], ...]
) -> str:
    """For each entry of `counted` (the checks of `filter_checks` with the prefix "{i}_"),
    how many centers in range offer a code of each of its groups: every count in one pass
    of the spatial index (the numbers beside the filters)."""
    columns = []
    for i, checks in enumerate(counted):
        met = " AND ".join(group_conditions(checks, shape.row, sql.center_id, f"{i}_"))
        columns.append(f"count(*) FILTER (WHERE {met}) AS count{i}")
    return f"SELECT {', '.join(columns)} FROM {sql.source} WHERE {sql.where}"  # nosec
