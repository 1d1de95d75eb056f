"""Helpers of the National Directory tests: fixture files and the raw-code check of pages."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

COLUMNS = (
    "facility_id", "directory_type", "name1", "name2", "street1", "street2", "city", "state",
    "zip", "phone", "intake1", "intake2", "intake1a", "intake2a", "service_code_info",
)  # fmt: skip
_SERVICES = re.compile(r'<section aria-labelledby="services-title">(.*?)</section>', re.S)
_ITEMS = re.compile(r"<li>([^<]*)</li>")
_BARE_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")


def write_directory(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write rows as a gzip-compressed National Directory CSV, as SAMHSA's file is shipped."""
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return path


def services_shown(page: str) -> list[str]:
    """The service labels of a center page, as people read them."""
    section = _SERVICES.search(page)
    return _ITEMS.findall(section.group(1)) if section else []


def raw_codes_shown(page: str, codes: set[str]) -> list[str]:
    """Labels of a center page that are bare codes rather than words."""
    return [label for label in services_shown(page) if label in codes or _BARE_CODE.match(label)]
