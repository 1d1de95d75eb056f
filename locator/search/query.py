"""One search as the pages, the API and site search ask it: where from, how far, which
filters, which page. Built once per request (locator.forms.SearchForm reads the arguments),
then placed (`near`, `in_state`, `around_city`) and handed to the finder and the counts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from locator.geo.locations import ResolvedLocation
from locator.taxonomy import FilterSelection

DEFAULT_RADIUS = 25


@dataclass(frozen=True)
class SearchQuery:
    """A search's arguments and, once placed, where it searches.

    `point` None: a state's list, by city (its centers with no position too). `state` set
    with a point: the whole state's placed centers, nearest first, at any distance (no
    radius). `city_first` (state, city): that city's centers before the others in range.
    """

    selection: FilterSelection = field(default_factory=FilterSelection)
    page: int = 1
    per_page: int = 20
    radius: int | None = DEFAULT_RADIUS
    point: tuple[float, float] | None = None
    state: str | None = None
    city_first: tuple[str, str] | None = None

    @property
    def groups(self) -> list[tuple[str, ...]]:
        """The filters' code groups (OR within a group, AND across groups)."""
        return self.selection.groups

    @property
    def whole_state(self) -> bool:
        """Whether the search lists a whole state's centers (it has no radius then)."""
        return self.state is not None

    def near(self, location: ResolvedLocation) -> SearchQuery:
        """The search from a resolved place. A state is searched whole: decided here only."""
        if location.kind == "state":
            return replace(self, point=location.point, radius=None, state=location.state)
        return replace(self, point=location.point, state=None)

    def in_state(self, state: str) -> SearchQuery:
        """A state's list, by city then name."""
        return replace(self, point=None, radius=None, state=state)

    def around_city(self, point: tuple[float, float], state: str, city: str, radius: int):
        """A city's centers first, then the others within `radius` miles of `point`."""
        return replace(self, point=point, radius=radius, state=None, city_first=(state, city))
