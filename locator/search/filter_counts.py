"""How many centers in reach offer each filter choice: the numbers beside the checkboxes.

Counted in the database over the same set of centers the list is drawn from (published, in
range or in the state). The choices of a category that nothing is chosen in are counted under
every choice; those of a category that has choices under the other categories' choices only
(its own set aside, because choices within a category add up: "Detox or Residential"). All of
it is one pass over the centers in reach through the spatial index, testing each center's
service mask; a code without a bit in the mask falls back to joins on center_service, one
query per batch of filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from locator.geo import bounding_box, great_circle_miles_sql
from locator.models import Center, center_service
from locator.search.indexes import service_mask_of
from locator.search.spatial import Scope, count_offering
from locator.search.sql import offering_columns
from locator.taxonomy import Filter, FilterSelection, Taxonomy

Batches = list[tuple[list[Filter], Sequence[Sequence[str]]]]

centers = Center.__table__


def _category_of(taxonomy: Taxonomy, key: str) -> str:
    chosen = taxonomy.filters.get(key)
    return chosen.category if chosen else taxonomy.service(key).category


def _in_reach(
    groups: Sequence[Sequence[str]],
    point: tuple[float, float] | None,
    radius: float | None,
    state: str | None,
) -> list[sa.ColumnElement[bool]]:
    """The conditions of the list's own query: published, offering every group, in reach."""
    conditions = [centers.c.published.is_(True)]
    for codes in groups:
        conditions.append(
            sa.exists().where(
                center_service.c.center_id == centers.c.id,
                center_service.c.service_code.in_(list(codes)),
            )
        )
    if state:
        conditions.append(centers.c.state == state)
    if point is not None:  # the list of a search leaves out centers with no position
        conditions.append(centers.c.latitude.is_not(None))
    if point is not None and radius is not None:
        latitude, longitude = point
        min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius)
        distance = great_circle_miles_sql(
            centers.c.latitude, centers.c.longitude, latitude, longitude
        )
        conditions += [
            centers.c.latitude.between(min_lat, max_lat),
            centers.c.longitude.between(min_lon, max_lon),
            distance <= radius,
        ]
    return conditions


def _count_query(filters: Sequence[Filter], conditions: list[sa.ColumnElement[bool]]):
    """One row: for each filter, the distinct centers in reach offering any of its codes."""
    # The centers are chosen first, so the distance is measured once per center, not per code.
    in_reach = sa.select(centers.c.id).where(*conditions).subquery("in_reach")
    offered = center_service.alias("offered")
    columns = [
        sa.func.count(sa.distinct(sa.case((offered.c.service_code.in_(f.codes), in_reach.c.id))))
        for f in filters
    ]
    return sa.select(*columns).select_from(
        in_reach.join(offered, offered.c.center_id == in_reach.c.id)
    )


def filter_counts(
    session: Session,
    taxonomy: Taxonomy,
    selection: FilterSelection,
    *,
    point: tuple[float, float] | None = None,
    radius: float | None = None,
    state: str | None = None,
) -> dict[str, int]:
    """For each filter key, how many centers in reach offer it and the other groups' choices.

    For a filter of a group with no choice yet, that is the count the list would show with
    it ticked; within a group that has choices, ticking adds its centers to the list.
    """
    counts = {key: 0 for key in taxonomy.filters}
    batches = count_batches(taxonomy, selection)
    connection = session.connection()
    counted = _masks(connection, batches)
    if counted is None:
        for filters, groups in batches:
            row = session.execute(_count_query(filters, _in_reach(groups, point, radius, state)))
            counts.update({f.key: int(n or 0) for f, n in zip(filters, row.one(), strict=True)})
        return counts
    keys = [item.key for filters, _groups in batches for item in filters]
    if point is None:
        numbers = _count_in_state(connection, counted, state)
    else:
        numbers = count_offering(connection, point, radius, counted, Scope(state))
    counts.update(zip(keys, numbers, strict=True))
    return counts


def _masks(connection: Connection, batches: Batches) -> list[list[int]] | None:
    """Per filter, the service masks a center must all meet to count: the filter's own and
    one per group chosen with it. None if a code has no bit."""
    counted = []
    for filters, groups in batches:
        group_masks = [service_mask_of(connection, codes) for codes in groups]
        for item in filters:
            masks = [service_mask_of(connection, item.codes), *group_masks]
            if None in masks:
                return None
            counted.append(masks)
    return counted


@cache
def _state_statement(tests_per_count: tuple[int, ...]) -> sa.TextClause:
    # A state's list holds its centers with no position too: no spatial index here.
    columns = offering_columns(tests_per_count)  # built from constants; the masks are bound
    return sa.text(f"SELECT {columns} FROM center AS c WHERE c.published = :published "  # noqa: S608  # nosec
                   "AND c.state = :state")  # fmt: skip


def _count_in_state(connection: Connection, counted: list[list[int]], state: str | None):
    values: dict = {"published": True, "state": state}
    for i, masks in enumerate(counted):
        values.update({f"offers{i}_{j}": mask for j, mask in enumerate(masks)})
    statement = _state_statement(tuple(len(masks) for masks in counted))
    return [int(n) for n in connection.execute(statement, values).one()]


def count_batches(taxonomy: Taxonomy, selection: FilterSelection) -> Batches:
    """The filters counted by one query each, with the code groups that query applies.

    A category with choices is counted under the other categories' choices only; all the
    categories without choices are counted together, under every choice.
    """
    chosen_categories = {_category_of(taxonomy, key) for key in selection.accepted}
    batches: Batches = []
    unchosen: list[Filter] = []
    for category, filters in _filters_by_category(taxonomy).items():
        if category not in chosen_categories:
            unchosen.extend(filters)
            continue
        others = [k for k in selection.accepted if _category_of(taxonomy, k) != category]
        batches.append((filters, taxonomy.select(others).groups))
    if unchosen:
        batches.append((unchosen, selection.groups))
    return batches


def _filters_by_category(taxonomy: Taxonomy) -> dict[str, list[Filter]]:
    buckets: dict[str, list[Filter]] = {}
    for item in taxonomy.filters.values():
        buckets.setdefault(item.category, []).append(item)
    return buckets
