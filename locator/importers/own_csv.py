"""The project's own CSV: the columns its export writes and its sample directory uses."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from locator.models.center_fields import DECIDED_FIELDS, LISTING_FIELDS, STATUS_FIELDS

COLUMNS: tuple[str, ...] = ("source", "source_id", *LISTING_FIELDS, "services", *STATUS_FIELDS)
# Written by the export after COLUMNS so that export → import changes nothing; optional on import.
OPTIONAL_COLUMNS: tuple[str, ...] = DECIDED_FIELDS


def read_rows(path: str | Path) -> Iterator[dict[str, str]]:
    """Rows of an own-format CSV file as dicts of strings, streamed."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("name1", "state") if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing required columns: {', '.join(missing)}")
        for row in reader:
            yield {column: (row.get(column) or "").strip() for column in COLUMNS}
