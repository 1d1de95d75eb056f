"""The one list of a center's fields: what a listing says, read with widths and defaults from
the Center model, for the importers, the admin's edits, the export and the API."""

from __future__ import annotations

import sqlalchemy as sa

from locator.models import Center

_COLUMNS = Center.__table__.columns

# What a listing says of a facility, in the order of the own CSV and of the edit form: its
# names, address, phones, website, point and type.
LISTING_FIELDS: tuple[str, ...] = (
    "name1", "name2", "street1", "street2", "city", "state", "zip", "county", "phone",
    "intake1", "intake2", "hotline", "website", "latitude", "longitude", "facility_type",
)  # fmt: skip
# What a list of results shows of each listing: the fields above but the county, the second
# intake and hotline numbers and the facility type, which only a center's own page shows.
CARD_FIELDS: tuple[str, ...] = tuple(
    name for name in LISTING_FIELDS if name not in ("county", "intake2", "hotline", "facility_type")
)
# A result's summary (locator.search.results.CenterSummary): how to link to it, what its card
# says, how its point was found, its age and source, and the day of an open visitor report.
SUMMARY_FIELDS: tuple[str, ...] = (
    "id", "slug", *CARD_FIELDS, "placement", "last_verified", "source", "reported_on",
)  # fmt: skip
# Whether it is shown and when it was last checked: set by its source or by an admin.
STATUS_FIELDS: tuple[str, ...] = ("published", "last_verified")
# How its point was found, and why it is not shown: what the directory decides beside them.
DECIDED_FIELDS: tuple[str, ...] = ("placement", "unpublished_reason")

# The widths of the text columns an import fills; a longer value is cut.
FIELD_WIDTHS: dict[str, int] = {
    name: _COLUMNS[name].type.length
    for name in (*LISTING_FIELDS, "source_id", "unpublished_reason")
    if isinstance(_COLUMNS[name].type, sa.String) and _COLUMNS[name].type.length
}


def column_default(name: str) -> object:
    """The value a new center's column takes when a listing leaves it out (None if nullable)."""
    default = _COLUMNS[name].default
    return default.arg if default is not None and not callable(default.arg) else None
