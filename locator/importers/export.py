"""Exports of every listing: the project's own CSV, or an Open Referral HSDS 3.0 zip.

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR)
get a leading `'`; the own-CSV importer removes it again. Coordinates are written as plain
numbers, unguarded: they are floats this code formats, never text from a source.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.importers.own_csv import COLUMNS, OPTIONAL_COLUMNS
from locator.models import Center, Service, center_service

PAGE = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HSDS_TABLES: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name", "website"),
    "locations": ("id", "organization_id", "location_type", "name", "latitude", "longitude"),
    "addresses": ("id", "location_id", "address_1", "address_2", "city", "state_province",
                  "postal_code", "country", "address_type"),
    "phones": ("id", "location_id", "number", "extension", "type"),
    "services": ("id", "organization_id", "name", "url", "status"),
    "service_at_locations": ("id", "service_id", "location_id"),
    "taxonomy_terms": ("id", "code", "name", "taxonomy"),
    "attributes": ("id", "link_id", "link_type", "link_entity", "taxonomy_term_id"),
}  # fmt: skip


def guard(value: object) -> str:
    """A cell a spreadsheet shows as text: `'` before anything that starts like a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def centers_with_codes(
    session: Session, where: Sequence[sa.ColumnElement[bool]] = ()
) -> Iterator[tuple[Center, list[str]]]:
    """Every center (or those `where` picks) with its service codes, a page at a time."""
    last_id = 0
    while centers := session.scalars(
        sa.select(Center).where(Center.id > last_id, *where).order_by(Center.id).limit(PAGE)
    ).all():
        last_id = centers[-1].id
        codes: dict[int, list[str]] = {}
        links = sa.select(center_service.c.center_id, center_service.c.service_code).where(
            center_service.c.center_id.in_([c.id for c in centers])
        )
        for center_id, code in session.execute(links):
            codes.setdefault(center_id, []).append(code)
        for center in centers:
            yield center, sorted(codes.get(center.id, []))
        session.expunge_all()  # keep memory flat on a big directory


def own_csv_row(center: Center, codes: list[str]) -> list[str]:
    """A center as a row of the own CSV (COLUMNS then OPTIONAL_COLUMNS)."""
    values = {c: getattr(center, c) for c in COLUMNS + OPTIONAL_COLUMNS if c != "services"}
    values["services"] = " ".join(codes)
    values["published"] = "1" if center.published else "0"
    values["source_id"] = center.source_id or ""
    values["last_verified"] = center.last_verified.isoformat() if center.last_verified else ""
    row = [guard(values[column]) for column in COLUMNS + OPTIONAL_COLUMNS]
    for column in ("latitude", "longitude"):
        number = getattr(center, column)
        row[(COLUMNS + OPTIONAL_COLUMNS).index(column)] = "" if number is None else repr(number)
    return row


def export_csv(session: Session, path: Path) -> int:
    """Write every listing to an own-format CSV file; returns the count written."""
    written = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS + OPTIONAL_COLUMNS)
        for center, codes in centers_with_codes(session):
            writer.writerow(own_csv_row(center, codes))
            written += 1
    return written


def csv_chunks(session: Session, where: Sequence[sa.ColumnElement[bool]] = ()) -> Iterator[str]:
    """The own CSV of the listings, as text a page of rows at a time (for streaming)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS + OPTIONAL_COLUMNS)
    for number, (center, codes) in enumerate(centers_with_codes(session, where), start=1):
        writer.writerow(own_csv_row(center, codes))
        if number % PAGE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_hsds(session: Session, path: Path, where: Sequence[sa.ColumnElement[bool]] = ()) -> int:
    """Write every listing (or those `where` picks) as an HSDS 3.0 package (a zip)."""
    folder = Path(tempfile.mkdtemp(prefix="locator-export-"))
    try:
        handles = {name: (folder / f"{name}.csv").open("w", encoding="utf-8", newline="")
                   for name in HSDS_TABLES}  # fmt: skip
        writers = {name: csv.writer(handle) for name, handle in handles.items()}
        for name, columns in HSDS_TABLES.items():
            writers[name].writerow(columns)
        try:
            written, used_codes = _write_hsds_rows(session, writers, where)
            _write_terms(session, writers["taxonomy_terms"], used_codes)
        finally:
            for handle in handles.values():
                handle.close()
        (folder / "datapackage.json").write_text(json.dumps(_datapackage(), indent=2))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in sorted(folder.iterdir()):
                archive.write(member, member.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return written


def _write_hsds_rows(session: Session, writers, where) -> tuple[int, set[str]]:
    written, used = 0, set()
    for center, codes in centers_with_codes(session, where):
        n = center.id
        org, loc, svc = f"org-{n}", f"loc-{n}", f"svc-{n}"
        writers["organizations"].writerow([org, guard(center.name1), guard(center.website)])
        point = ["" if v is None else repr(v) for v in (center.latitude, center.longitude)]
        writers["locations"].writerow([loc, org, "physical", guard(center.name2), *point])
        writers["addresses"].writerow(
            [f"adr-{n}", loc, *map(guard, (center.street1, center.street2, center.city)),
             center.state, center.zip, "US", "physical"]
        )  # fmt: skip
        if center.phone:
            number, _, extension = center.phone.partition(" x")
            writers["phones"].writerow([f"tel-{n}", loc, number, extension, "voice"])
        writers["services"].writerow([svc, org, "Treatment services", guard(center.website),
                                      "active" if center.published else "inactive"])  # fmt: skip
        writers["service_at_locations"].writerow([f"sal-{n}", svc, loc])
        for code in codes:
            writers["attributes"].writerow([f"att-{n}-{code}", svc, "service", "service", code])
        used.update(codes)
        written += 1
    return written, used


def _write_terms(session: Session, writer, codes: set[str]) -> None:
    for service in session.scalars(sa.select(Service).order_by(Service.code)):
        if service.code in codes:
            writer.writerow([service.code, service.code, guard(service.label), "samhsa-locator"])


def _datapackage() -> dict:
    return {
        "name": "locator-export",
        "profile": "tabular-data-package",
        "resources": [
            {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource"}
            for name in HSDS_TABLES
        ],
    }
