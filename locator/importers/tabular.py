"""Rows of a CSV or XLSX file, streamed, with lower-case headers and a check of the columns.

XLSX workbooks are read with openpyxl in read-only mode with `data_only=True`: a formula
cell gives the value Excel cached for it (or nothing), and is never evaluated.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from locator.importers.files import (
    NOT_A_LISTINGS_FILE,
    ImportFileError,
    is_zip,
    open_checked_zip,
    open_text,
)
from locator.importers.normalize import clean_text

# A field may hold a whole address list; the csv module's default limit is 128 KiB.
csv.field_size_limit(1024 * 1024)


@dataclass(slots=True)
class SourceRow:
    """One listing as a format read it: canonical field names, services as (code, label)."""

    line: int
    raw: dict[str, str]
    fields: dict[str, str]
    services: list[tuple[str, str | None]] = field(default_factory=list)
    file: str = ""
    type_hint: str = ""


def is_xlsx(path: Path) -> bool:
    """True for an Excel workbook (a zip with a workbook part)."""
    if not path.is_file() or not is_zip(path):
        return False
    with open_checked_zip(path) as archive:
        return "xl/workbook.xml" in archive.namelist()


def header_of(path: Path) -> list[str]:
    """The column names of a CSV or XLSX file, lower-cased (empty list when it has none)."""
    for header, _rows in _opened_table(path):
        return header
    return []


def table_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a CSV or XLSX file, values as trimmed text.

    Raises ImportFileError naming the required columns the header lacks.
    """
    for header, rows in _opened_table(path):
        missing = [column for column in required if column not in header]
        if missing:
            raise ImportFileError(f"Missing required columns: {', '.join(missing)}")
        for line, values in rows:
            if not any(values):
                continue
            row = {name: clean_text(value) for name, value in zip(header, values, strict=False)}
            row.pop("", None)
            yield line, row
        return
    raise ImportFileError("The file is empty.")


def _opened_table(path: Path):
    """Yield once (header, rows iterator) with the file open; nothing for an empty table."""
    if is_xlsx(path):
        yield from _xlsx_table(path)
    elif is_zip(path):
        raise ImportFileError(NOT_A_LISTINGS_FILE)
    else:
        yield from _csv_table(path)


def _csv_table(path: Path):
    with open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            first = next(reader, None)
        except csv.Error as error:
            raise ImportFileError(f"This CSV file cannot be read: {error}.") from error
        if first is None:
            return
        yield _header(first), _csv_rows(reader)


def _csv_rows(reader) -> Iterator[tuple[int, list[str]]]:
    try:
        for values in reader:
            yield reader.line_num, values
    except csv.Error as error:
        raise ImportFileError(
            f"This CSV file cannot be read past line {reader.line_num}: {error}."
        ) from error


def _xlsx_table(path: Path):
    import openpyxl  # here, not at the top: a web worker starts without it (about 0.1 s)

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(NOT_A_LISTINGS_FILE) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            return
        numbered = ((line, list(values)) for line, values in enumerate(rows, start=2))
        yield _header(first), numbered
    finally:
        workbook.close()


def _header(values) -> list[str]:
    return [clean_text(value).lower().replace(" ", "_") for value in values]
