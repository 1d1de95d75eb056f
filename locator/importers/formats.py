"""The import formats: how each reads its files into SourceRows with canonical field names.

Canonical names are Center's columns (name1, street1, zip, phone, hotline, ...). Readers only
rename and split; the pipeline normalises every format alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from locator.importers import hsds
from locator.importers.files import ImportFileError, open_text
from locator.importers.limits import current_limits
from locator.importers.normalize import clean_text
from locator.importers.own_csv import COLUMNS, OPTIONAL_COLUMNS
from locator.importers.services import ServiceMapper
from locator.importers.tabular import SourceRow, table_rows, too_many_rows

REQUIRED = ("name1", "state")
REJECT = "_reject"  # a field a reader sets to reject a row with its own reason
ADDRESS_FIELDS = ("name1", "name2", "street1", "street2", "city", "state", "zip")
LOCATOR_CSV_BASE = frozenset(ADDRESS_FIELDS) | {
    "zip4", "county", "phone", "intake_prompt", "intake1", "intake2", "website",
    "latitude", "longitude", "type_facility", "hotline", "hotline1",
}  # fmt: skip
TRUE_FLAGS = frozenset({"1", "1.0", "true", "yes", "y", "x"})
# Our export writes `'` before a cell that a spreadsheet would run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Reader = Callable[[list[Path], ServiceMapper], Iterator[SourceRow]]


@dataclass(frozen=True)
class ImportFormat:
    """One importable format: its reader, default source and whether rows carry ids."""

    name: str
    label: str
    default_source: str
    read: Reader
    # True when rows say whether they are published (the project's own CSV does).
    own_publication: bool = False


def read_directory(paths: list[Path], mapper: ServiceMapper) -> Iterator[SourceRow]:
    """The federal National Directory (CSV or XLSX): services in `service_code_info`."""
    for path in paths:
        for line, raw in table_rows(path, REQUIRED):
            fields = {name: raw.get(name, "") for name in ADDRESS_FIELDS}
            fields.update(_phones(raw, "phone", "intake1", "intake2"))
            if not fields["intake1"]:
                fields["intake1"] = raw.get("intake1a", "")
            codes = raw.get("service_code_info", "").replace("*", " ").split()
            known = mapper.raw_codes  # a row has some 70 codes: a dict look-up before a call
            services = [known.get(code) or mapper.raw_code(code) for code in codes]
            hint = raw.get("directory_type", "")
            if is_legend_row(raw):
                fields[REJECT] = "This row is the directory's legend of codes, not a facility."
            yield SourceRow(line, raw, fields, services, path.name, hint)


def is_legend_row(raw: dict[str, str]) -> bool:
    """The spreadsheet's legend spilled into the columns: no name, codes or labels for a ZIP."""
    zip_text = raw.get("zip", "").strip()
    return not raw.get("name1", "").strip() and bool(zip_text) and not zip_text[:1].isdigit()


def read_locator_csv(paths: list[Path], mapper: ServiceMapper) -> Iterator[SourceRow]:
    """The federal locator's download: one 0/1 column per service code."""
    for path in paths:
        for line, raw in table_rows(path, REQUIRED):
            fields = {name: raw.get(name, "") for name in ADDRESS_FIELDS}
            fields.update(_phones(raw, "phone", "intake1", "intake2"))
            fields["hotline"] = raw.get("hotline", "") or raw.get("hotline1", "")
            for name in ("county", "website", "latitude", "longitude"):
                fields[name] = raw.get(name, "")
            services = [
                mapper.raw_code(column)
                for column, value in raw.items()
                if column not in LOCATOR_CSV_BASE and value.lower() in TRUE_FLAGS
            ]
            yield SourceRow(line, raw, fields, services, path.name, raw.get("type_facility", ""))


def read_locator_json(paths: list[Path], mapper: ServiceMapper) -> Iterator[SourceRow]:
    """The federal locator API's JSON pages; service labels are mapped back to codes."""
    for path in paths:
        for index, record in enumerate(_json_rows(path), start=1):
            raw = {clean_text(k): clean_text(v) for k, v in record.items() if k != "services"}
            fields = {name: raw.get(name, "") for name in ADDRESS_FIELDS}
            fields.update(_phones(raw, "phone", "intake1"))
            fields["hotline"] = raw.get("hotline1", "")
            for name in ("website", "latitude", "longitude"):
                fields[name] = raw.get(name, "")
            services = [mapper.code(label) for label in _json_labels(record.get("services"))]
            raw["services"] = "; ".join(_json_labels(record.get("services")))
            yield SourceRow(index, raw, fields, services, path.name, raw.get("typeFacility", ""))


def _json_rows(path: Path) -> list[dict]:
    with open_text(path) as handle:
        try:
            data = json.load(handle)
        except json.JSONDecodeError as error:
            raise ImportFileError(
                f"{path.name} is not valid JSON (line {error.lineno}, column {error.colno})."
            ) from error
        except RecursionError as error:  # [[[[…]]]] nested deeper than Python's stack
            raise ImportFileError(f"{path.name} nests lists or objects too deeply.") from error
    rows = data.get("rows") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ImportFileError(f'{path.name} is JSON but has no "rows" list of listings.')
    max_rows = current_limits().max_rows
    if len(rows) > max_rows:
        raise ImportFileError(too_many_rows(path.name, max_rows))
    return [row for row in rows if isinstance(row, dict)]


def _json_labels(services: object) -> list[str]:
    labels: list[str] = []
    for group in services if isinstance(services, list) else []:
        text = group.get("f3", "") if isinstance(group, dict) else ""
        labels.extend(clean_text(part) for part in str(text or "").split(";") if clean_text(part))
    return labels


def read_own_csv(paths: list[Path], mapper: ServiceMapper) -> Iterator[SourceRow]:
    """The project's own CSV, as export-centers writes it (formula guards removed)."""
    for path in paths:
        for line, raw in table_rows(path, REQUIRED):
            fields = {name: _unguard(raw.get(name, "")) for name in COLUMNS + OPTIONAL_COLUMNS}
            if "published" not in raw:  # a hand-made file without the column lists live centers
                fields["published"] = "1"
            services = [mapper.raw_code(code) for code in fields.pop("services").split()]
            yield SourceRow(line, raw, fields, services, path.name, fields["facility_type"])


def _unguard(value: str) -> str:
    if value.startswith("'") and value[1:2] and value[1] in "=+-@":
        return value[1:]
    return value


def _phones(raw: dict[str, str], *names: str) -> dict[str, str]:
    return {name: raw.get(name, "") for name in names}


FORMATS: dict[str, ImportFormat] = {
    "directory": ImportFormat(
        "directory", "National Directory", "samhsa-directory", read_directory
    ),
    "locator_csv": ImportFormat(
        "locator_csv", "treatment locator CSV", "samhsa-locator", read_locator_csv
    ),
    "locator_json": ImportFormat(
        "locator_json", "treatment locator JSON", "samhsa-locator", read_locator_json
    ),
    "hsds": ImportFormat("hsds", "Open Referral HSDS", "hsds", hsds.read_hsds),
    "own_csv": ImportFormat("own_csv", "locator CSV", "", read_own_csv, own_publication=True),
}
