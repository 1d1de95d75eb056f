"""What a listing's columns become when it is imported: its publication decided for this
import, and an exact point kept where the source now gives only a ZIP code's or city's."""

from __future__ import annotations

from locator.importers.place import IMPORT_PREFIX
from locator.importers.row_to_listing import Listing, facility_type

# What the Census geocoder was sent: while these are unchanged, its point is kept.
STREET_ADDRESS = ("street1", "city", "state", "zip")


def desired_values(listing: Listing, existing: dict | None) -> dict[str, object]:
    """The columns the listing sets, with publication decided for this import."""
    values = dict(listing.values)
    values["facility_type"] = facility_type(listing.type_hint, listing.services)
    if listing.unplaced_reason:
        values["published"], values["unpublished_reason"] = False, listing.unplaced_reason
    elif listing.published is not None:  # the file says (the project's own CSV)
        values["published"] = listing.published
        if listing.published:
            values["unpublished_reason"] = ""
    elif (
        existing is None
        or existing["published"]
        or existing["unpublished_reason"].startswith(IMPORT_PREFIX)
    ):
        values["published"], values["unpublished_reason"] = True, ""
    # else: a person unpublished it; the import leaves that decision alone
    keep_street_point(values, existing)
    return values


def keep_street_point(values: dict[str, object], existing: dict | None) -> None:
    """Keep a point the Census geocoder found from the street address while the address stays.

    The source gives only the ZIP code or city again, so its point would undo the geocoding.
    """
    if existing is None or existing["placement"] != "address":
        return
    if values.get("placement") not in ("zip", "city"):
        return  # the source now gives a point of its own (or none): that wins
    if all(same_value(existing[name], values.get(name)) for name in STREET_ADDRESS):
        values.update(
            latitude=existing["latitude"], longitude=existing["longitude"], placement="address"
        )


def keep_exact_point(values: dict, existing: dict) -> None:
    """A ZIP- or city-centre point never replaces an exact one (of the same ZIP code)."""
    if (
        values.get("placement") in ("zip", "city")
        and existing["placement"] == "source"
        and values.get("zip") == existing["zip"]
        and existing["latitude"] is not None
    ):
        values.update(latitude=existing["latitude"], longitude=existing["longitude"])
        values["placement"] = "source"


def same_value(old: object, new: object) -> bool:
    """Equal, with coordinates compared to six decimals (about 10 cm)."""
    if isinstance(old, float) or isinstance(new, float):
        if old is None or new is None:
            return old is new
        return round(float(old), 6) == round(float(new), 6)
    return old == new
