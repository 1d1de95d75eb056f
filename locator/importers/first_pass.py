"""The pipeline's first pass over the files: count rows, find repeated listings, geocode.

Repeated listings (the same facility in the substance and the mental directory, or on two
pages of a JSON export) must be merged before they are compared with the directory. Their
keys are kept in a temporary SQLite file, 8 bytes a row, so memory does not grow with the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from locator.geo import gazetteer
from locator.importers.hsds import SKIP
from locator.importers.normalize import (
    key_hash,
    normalize_city,
    normalize_street,
    parse_coordinate,
)
from locator.importers.place import Geocoder, geocoder_address, point_problem
from locator.importers.row_to_listing import row_identity
from locator.importers.tabular import SourceRow


def first_pass(
    rows: Iterator[SourceRow], default_source: str, geocode: Geocoder | None
) -> tuple[set[int], int, dict[str, tuple[float, float] | None]]:
    """Count rows, find listings given more than once, and ask the geocoder beforehand.

    The geocoder commits its cache; asking it here, before any listing is written, keeps
    the apply's transaction whole.
    """
    spool, total, points = KeySpool(), 0, {}
    try:
        for row in rows:
            if SKIP in row.fields:
                continue
            total += 1
            identity = row_identity(row, default_source)
            spool.add(key_hash(f"{identity.source}\x1f{identity.source_id}"))
            if geocode is not None:
                address = _address_needing_geocoder(row, identity)
                if address and address not in points:
                    points[address] = geocode(address)
        return spool.duplicates(), total, points
    finally:
        spool.close()


def _address_needing_geocoder(row: SourceRow, identity) -> str:
    if identity.state is None:
        return ""
    latitude = parse_coordinate(row.fields.get("latitude"))
    longitude = parse_coordinate(row.fields.get("longitude"))
    has_point = latitude is not None and longitude is not None
    if has_point and not point_problem(latitude, longitude, identity.state):
        return ""
    if identity.zip5 and identity.zip5 in gazetteer().zips:
        return ""
    street1 = normalize_street(row.fields.get("street1"))
    city = normalize_city(row.fields.get("city", ""))
    return geocoder_address(street1, city, identity.state, identity.zip5 or "")


class KeySpool:
    """The key of every row, kept in a temporary SQLite file so memory stays flat."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "" is a private temporary file, deleted on close
        self.db.execute("CREATE TABLE k (h INTEGER)")
        self.pending: list[tuple[int]] = []

    def add(self, key: int) -> None:
        """Remember one row's key."""
        self.pending.append((key,))
        if len(self.pending) >= 10_000:
            self._flush()

    def _flush(self) -> None:
        self.db.executemany("INSERT INTO k VALUES (?)", self.pending)
        self.pending.clear()

    def duplicates(self) -> set[int]:
        """Keys given more than once."""
        self._flush()
        query = "SELECT h FROM k GROUP BY h HAVING COUNT(*) > 1"
        return {key for (key,) in self.db.execute(query)}

    def close(self) -> None:
        """Drop the temporary file."""
        self.db.close()
