"""Telling an import file's format from its content (never from its name)."""

from __future__ import annotations

from pathlib import Path

from locator.importers import hsds
from locator.importers.files import (
    EMPTY_FILE,
    NOT_A_LISTINGS_FILE,
    ImportFileError,
    is_zip,
    open_checked_zip,
    open_text,
)
from locator.importers.formats import FORMATS, REQUIRED
from locator.importers.tabular import header_of

# Column names that only one format's header has.
LOCATOR_CSV_MARKERS = frozenset({"type_facility", "zip4", "intake_prompt"})
OWN_CSV_MARKERS = frozenset({"source", "source_id", "services"})


def detect_format(paths: list[Path], service_codes: set[str]) -> str:
    """The one format all the files share; ImportFileError when unknown or mixed."""
    if not paths:
        raise ImportFileError("No file was given.")
    found = {path.name: detect_file(path, service_codes) for path in paths}
    kinds = set(found.values())
    if len(kinds) > 1:
        listed = ", ".join(f"{name} ({FORMATS[kind].label})" for name, kind in found.items())
        raise ImportFileError(f"These files are of different formats: {listed}. Import each apart.")
    return kinds.pop()


def detect_file(path: Path, service_codes: set[str]) -> str:
    """The format of one file or folder, from what it holds."""
    if path.is_dir():
        if hsds.is_package(path):
            return "hsds"
        raise ImportFileError(f"The folder {path.name} holds no HSDS datapackage.json.")
    if not path.is_file():
        raise ImportFileError(f"There is no file named {path.name}.")
    if path.stat().st_size == 0:
        raise ImportFileError(EMPTY_FILE)
    if is_zip(path):
        with open_checked_zip(path) as archive:
            names = archive.namelist()
        if "xl/workbook.xml" in names:
            return format_from_header(header_of(path), service_codes)
        if any(Path(name).name == hsds.PACKAGE_FILE for name in names):
            return "hsds"
        raise ImportFileError(NOT_A_LISTINGS_FILE)
    if path.name == hsds.PACKAGE_FILE:
        return "hsds"
    with open_text(path) as handle:
        head = handle.read(4096).lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return "locator_json"
    return format_from_header(header_of(path), service_codes)


def format_from_header(header: list[str], service_codes: set[str]) -> str:
    """The tabular format whose columns these are; the error names what is missing."""
    columns = set(header)
    if "service_code_info" in columns:
        return "directory"
    if columns >= OWN_CSV_MARKERS:
        return "own_csv"
    code_columns = {c for c in columns if c.upper() in service_codes}
    if columns & LOCATOR_CSV_MARKERS or len(code_columns) >= 3:
        return "locator_csv"
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise ImportFileError(f"Missing required columns: {', '.join(missing)}")
    raise ImportFileError(
        "The columns of this file match none of the import formats (National Directory, "
        "treatment locator CSV or JSON, HSDS, locator CSV). Choose one with --format."
    )
