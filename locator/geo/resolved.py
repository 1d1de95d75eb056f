"""What resolving typed text gives: a place to search from, or why there is none."""

from __future__ import annotations

from dataclasses import dataclass

from locator.geo.gazetteer import AREAS, CityRecord


@dataclass(frozen=True)
class ResolvedLocation:
    """A place the search can start from."""

    kind: str  # "zip", "city", "state", "coordinates" or "address"
    label: str
    latitude: float
    longitude: float
    state: str = ""
    city: str = ""
    note: str = ""
    # Other places the text may have meant, each as text that resolves to it.
    alternatives: tuple[str, ...] = ()
    # The place's name alone, for "centers near …": the label but for coordinates, whose
    # label says "Near Austin, TX". Empty when given: the label.
    place_name: str = ""

    def __post_init__(self) -> None:
        if not self.place_name:
            object.__setattr__(self, "place_name", self.label)

    @property
    def point(self) -> tuple[float, float]:
        """(latitude, longitude)."""
        return (self.latitude, self.longitude)


class LocationError(ValueError):
    """The text could not be turned into a place; the message says what to type instead."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []


@dataclass(frozen=True)
class StateChoice:
    """A state offered among cities of its name ("Washington State")."""

    abbr: str

    @property
    def label(self) -> str:
        """ "Washington State": text that resolves to the state, not to a city."""
        return f"{AREAS[self.abbr]} State"


class AmbiguousLocation(LocationError):
    """Several places share the name: the person picks one, most populous first."""

    def __init__(self, candidates: list[CityRecord | StateChoice], typed: str = "") -> None:
        self.candidates = candidates
        self.typed = typed
        super().__init__("More than one place has that name. Which one do you mean?")

    @property
    def example(self) -> str:
        """How to name a place with its state, e.g. "Springfield, IL"."""
        for candidate in self.candidates:
            if isinstance(candidate, CityRecord):
                return candidate.label
        return self.candidates[0].label
