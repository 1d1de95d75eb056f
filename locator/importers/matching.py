"""Recognising a facility that arrives without its id: across editions and across sources.

The National Directories carry no stable id, so a listing's id is made from its name, street
and ZIP (normalize.match_key). Between editions a facility may gain a suite number, a new
`name2` or a new phone, or have its street written "St" instead of "Street": the key absorbs
most of that, and what it does not is caught here, among the centers of the same ZIP code
that existed before the import: the same name at the same house number, or a close name at
the same street. (Rows of one file are merged by their key alone, so that a load gives the
same directory whatever the database held.)

The same facility may also come from two sources (a National Directory row and a locator
download row): it is then matched to the other source's center, which keeps its fields and
gains the listing's services and, if the listing has its own coordinates, its exact point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.importers.normalize import digits_only, facility_name_key, street_key
from locator.importers.row_to_listing import Listing
from locator.models import Center

CLOSE_NAMES = 0.75  # share of name words in common (Jaccard) for a close name
_NUMBER = re.compile(r"^\d+[a-z]?\b")


def same_facility(listing: Listing, row: dict) -> bool:
    """Whether a listing and a stored center (of the same ZIP code) are one facility."""
    values = listing.values
    name, other_name = facility_name_key(str(values["name1"])), facility_name_key(row["name1"])
    street, other_street = street_key(str(values.get("street1", ""))), street_key(row["street1"])
    same_street = bool(street) and street == other_street
    if name == other_name:
        number = _NUMBER.match(street)
        if same_street or (number is not None and other_street.startswith(number.group(0))):
            return True
        if not street or not other_street:  # a listing without a street: its phone decides
            return (not street and not other_street) or _same_phone(values.get("phone"), row)
        return False
    return same_street and _overlap(name, other_name) >= CLOSE_NAMES


def _same_phone(phone: object, row: dict) -> bool:
    digits = digits_only(str(phone or ""))[:10]
    return len(digits) == 10 and digits == digits_only(row["phone"] or "")[:10]


def _overlap(name: str, other: str) -> float:
    words, other_words = set(name.split()), set(other.split())
    return len(words & other_words) / len(words | other_words) if words and other_words else 0.0


class TolerantMatcher:
    """Finds stored centers for listings their id did not match, once per center an import."""

    def __init__(self, session: Session, max_id: int) -> None:
        self.session, self.max_id = session, max_id
        self.claimed: set[int] = set()
        self._had_centers: dict[str, bool] = {}
        self._others: dict[str, bool] = {}

    def claim(self, center_id: int) -> None:
        """Note a center matched by its id, so that no other listing takes it."""
        self.claimed.add(center_id)

    def match(self, source: str, listings: list[Listing], columns: Iterable) -> dict:
        """(source, source_id) → the stored row; a row from another source has `across`."""
        wanted = self._wanted(source, listings)
        if not wanted:
            return {}
        zips = sorted({str(listing.values["zip"]) for listing in wanted} - {""})
        query = sa.select(*columns).where(Center.zip.in_(zips), Center.id <= self.max_id)
        if not self._other_sources(source):
            query = query.where(Center.source == source)
        by_zip: dict[str, list[dict]] = {}
        for row in self.session.execute(query).mappings():
            by_zip.setdefault(row["zip"], []).append(dict(row))
        found: dict = {}
        for listing in wanted:
            row = self._best(listing, by_zip.get(str(listing.values["zip"]), []))
            if row is not None:
                self.claimed.add(row["id"])
                row["across"] = row["source"] != source
                found[(source, listing.source_id)] = row
        return found

    def _best(self, listing: Listing, rows: list[dict]) -> dict | None:
        fitting = [r for r in rows if r["id"] not in self.claimed and same_facility(listing, r)]
        fitting.sort(key=lambda row: (row["source"] != listing.source, row["id"]))
        return fitting[0] if fitting else None

    def _wanted(self, source: str, listings: list[Listing]) -> list[Listing]:
        # Rows with their own ids are matched by them alone within their source; listings
        # are looked for only where there is something to find.
        if not self.max_id:
            return []
        same = self._source_had_centers(source)
        return [
            listing
            for listing in listings
            if listing.values.get("zip")
            and ((same and listing.source_id.startswith("k-")) or self._other_sources(source))
        ]

    def _source_had_centers(self, source: str) -> bool:
        if source not in self._had_centers:
            query = sa.select(Center.id).where(Center.source == source, Center.id <= self.max_id)
            query = query.limit(1)
            self._had_centers[source] = self.session.scalar(query) is not None
        return self._had_centers[source]

    def _other_sources(self, source: str) -> bool:
        if source not in self._others:
            query = sa.select(Center.id).where(Center.source != source, Center.id <= self.max_id)
            query = query.limit(1)
            self._others[source] = self.session.scalar(query) is not None
        return self._others[source]
