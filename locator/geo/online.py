"""The optional online geocoder (Nominatim through geopy), for addresses with no ZIP code.

Off by default: it sends what a person typed to a third party. Answers are remembered under a
hash of the address, so the text itself is never stored; where they are kept is handed in
(locator.geocoding keeps them in the database), so geography knows no database.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Protocol

from locator.geo.gazetteer import name_key

log = logging.getLogger(__name__)

Point = tuple[float, float]
Lookup = Callable[[str], Point | None]


class RememberedAnswers(Protocol):
    """Where a geocoder's answers are kept, keyed by `answer_key(address)`."""

    def recall(self, key: str) -> tuple[bool, Point | None]:
        """(asked before, the point found then: None when the address was not found)."""
        ...

    def remember(self, key: str, point: Point | None) -> None:
        """Keep an answer, found or not."""
        ...


def nominatim_lookup(user_agent: str, timeout: float, min_delay: float) -> Lookup:
    """A rate-limited Nominatim lookup restricted to the United States."""
    # Imported on first use: geopy brings every geocoder and HTTP client, which a worker
    # with the geocoder off (the default) never needs.
    from geopy.exc import GeopyError
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    geocoder = Nominatim(user_agent=user_agent, timeout=timeout)
    limited = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay, max_retries=0)

    def lookup(address: str) -> Point | None:
        try:
            found = limited(address, country_codes="us", exactly_one=True)
        except GeopyError:
            log.warning("online geocoder failed")  # never log the address itself
            return None
        return (found.latitude, found.longitude) if found else None

    return lookup


def answer_key(address: str) -> str:
    """The key an address's answer is kept under: a SHA-256 of its normalised text."""
    return hashlib.sha256(name_key(address).encode()).hexdigest()


def cached_lookup(address: str, lookup: Lookup, answers: RememberedAnswers) -> Point | None:
    """Ask the remembered answers, then the geocoder; remember its answer, found or not."""
    key = answer_key(address)
    asked, point = answers.recall(key)
    if asked:
        return point
    point = lookup(address)
    answers.remember(key, point)
    return point
