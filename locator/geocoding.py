"""The app's online address lookup: the geocoder its settings name, answers kept in the
geocode_cache table (a hash of the address and the point, never the typed text)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from locator.extensions import db
from locator.geo.online import Lookup, Point, cached_lookup, nominatim_lookup
from locator.models import GeocodeCache


class TableAnswers:
    """The geocoder's remembered answers, in the geocode_cache table."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def recall(self, key: str) -> tuple[bool, Point | None]:
        """(asked before, the point found then or None)."""
        cached = self.session.get(GeocodeCache, key)
        if cached is None:
            return False, None
        if cached.latitude is None or cached.longitude is None:
            return True, None
        return True, (cached.latitude, cached.longitude)

    def remember(self, key: str, point: Point | None) -> None:
        """Keep an answer at once, so a later request or import asks no more."""
        latitude, longitude = point if point else (None, None)
        self.session.add(GeocodeCache(query_hash=key, latitude=latitude, longitude=longitude))
        self.session.commit()


def address_geocoder() -> Lookup | None:
    """The app's cached address lookup, or None when the online geocoder is off."""
    app = current_app
    if not app.config["LOCATOR_GEOCODER_ENABLED"]:
        return None
    lookup = app.extensions.get("locator.geocoder")
    if lookup is None:
        lookup = app.extensions["locator.geocoder"] = nominatim_lookup(
            app.config["LOCATOR_GEOCODER_USER_AGENT"],
            app.config["LOCATOR_GEOCODER_TIMEOUT"],
            app.config["LOCATOR_GEOCODER_MIN_DELAY"],
        )
    answers = TableAnswers(db.session)
    return lambda address: cached_lookup(address, lookup, answers)
