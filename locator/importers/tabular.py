"""Rows of a CSV or XLSX file, streamed, with lower-case headers and a check of the columns.

XLSX workbooks are read with openpyxl in read-only mode with `data_only=True`: a formula
cell gives the value Excel cached for it (or nothing), and is never evaluated. openpyxl parses
the workbook's XML with defusedxml when it is installed (it is a dependency): entity bombs and
external entities are refused, and a workbook is not read at all without that protection.
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
from locator.importers.limits import current_limits
from locator.importers.normalize import clean_text

UNREADABLE_WORKBOOK = "This XLSX workbook cannot be read (its XML is damaged or unsafe)."
DAMAGED_WORKBOOK = "This XLSX workbook is damaged (a part is not what the zip's index says)."

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
    max_rows = current_limits().max_rows
    for header, rows in _opened_table(path):
        missing = [column for column in required if column not in header]
        if missing:
            raise ImportFileError(f"Missing required columns: {', '.join(missing)}")
        for count, (line, values) in enumerate(rows, start=1):
            if count > max_rows:
                raise ImportFileError(too_many_rows(path.name, max_rows))
            if not any(values):
                continue
            row = {name: clean_text(value) for name, value in zip(header, values, strict=False)}
            row.pop("", None)
            yield line, row
        return
    raise ImportFileError("The file is empty.")


def too_many_rows(name: str, max_rows: int) -> str:
    """The message for a file over the row cap."""
    return (
        f"{name} has more than {max_rows:,} rows; one file may hold at most {max_rows:,} "
        "(setting LOCATOR_IMPORT_MAX_ROWS). Split it into smaller files."
    )


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
        reader = csv.reader(handle, delimiter=_delimiter(handle))
        try:
            first = next(reader, None)
        except csv.Error as error:
            raise ImportFileError(f"This CSV file cannot be read: {error}.") from error
        if first is None:
            return
        yield _header(first), _csv_rows(reader)


def _delimiter(handle) -> str:
    """A tab when the first line has more tabs than commas (Excel's "Unicode text"), else comma."""
    first = handle.readline(64 * 1024)
    handle.seek(0)
    return "\t" if first.count("\t") > first.count(",") else ","


def _csv_rows(reader) -> Iterator[tuple[int, list[str]]]:
    try:
        for values in reader:
            yield reader.line_num, values
    except csv.Error as error:
        raise ImportFileError(
            f"This CSV file cannot be read past line {reader.line_num}: {error}."
        ) from error


def xml_is_defused() -> bool:
    """True when openpyxl parses workbook XML with defusedxml (no entity bombs, no XXE)."""
    from openpyxl.xml import functions

    return all(
        parse.__module__.startswith("defusedxml")
        for parse in (functions.iterparse, functions.fromstring)
    )


def _xlsx_table(path: Path):
    import openpyxl  # here, not at the top: a web worker starts without it (about 0.1 s)

    if not xml_is_defused():
        raise ImportFileError(
            "XLSX files cannot be imported on this server: install defusedxml (and leave "
            "OPENPYXL_DEFUSEDXML unset) so their XML is read safely. Save the sheet as CSV instead."
        )
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, EOFError) as error:  # is_xlsx opened it: a part is broken
        raise ImportFileError(DAMAGED_WORKBOOK) from error
    except (KeyError, OSError) as error:
        raise ImportFileError(NOT_A_LISTINGS_FILE) from error
    except Exception as error:  # defusedxml's refusals, XML syntax errors, odd workbooks
        raise ImportFileError(UNREADABLE_WORKBOOK) from error
    try:
        if not workbook.worksheets:
            return
        rows = _guarded(workbook.worksheets[0].iter_rows(values_only=True))
        first = next(rows, None)
        if first is None:
            return
        numbered = ((line, list(values)) for line, values in enumerate(rows, start=2))
        yield _header(first), numbered
    finally:
        workbook.close()


def _guarded(rows: Iterator[tuple]) -> Iterator[tuple]:
    """The sheet's rows; whatever breaks while its XML is parsed becomes a message."""
    try:
        yield from rows
    except (zipfile.BadZipFile, EOFError) as error:
        raise ImportFileError(DAMAGED_WORKBOOK) from error
    except Exception as error:
        raise ImportFileError(UNREADABLE_WORKBOOK) from error


def _header(values) -> list[str]:
    return [clean_text(value).lower().replace(" ", "_") for value in values]
