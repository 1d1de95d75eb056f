"""Import files built on the fly for the hostile-file tests: workbooks, HSDS zips, lying zips."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl

HSDS_FOLDER = Path(__file__).parents[1] / "fixtures" / "imports" / "hsds"
SHEET = "xl/worksheets/sheet1.xml"
HEADER = "name1,street1,city,state,zip,type_facility"


def csv_listings(count: int, start: int = 0) -> str:
    """A treatment-locator CSV of `count` listings in Austin."""
    rows = [f"Clinic {n} (Test),{n} Congress Ave,Austin,TX,78701,SA" for n in range(start, count)]
    return "\n".join([HEADER, *rows]) + "\n"


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    """A workbook whose first sheet holds these rows."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_members(data: bytes, replacements: dict[str, bytes], extra: int = 0) -> bytes:
    """The zip with some members' content replaced or added (and `extra` small members)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    added = dict(replacements)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, added.pop(info.filename, source.read(info)))
        for name, content in added.items():
            target.writestr(name, content)
        for number in range(extra):
            target.writestr(f"docProps/extra-{number}.xml", "<x/>")
    return out.getvalue()


def hostile_sheet(doctype: str, cell: str) -> bytes:
    """Sheet XML with a DOCTYPE of entities and a cell that uses them."""
    return (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{doctype}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name1</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>state</t></is></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{cell}</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>TX</t></is></c></row></sheetData></worksheet>'
    ).encode()


def billion_laughs() -> bytes:
    """Ten levels of ten entities: a cell of 10^10 characters if anything expanded it."""
    entities = '<!ENTITY a0 "laughlaugh">' + "".join(
        f'<!ENTITY a{level} "{f"&a{level - 1};" * 10}">' for level in range(1, 10)
    )
    return hostile_sheet(entities, "&a9;")


def external_entity() -> bytes:
    """A cell that asks for a file of the server (XXE)."""
    return hostile_sheet('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;")


def hsds_zip(extra_members: int = 0, replace: dict[str, bytes] | None = None) -> bytes:
    """The HSDS fixture package zipped, optionally with more members or some replaced."""
    out = io.BytesIO()
    replace = replace or {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(HSDS_FOLDER.iterdir()):
            archive.writestr(path.name, replace.pop(path.name, path.read_bytes()))
        for name, content in replace.items():
            archive.writestr(name, content)
        for number in range(extra_members):
            archive.writestr(f"notes/note-{number}.txt", "x")
    return out.getvalue()


def understate_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with its central directory claiming `member` unpacks to `size` bytes."""
    patched = bytearray(data)
    at = patched.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", patched, at + 28)[0]
        if patched[at + 46 : at + 46 + name_length].decode() == member:
            struct.pack_into("<I", patched, at + 24, size)
            return bytes(patched)
        at = patched.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{member} is not in the zip")


def understate_count(data: bytes, count: int) -> bytes:
    """The zip with its end record claiming it holds `count` members."""
    patched = bytearray(data)
    at = patched.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", patched, at + 8, count, count)
    return bytes(patched)
