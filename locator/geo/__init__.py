"""Geography, owned here alone: the gazetteer, locations, distances and geocoding."""

from locator.geo.distance import bounding_box, great_circle_miles_sql, miles_between
from locator.geo.gazetteer import (
    AREAS,
    STATE_BY_SLUG,
    STATE_SLUGS,
    gazetteer,
    name_key,
    prepare_gazetteer,
    slugify,
    state_abbr,
    use_gazetteer_folder,
)
from locator.geo.locations import (
    AmbiguousLocation,
    LocationError,
    ResolvedLocation,
    close_matches,
    resolve_location,
    state_location,
)

__all__ = [
    "AREAS",
    "STATE_BY_SLUG",
    "STATE_SLUGS",
    "AmbiguousLocation",
    "LocationError",
    "ResolvedLocation",
    "bounding_box",
    "close_matches",
    "gazetteer",
    "great_circle_miles_sql",
    "miles_between",
    "name_key",
    "prepare_gazetteer",
    "resolve_location",
    "slugify",
    "state_abbr",
    "state_location",
    "use_gazetteer_folder",
]
