"""From a SourceRow to a Listing: normalise, place and validate one row of any format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from locator.geo import gazetteer
from locator.importers import normalize as norm
from locator.importers.place import Geocoder, Placement, geocoder_address, place_listing
from locator.importers.tabular import SourceRow

PHONE_FIELDS = ("phone", "intake1", "intake2", "hotline")
STREET_FIELDS = ("street1", "street2")
POINT_FIELDS = ("latitude", "longitude", "placement")
PLACEMENTS = frozenset({"source", "zip", "geocoder", "address"})
FACILITY_TYPES = {
    "substance": "substance_use",
    "substance_use": "substance_use",
    "sa": "substance_use",
    "mental": "mental_health",
    "mental_health": "mental_health",
    "mh": "mental_health",
    "both": "both",
}


class RejectedRow(NamedTuple):
    """A row that was not imported: its line, why, and the row as read."""

    line: int
    reason: str
    row: dict[str, str]


@dataclass(slots=True)
class Listing:
    """A normalised, placed row, ready to be matched against the directory."""

    line: int
    raw: dict[str, str]
    source: str
    source_id: str
    values: dict[str, object]
    services: dict[str, str | None]  # code → label of a new "other" code, else None
    type_hint: str = ""
    unplaced_reason: str = ""
    published: bool | None = None  # None: the pipeline decides (formats without the column)
    warnings: list[str] = field(default_factory=list)


class Identity(NamedTuple):
    """What a row is matched on: its source and its id in that source."""

    source: str
    source_id: str
    state: str | None
    zip5: str | None


def row_identity(row: SourceRow, default_source: str) -> Identity:
    """The row's source and id: the id it carries, or one made from its name, street, ZIP."""
    fields = row.fields
    state = norm.normalize_state(norm.clean_text(fields.get("state", "")))
    zip5 = norm.normalize_zip(fields.get("zip", ""), state)
    source = norm.clean_text(fields.get("source", "")) or default_source
    source_id = norm.clean_text(fields.get("source_id", ""))
    if not source_id:
        name1, name2 = norm.clean_text(fields.get("name1")), norm.clean_text(fields.get("name2"))
        street1 = norm.normalize_street(fields.get("street1"))
        source_id = norm.match_key(name1, name2, street1, zip5 or "")
    return Identity(source, source_id[: norm.FIELD_LIMITS["source_id"]], state, zip5)


def build_listing(
    row: SourceRow, default_source: str, geocode: Geocoder | None
) -> Listing | RejectedRow:
    """Normalise, place and validate a row; a RejectedRow says why it cannot be imported."""
    identity = row_identity(row, default_source)
    fields = row.fields
    if fields.get("_reject"):  # formats.REJECT: the reader knows why
        return RejectedRow(row.line, fields["_reject"], row.raw)
    name1 = norm.clean_text(fields.get("name1"))
    if not name1:
        return RejectedRow(row.line, "The name (name1) is empty.", row.raw)
    if identity.state is None:
        given = norm.clean_text(fields.get("state"))
        why = f"“{given[:40]}” is not a US state, DC or Puerto Rico" if given else "it is empty"
        return RejectedRow(row.line, f"The state is not valid: {why}.", row.raw)
    if not identity.source:
        return RejectedRow(row.line, "The source is empty.", row.raw)
    listing = Listing(
        row.line, row.raw, identity.source, identity.source_id, {}, dict(row.services)
    )
    listing.type_hint = row.type_hint
    _fill_values(listing, fields, identity, name1, geocode)
    return listing


def _fill_values(listing, fields, identity: Identity, name1: str, geocode) -> None:
    values, warn = listing.values, listing.warnings.append
    zip5 = identity.zip5
    if zip5 is None:
        warn(f"ZIP “{norm.clean_text(fields.get('zip'))[:20]}” is not a ZIP code; ignored.")
        zip5 = ""
    values.update(name1=name1, name2=norm.clean_text(fields.get("name2")))
    values.update(state=identity.state, zip=zip5, city=norm.normalize_city(fields.get("city", "")))
    if not values["city"] and zip5 in gazetteer().zips:
        values["city"] = gazetteer().zips[zip5].city
    for name in STREET_FIELDS:
        if name in fields:
            values[name] = norm.normalize_street(fields[name])
    if "county" in fields:
        values["county"] = norm.clean_text(fields["county"])
    for name in PHONE_FIELDS:
        if name in fields:
            values[name], ok = norm.normalize_phone(fields[name])
            if not ok:
                warn(f"{name} “{values[name][:30]}” is not a US phone number; kept as written.")
    if "website" in fields:
        values["website"], ok = norm.normalize_url(fields["website"])
        if not ok:
            warn(f"website “{fields['website'][:60]}” is not a web address; left empty.")
    _truncate(values, warn)
    _place(listing, fields, geocode)
    if "published" in fields:
        _own_columns(listing, fields)


def _truncate(values: dict[str, object], warn: Callable[[str], None]) -> None:
    for name, limit in norm.FIELD_LIMITS.items():
        text = values.get(name)
        if isinstance(text, str) and len(text) > limit:
            values[name] = text[:limit].rstrip()
            warn(f"{name} is longer than {limit} characters; cut.")


def _place(listing: Listing, fields: dict[str, str], geocode: Geocoder | None) -> None:
    values = listing.values
    latitude = norm.parse_coordinate(fields.get("latitude"))
    longitude = norm.parse_coordinate(fields.get("longitude"))
    address = geocoder_address(
        str(values.get("street1", "")),
        str(values["city"]),
        str(values["state"]),
        str(values["zip"]),
    )
    placed: Placement = place_listing(
        latitude, longitude, str(values["state"]), str(values["zip"]), address, geocode
    )
    if placed.problem:
        fallback = {"zip": "placed at its ZIP code", "geocoder": "placed by address"}
        listing.warnings.append(
            f"The {placed.problem}; {fallback.get(placed.how, 'not placed on the map')}."
        )
    values.update(latitude=placed.latitude, longitude=placed.longitude, placement=placed.how)
    given = fields.get("placement", "")
    if placed.how == "source" and given in PLACEMENTS:
        values["placement"] = given  # our own export says how the point was found first
    listing.unplaced_reason = placed.unplaced_reason


def _own_columns(listing: Listing, fields: dict[str, str]) -> None:
    values = listing.values
    listing.published = fields["published"].strip().lower() not in ("0", "false", "no", "")
    values["unpublished_reason"] = norm.clean_text(fields.get("unpublished_reason"))[:300]
    text = fields.get("last_verified", "").strip()
    try:
        values["last_verified"] = date.fromisoformat(text[:10]) if text else None
    except ValueError:
        values["last_verified"] = None
        listing.warnings.append(f"last_verified “{text[:20]}” is not a date (YYYY-MM-DD); ignored.")


def facility_type(hint: str, codes) -> str:
    """substance_use, mental_health or both: from what the source says, else from the codes."""
    given = FACILITY_TYPES.get(hint.strip().lower().replace(" ", "_"))
    if given:
        return given
    mental, substance = "MH" in codes, "SA" in codes or "SUMH" in codes
    if mental and substance:
        return "both"
    return "mental_health" if mental else "substance_use"


def merge_listings(first: Listing, other: Listing) -> None:
    """Fold a second row of the same listing into the first: services and types united."""
    first.services.update(other.services)
    for name, value in other.values.items():
        if name not in POINT_FIELDS and first.values.get(name) in ("", None):
            first.values[name] = value
    if not first.values.get("placement") and other.values.get("placement"):
        first.values.update({name: other.values[name] for name in POINT_FIELDS})
        first.unplaced_reason = ""
    hints = {facility_type(first.type_hint, ()), facility_type(other.type_hint, ())}
    if first.type_hint and other.type_hint and len(hints) > 1:
        first.type_hint = "both"
    first.warnings.extend(other.warnings)
