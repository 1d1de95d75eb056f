"""Nearest-first search over the directory: one package for its SQL, its results, the
numbers beside the filters and their cache.

- `finder`: one page of results (nearest first, or a state's centers by city), the counts of
  wider radii, the nearest centers beyond the radius.
- `spatial`: the nearest-first queries through the engine's spatial index, and how many
  centers in range offer each filter choice, in one pass.
- `page_rows`: a page with its rows, services and capped count in one round trip.
- `density`: a coarse grid of center counts, which sizes a search's first box.
- `sql`: the prepared SQL of those queries, one statement per shape and kind of index;
  `masks`: how a filter is tested against a center's two service masks.
- `indexes`: what search knows of each database (its index, the service bits, rare slots).
- `query`: one search as asked (`SearchQuery`): where from, how far, which filters and page.
- `results`: what a list of results holds (a center's summary, a page of them).
- `filter_counts` and `count_cache`: the numbers beside the filters, kept a few minutes.
- `lookups`: places (cities with centers) and single published centers.

The pages, the API and site search use the names below.
"""

from locator.search.finder import (
    BEYOND_RADII,
    COUNT_CAP,
    centers_in_state,
    counts_within,
    find,
    nearby_centers,
    nearest_beyond,
    wider,
)
from locator.search.lookups import (
    SOURCES_PUBLISHED,
    cities_in_state,
    largest_place,
    nearest_place,
    place_by_slug,
    published_center,
    sources_published,
    state_counts,
)
from locator.search.query import SearchQuery
from locator.search.results import CenterSummary, ResultPage

__all__ = [
    "BEYOND_RADII",
    "COUNT_CAP",
    "SOURCES_PUBLISHED",
    "CenterSummary",
    "ResultPage",
    "SearchQuery",
    "centers_in_state",
    "cities_in_state",
    "counts_within",
    "find",
    "largest_place",
    "nearby_centers",
    "nearest_beyond",
    "nearest_place",
    "place_by_slug",
    "published_center",
    "sources_published",
    "state_counts",
    "wider",
]
