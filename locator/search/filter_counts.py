"""How many centers in reach offer each filter choice: the numbers beside the checkboxes.

Counted in the database over the same set of centers the list is drawn from (published, in
range or in the state). The choices of a category that nothing is chosen in are counted under
every choice; those of a category that has choices under the other categories' choices only
(its own set aside, because choices within a category add up: "Detox or Residential"). All of
it is one statement of the search's own SQL (locator.search.sql, the same conditions as the
list's): one pass over the centers in reach through the spatial index, testing each
center's service mask, and center_service for a code without a bit in the mask.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from locator.search.query import SearchQuery
from locator.search.spatial import Scope, count_offering
from locator.taxonomy import Filter, FilterSelection, Taxonomy

Batches = list[tuple[list[Filter], Sequence[Sequence[str]]]]


def _category_of(taxonomy: Taxonomy, key: str) -> str:
    chosen = taxonomy.filters.get(key)
    return chosen.category if chosen else taxonomy.service(key).category


def filter_counts(session: Session, taxonomy: Taxonomy, query: SearchQuery) -> dict[str, int]:
    """For each filter key, how many centers in reach offer it and the other groups' choices.

    For a filter of a group with no choice yet, that is the count the list would show with
    it ticked; within a group that has choices, ticking adds its centers to the list.
    In reach: the centers the query's list is drawn from (see SearchQuery).
    """
    keys, counted = [], []
    for filters, groups in count_batches(taxonomy, query.selection):
        for item in filters:
            keys.append(item.key)
            counted.append([item.codes, *groups])
    radius = None if query.point is None else query.radius
    scope = Scope(query.state)
    numbers = count_offering(session.connection(), query.point, radius, counted, scope)
    return {key: 0 for key in taxonomy.filters} | dict(zip(keys, numbers, strict=True))


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
