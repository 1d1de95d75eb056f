"""Open Referral HSDS tabular packages (3.0, and 2.0 with its singular table names): a folder
or zip of CSVs with datapackage.json.

One listing per physical location that offers at least one service: the organization's
name, the location's address, phone and point, and the taxonomy terms of its services.
HSDS is relational, so every table but locations is held in memory while its rows are read.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from locator.geo import name_key
from locator.importers.files import ImportFileError, extract_zip, is_zip
from locator.importers.services import ServiceMapper
from locator.importers.tabular import SourceRow, table_rows

PACKAGE_FILE = "datapackage.json"
SKIP = "_skip"
# HSDS 2.0's table names → 3.0's, which the reader uses.
HSDS2_TABLES = {
    "organization": "organizations", "location": "locations", "service": "services",
    "service_at_location": "service_at_locations", "phone": "phones",
    "physical_address": "addresses", "address": "addresses", "taxonomy": "taxonomy_terms",
    "taxonomy_term": "taxonomy_terms", "service_taxonomy": "service_attributes",
    "attribute": "attributes",
}  # fmt: skip


def is_package(path: Path) -> bool:
    """True for a folder holding datapackage.json, or that file itself."""
    if path.is_dir():
        return _find_package(path) is not None
    return path.name == PACKAGE_FILE


def read_hsds(paths: list[Path], mapper: ServiceMapper) -> Iterator[SourceRow]:
    """Listings of each HSDS package (folder, zip or datapackage.json path)."""
    for path in paths:
        with package_folder(path) as folder:
            yield from _package_rows(folder, mapper)


@contextmanager
def package_folder(path: Path) -> Iterator[Path]:
    """The folder of a package; a zip is checked and extracted into a temporary folder."""
    extracted = extract_zip(path) if path.is_file() and is_zip(path) else None
    base = extracted or (path if path.is_dir() else path.parent)
    try:
        folder = _find_package(base)
        if folder is None:
            raise ImportFileError("This HSDS package has no datapackage.json.")
        yield folder
    finally:
        if extracted is not None:
            shutil.rmtree(extracted, ignore_errors=True)


def _find_package(base: Path) -> Path | None:
    if (base / PACKAGE_FILE).is_file():
        return base
    found = sorted(base.glob(f"*/{PACKAGE_FILE}"))
    return found[0].parent if found else None


def _table_paths(folder: Path) -> dict[str, Path]:
    try:
        package = json.loads((folder / PACKAGE_FILE).read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise ImportFileError("This HSDS package's datapackage.json is not valid JSON.") from error
    paths = {p.stem: p for p in folder.glob("*.csv")}
    resources = package.get("resources", []) if isinstance(package, dict) else []
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            continue
        candidate = (folder / resource["path"]).resolve()
        if candidate.is_relative_to(folder.resolve()) and candidate.is_file():
            paths[str(resource.get("name") or candidate.stem)] = candidate
    for old, new in HSDS2_TABLES.items():
        if old in paths and new not in paths:
            paths[new] = paths.pop(old)
    for needed in ("organizations", "locations", "service_at_locations"):
        if needed not in paths:
            raise ImportFileError(f"This HSDS package has no {needed} table.")
    return paths


def _rows(paths: dict[str, Path], name: str, required=("id",)) -> Iterator[dict[str, str]]:
    if name in paths:
        for _line, row in table_rows(paths[name], required):
            yield row


@dataclass
class Package:
    """The tables of one package that a location's listing is joined from."""

    organizations: dict[str, dict[str, str]]
    services: dict[str, dict[str, str]]
    at_location: dict[str, list[str]]
    addresses: dict[str, dict[str, str]]
    phones: dict[tuple[str, str], str]
    terms_of: dict[str, list[tuple[str, str | None]]]


def _package_rows(folder: Path, mapper: ServiceMapper) -> Iterator[SourceRow]:
    paths = _table_paths(folder)
    wanted = mapper.wanted_terms
    term_keys = _term_keys(paths) if wanted is not None else {}
    services = {
        row["id"]: row
        for row in _rows(paths, "services")
        if row.get("status", "active").lower() not in ("inactive", "defunct")
        and (wanted is None or term_keys.get(row["id"], set()) & wanted)
    }
    at_location: dict[str, list[str]] = {}
    for row in _rows(paths, "service_at_locations", ("service_id", "location_id")):
        if (not services and wanted is None) or row["service_id"] in services:
            at_location.setdefault(row["location_id"], []).append(row["service_id"])
    addresses: dict[str, dict[str, str]] = {}
    for row in _rows(paths, "addresses"):
        if row.get("address_type", "physical").lower() in ("physical", ""):
            addresses.setdefault(row.get("location_id", ""), row)
    organizations = {row["id"]: row for row in _rows(paths, "organizations")}
    package = Package(organizations, services, at_location, addresses,
                      _phones_by_owner(paths), _terms_by_entity(paths, mapper))  # fmt: skip
    for line, location in table_rows(paths["locations"], ("id",)):
        yield _location_row(line, location, package)


def _phones_by_owner(paths: dict[str, Path]) -> dict[tuple[str, str], str]:
    phones: dict[tuple[str, str], str] = {}
    for row in _rows(paths, "phones"):
        number = row.get("number", "")
        if row.get("extension"):
            number = f"{number} x{row['extension']}"
        for owner in ("location_id", "service_id", "organization_id"):
            if row.get(owner):
                phones.setdefault((owner, row[owner]), number)
    return phones


def _terms_by_entity(
    paths: dict[str, Path], mapper: ServiceMapper
) -> dict[str, list[tuple[str, str | None]]]:
    terms: dict[str, tuple[str, str | None]] = {}
    for row in _rows(paths, "taxonomy_terms"):
        code, name = row.get("code", ""), row.get("name", "")
        known = mapper.code(code) if code.upper() in mapper.taxonomy.services else None
        terms[row["id"]] = known or mapper.code(name or code)
    linked: dict[str, list[tuple[str, str | None]]] = {}
    for row in _rows(paths, "attributes", ("link_id", "taxonomy_term_id")):
        if row["taxonomy_term_id"] in terms:
            linked.setdefault(row["link_id"], []).append(terms[row["taxonomy_term_id"]])
    for service_id, term_id in _service_terms(paths):  # HSDS 2.0 links terms this way
        if term_id in terms:
            linked.setdefault(service_id, []).append(terms[term_id])
    return linked


def _service_terms(paths: dict[str, Path]) -> Iterator[tuple[str, str]]:
    """(service id, term id) of the 2.0 link table (its column `taxonomy_id` or 3.0's name)."""
    for row in _rows(paths, "service_attributes", ("service_id",)):
        term_id = row.get("taxonomy_term_id") or row.get("taxonomy_id") or ""
        if term_id:
            yield row["service_id"], term_id


def _term_keys(paths: dict[str, Path]) -> dict[str, set[str]]:
    """Each service's taxonomy terms as keys (id, code, name), for the term filter."""
    keys_of_term: dict[str, set[str]] = {}
    for row in _rows(paths, "taxonomy_terms"):
        keys = {row["id"], row.get("code", ""), row.get("name", "")}
        keys_of_term[row["id"]] = {name_key(key) for key in keys if key}
    linked: dict[str, set[str]] = {}
    for row in _rows(paths, "attributes", ("link_id", "taxonomy_term_id")):
        linked.setdefault(row["link_id"], set()).update(
            keys_of_term.get(row["taxonomy_term_id"], ())
        )
    for service_id, term_id in _service_terms(paths):
        linked.setdefault(service_id, set()).update(keys_of_term.get(term_id, ()))
    return linked


def wanted_terms(text: str | None) -> frozenset[str] | None:
    """The taxonomy terms (codes, names or ids, separated by commas) to keep; None: all."""
    if not text or not text.strip():
        return None
    return frozenset(name_key(part) for part in text.split(",") if part.strip())


def _location_row(line: int, location: dict[str, str], package: Package) -> SourceRow:
    service_ids = package.at_location.get(location["id"], [])
    kind = location.get("location_type", "physical").lower()
    if kind not in ("physical", "") or not service_ids:
        why = "not a physical location" if service_ids else "offers no services"
        return SourceRow(line, location, {SKIP: why}, file="locations.csv")
    organization = package.organizations.get(location.get("organization_id", ""), {})
    name1 = organization.get("name", "") or location.get("name", "")
    name2 = location.get("name", "")
    address = package.addresses.get(location["id"], {})
    codes = list(package.terms_of.get(location["id"], []))
    for service_id in service_ids:
        codes.extend(package.terms_of.get(service_id, []))
    first_service = package.services.get(service_ids[0], {})
    fields = {
        "source_id": location["id"],
        "name1": name1,
        "name2": name2 if name_key(name2) != name_key(name1) else "",
        "street1": address.get("address_1", ""),
        "street2": address.get("address_2", ""),
        "city": address.get("city", ""),
        "state": address.get("state_province", ""),
        "zip": address.get("postal_code", ""),
        "phone": _phone_of(location, service_ids, package.phones),
        "website": location.get("url", "")
        or first_service.get("url", "")
        or organization.get("website", ""),
        "latitude": location.get("latitude", ""),
        "longitude": location.get("longitude", ""),
    }
    return SourceRow(line, location, fields, codes, "locations.csv")


def _phone_of(location: dict[str, str], service_ids: list[str], phones) -> str:
    """The location's phone, else its first service's, else its organization's."""
    owners = [("location_id", location["id"])]
    owners += [("service_id", service_id) for service_id in service_ids]
    owners.append(("organization_id", location.get("organization_id", "")))
    return next((phones[owner] for owner in owners if owner in phones), "")
