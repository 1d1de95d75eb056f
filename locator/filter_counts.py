"""How many centers in reach offer each filter choice: the numbers beside the checkboxes.

Counted in the database over the same set of centers the list is drawn from (published, in
range or in the state), one counting query for the choices of every category that nothing is
chosen in, and one more per category that has choices (its own choices set aside, because
choices within a category add up: "Detox or Residential"). A typical page makes one or two.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.geo import bounding_box, great_circle_miles_sql
from locator.models import Center, center_service
from locator.taxonomy import Filter, FilterSelection, Taxonomy

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
    for filters, groups in count_batches(taxonomy, selection):
        row = session.execute(_count_query(filters, _in_reach(groups, point, radius, state))).one()
        counts.update({f.key: int(n or 0) for f, n in zip(filters, row, strict=True)})
    return counts


def count_batches(
    taxonomy: Taxonomy, selection: FilterSelection
) -> list[tuple[list[Filter], Sequence[Sequence[str]]]]:
    """The filters counted by one query each, with the code groups that query applies.

    A category with choices is counted under the other categories' choices only; all the
    categories without choices are counted together, under every choice.
    """
    chosen_categories = {_category_of(taxonomy, key) for key in selection.accepted}
    batches: list[tuple[list[Filter], Sequence[Sequence[str]]]] = []
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
