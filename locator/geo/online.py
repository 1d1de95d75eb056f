"""The optional online geocoder (Nominatim through geopy), for addresses with no ZIP code.

Off by default: it sends what a person typed to a third party. Answers are cached in the
database under a hash of the address, so the text itself is never stored.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from flask import Flask, current_app

from locator.extensions import db
from locator.geo.gazetteer import name_key
from locator.models import GeocodeCache

log = logging.getLogger(__name__)

Lookup = Callable[[str], tuple[float, float] | None]


def nominatim_lookup(app: Flask) -> Lookup:
    """A rate-limited Nominatim lookup restricted to the United States."""
    # Imported on first use: geopy brings every geocoder and HTTP client, which a worker
    # with the geocoder off (the default) never needs.
    from geopy.exc import GeopyError
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    geocoder = Nominatim(
        user_agent=app.config["LOCATOR_GEOCODER_USER_AGENT"],
        timeout=app.config["LOCATOR_GEOCODER_TIMEOUT"],
    )
    limited = RateLimiter(
        geocoder.geocode, min_delay_seconds=app.config["LOCATOR_GEOCODER_MIN_DELAY"], max_retries=0
    )

    def lookup(address: str) -> tuple[float, float] | None:
        try:
            found = limited(address, country_codes="us", exactly_one=True)
        except GeopyError:
            log.warning("online geocoder failed")  # never log the address itself
            return None
        return (found.latitude, found.longitude) if found else None

    return lookup


def address_geocoder() -> Lookup | None:
    """The app's cached address lookup, or None when the online geocoder is off."""
    app = current_app
    if not app.config["LOCATOR_GEOCODER_ENABLED"]:
        return None
    lookup = app.extensions.get("locator.geocoder")
    if lookup is None:
        lookup = app.extensions["locator.geocoder"] = nominatim_lookup(app)
    return lambda address: cached_lookup(address, lookup)


def cached_lookup(address: str, lookup: Lookup) -> tuple[float, float] | None:
    """Ask the cache, then the geocoder; remember the answer, found or not."""
    digest = hashlib.sha256(name_key(address).encode()).hexdigest()
    cached = db.session.get(GeocodeCache, digest)
    if cached is not None:
        if cached.latitude is None or cached.longitude is None:
            return None
        return (cached.latitude, cached.longitude)
    point = lookup(address)
    latitude, longitude = point if point else (None, None)
    db.session.add(GeocodeCache(query_hash=digest, latitude=latitude, longitude=longitude))
    db.session.commit()
    return point
