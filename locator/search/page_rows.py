"""One page of nearest-first results in one round trip: the rows of the centers on it (their
summary columns and service codes) and how many are in range, up to a cap.

A results page used to ask the database three or four times: the boxes, the count, then the
rows with their codes. Each statement cost more in the driver and in SQLAlchemy than in the
database itself, and the rows' `IN` list was written anew for every page. Here the rows and
the count ride on the statement that finds the page: a nearest-first walk of the GiST index
(PostgreSQL), or the growing box of locator.search.spatial, where only the box that holds the
page counts (a smaller box does not reach `:wanted`, so its count is never made).
"""

# ruff: noqa: S608

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.engine import Connection

from locator.search.spatial import Scope, grow_box, in_radius, prepare_query, read_walk
from locator.search.sql import (
    NEAREST_FIRST,
    Parts,
    Shape,
    shaped_statement,
    statement_parts,
    walk_order,
)

# The values that bound a box, renamed where the same statement also bounds the radius.
_BOUNDS = re.compile(r":(min_lat|max_lat|min_lon|max_lon|within|index_within)\b")
_RADIUS = "radius_"


def _codes(shape: Shape, center_id: str) -> str:
    """A center's service codes, space-separated."""
    joined = "group_concat" if shape.dialect == "sqlite" else "string_agg"
    return (
        f"(SELECT {joined}(cs.service_code, ' ') FROM center_service AS cs "  # nosec
        f"WHERE cs.center_id = {center_id})"
    )


def _count_in_range(sql: Parts, found: str) -> str:
    """The count in range up to `:cap`, made only when `found` reached `:wanted`."""
    return (
        f"CASE WHEN (SELECT count(*) FROM {found}) >= :wanted THEN (SELECT count(*) FROM "  # nosec
        f"(SELECT 1 FROM {sql.source} WHERE {sql.where} LIMIT :cap) AS in_range) END AS total"
    )


@shaped_statement
def walk_rows_statement(shape: Shape, sql: Parts, columns: tuple[str, ...]) -> str:
    """The first `:reading` centers of a nearest-first walk of the GiST index with their
    columns and service codes, and the count in range when they reach `:wanted`."""
    selected = ", ".join(f"p.{name}" for name in columns)
    return (
        f"WITH candidates AS (SELECT {sql.center_id} AS id, {sql.distance} AS distance, "  # nosec
        f"{walk_order(shape)} AS walked FROM {sql.source} WHERE {sql.where} "
        "ORDER BY walked LIMIT :reading) "
        f"SELECT candidates.distance, candidates.walked, {selected}, "
        f"{_codes(shape, 'p.id')} AS codes, {_count_in_range(sql, 'candidates')} "
        "FROM candidates JOIN center AS p ON p.id = candidates.id"
    )


@shaped_statement
def box_rows_statement(shape: Shape, sql: Parts, counted: Shape, columns: tuple[str, ...]) -> str:
    """The nearest `:wanted` centers in a box with their columns and service codes, nearest
    first, and (when the box holds `:wanted`) the count within the radius, whose bounds are
    the `radius_` values: `counted` is the search's shape over the whole radius."""
    selected = ", ".join(f"p.{name}" for name in columns)
    in_range = statement_parts(counted)
    in_range = in_range._replace(where=_BOUNDS.sub(rf":{_RADIUS}\1", in_range.where))
    return (
        f"WITH found AS (SELECT {sql.center_id} AS id, {sql.distance} AS distance "  # nosec
        f"FROM {sql.source} WHERE {sql.where} ORDER BY {NEAREST_FIRST} LIMIT :wanted) "
        f"SELECT found.distance AS distance, {selected}, {_codes(shape, 'p.id')} AS codes, "
        f"{_count_in_range(in_range, 'found')} "
        # NEAREST_FIRST, of the found rows (the center's `id` is the same one)
        "FROM found JOIN center AS p ON p.id = found.id ORDER BY found.distance, found.id"
    )


def nearest_rows(
    connection: Connection,
    point: tuple[float, float],
    radius: float | None,
    groups: Sequence[Sequence[str]],
    wanted: int,
    cap: int,
    scope: Scope,
    columns: tuple[str, ...],
) -> tuple[list, int | None]:
    """The `wanted` nearest centers' rows (their `columns`, `distance` and `codes`), nearest
    first, and, if that many were found, the count within `radius` (None: at any distance)
    up to `cap`; None when fewer were found (they are all there is)."""
    query = prepare_query(connection, point, groups, scope)
    counted = query.shape(radius is not None)
    if query.walks:
        if radius is not None:
            query.values.update(in_radius(point, radius))
        statement = walk_rows_statement(counted, columns)
        values = {**query.values, "wanted": wanted, "cap": cap}
        rows = read_walk(connection, statement, values, wanted)
    else:
        bounds = in_radius(point, radius) if radius is not None else {}
        extra = {"cap": cap, **{_RADIUS + name: value for name, value in bounds.items()}}
        rows = grow_box(
            connection,
            query,
            point,
            radius,
            wanted,
            lambda shape: box_rows_statement(shape, counted, columns),
            extra,
        )
    return rows, (rows[0].total if rows else None)
