"""Upload safety for import files: text decoding, binary detection, safe zip extraction.

The admin web upload and the CLI both go through these helpers, so a file is judged the
same way wherever it comes from.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from locator.importers.limits import MB, current_limits

NOT_A_LISTINGS_FILE = "This file is not a CSV, XLSX, JSON or HSDS zip."
EMPTY_FILE = "The file is empty."
DAMAGED_ZIP = "The zip file is damaged (a member is not what its index says); nothing was read."
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1252", "latin-1")
# Excel's "Unicode text" is UTF-16 with a byte-order mark; its NUL bytes are not binary.
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
MAX_COMPRESSION_RATIO = 100
_SNIFF_BYTES = 8192
_END_RECORD_SPAN = 22 + 65535 + 20 + 56  # end record, longest comment, Zip64 locator/record
_CHUNK = 1024 * 1024


class ImportFileError(Exception):
    """A file that cannot be imported at all; the message is shown to the person as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode_bytes(data: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), then Windows-1252, then Latin-1."""
    if not data:
        raise ImportFileError(EMPTY_FILE)
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(NOT_A_LISTINGS_FILE) from error
    if looks_binary(data[:_SNIFF_BYTES]):
        raise ImportFileError(NOT_A_LISTINGS_FILE)
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(NOT_A_LISTINGS_FILE)  # latin-1 decodes anything: never reached


def looks_binary(head: bytes) -> bool:
    """True when the first bytes hold NUL bytes or control codes no text file has."""
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def is_zip(path: Path) -> bool:
    """True for a zip archive (an HSDS package or an XLSX workbook)."""
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def is_gzip(path: Path) -> bool:
    """True for a gzip-compressed file (the shipped National Directory is one)."""
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def open_bytes(path: Path):
    """The file's bytes, decompressed as they are read when it is gzip-compressed."""
    return gzip.open(path, "rb") if is_gzip(path) else path.open("rb")


def text_encoding(path: Path) -> str:
    """UTF-16 when the file starts with its byte-order mark, else the first of ENCODINGS that
    decodes the whole file, read in chunks.

    Raises ImportFileError for an empty or binary file.
    """
    with open_bytes(path) as handle:
        head = handle.read(_SNIFF_BYTES)
    if head.startswith(UTF16_BOMS):
        if not head[2:].strip(b" \t\r\n\x00"):
            raise ImportFileError(EMPTY_FILE)
        if _decodes_whole(path, "utf-16"):
            return "utf-16"
        raise ImportFileError(NOT_A_LISTINGS_FILE)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError(EMPTY_FILE)
    if looks_binary(head):
        raise ImportFileError(NOT_A_LISTINGS_FILE)
    for encoding in ENCODINGS[:-1]:
        if _decodes_whole(path, encoding):
            return encoding
    return ENCODINGS[-1]


def _decodes_whole(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    read, budget = 0, current_limits().max_expanded_bytes
    with open_bytes(path) as handle:
        try:
            while chunk := handle.read(_CHUNK):
                read += len(chunk)
                if read > budget:  # a gzip bomb expands without end
                    raise ImportFileError(_too_large(budget, what=_kind(path)))
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def open_text(path: Path) -> io.TextIOWrapper:
    """The file opened as text in the encoding it decodes with, newline-preserving for csv."""
    encoding = text_encoding(path)
    if is_gzip(path):
        return gzip.open(path, "rt", encoding=encoding, newline="")  # type: ignore[return-value]
    return path.open(encoding=encoding, newline="")


def check_zip_members(archive: zipfile.ZipFile, compressed_size: int) -> None:
    """Refuse absolute or `..` member paths, too many members, and archives that say they
    expand too far (zip bombs); extract_zip also counts the bytes actually read."""
    limits = current_limits()
    members = archive.infolist()
    if len(members) > limits.max_zip_members:
        raise ImportFileError(_too_many_members(len(members), limits.max_zip_members))
    total = 0
    for member in members:
        name = PurePosixPath(member.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or ":" in member.filename:
            raise ImportFileError(
                f"The zip file holds an unsafe path ({member.filename[:80]}); nothing was read."
            )
        total += member.file_size
    if total > limits.max_expanded_bytes:
        raise ImportFileError(_too_large(limits.max_expanded_bytes, total))
    if total > MAX_COMPRESSION_RATIO * max(compressed_size, 1):
        raise ImportFileError(
            f"The zip file expands to far more than its size (over {MAX_COMPRESSION_RATIO} "
            "times); it was not opened."
        )


def _too_many_members(count: int | None, cap: int) -> str:
    said = f"{count:,}" if count is not None else f"more than {cap:,}"
    return (
        f"The zip file holds {said} files; an import takes at most {cap:,} "
        "(setting LOCATOR_IMPORT_MAX_ZIP_MEMBERS). Nothing was read."
    )


def _declared_member_count(path: Path) -> int | None:
    """The member count in the zip's end record (0xFFFF: that many or more), read without
    parsing the whole index, which takes seconds for 100,000 members; None without one."""
    with path.open("rb") as handle:
        handle.seek(max(path.stat().st_size - _END_RECORD_SPAN, 0))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def _kind(path: Path) -> str:
    return "gzip file" if is_gzip(path) else "file"


def _too_large(cap: int, total: int | None = None, what: str = "zip file") -> str:
    size = f"{total / MB:,.1f} MB" if total is not None else f"more than {cap / MB:,g} MB"
    grows = "expands to" if what != "file" else "holds"
    return (
        f"The {what} {grows} {size}; an import takes at most {cap / MB:,g} MB "
        "unpacked (setting LOCATOR_IMPORT_MAX_EXPANDED_MB). It was not read."
    )


def open_checked_zip(path: Path) -> zipfile.ZipFile:
    """A zip archive whose member paths and expanded size have been checked."""
    cap = current_limits().max_zip_members
    declared = _declared_member_count(path)  # cheap; the full index is counted again below
    if declared is not None and declared > cap:
        raise ImportFileError(_too_many_members(None if declared == 0xFFFF else declared, cap))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFileError(NOT_A_LISTINGS_FILE) from error
    try:
        check_zip_members(archive, path.stat().st_size)
    except ImportFileError:
        archive.close()
        raise
    return archive


def extract_zip(path: Path) -> Path:
    """Extract a checked zip into a fresh temporary folder and return that folder.

    The caller removes the folder (shutil.rmtree) when done; a refused zip leaves nothing.
    """
    with open_checked_zip(path) as archive:
        target = Path(tempfile.mkdtemp(prefix="locator-import-"))
        try:
            _extract_members(archive, target)
        except BaseException as error:
            shutil.rmtree(target, ignore_errors=True)
            if isinstance(error, (zipfile.BadZipFile, zlib.error, EOFError)):
                raise ImportFileError(DAMAGED_ZIP) from error
            raise
    return target


def _extract_members(archive: zipfile.ZipFile, target: Path) -> None:
    budget = current_limits().max_expanded_bytes
    for member in archive.infolist():
        if member.is_dir():
            continue
        destination = (target / member.filename).resolve()
        if not destination.is_relative_to(target.resolve()):  # belt and braces
            raise ImportFileError(NOT_A_LISTINGS_FILE)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, destination.open("wb") as sink:
            budget -= _copy_limited(source, sink, member.file_size, budget)


def _copy_limited(source, sink, declared_size: int, budget: int) -> int:
    # The zip's index may lie about sizes: count the bytes really read, and stop at the
    # member's declared size and at what is left of the expanded-size cap.
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > declared_size:
            raise ImportFileError(DAMAGED_ZIP)
        if written > budget:
            raise ImportFileError(_too_large(current_limits().max_expanded_bytes))
        sink.write(chunk)
    return written


def files_digest(paths: Iterable[Path]) -> tuple[int, str]:
    """Total size and SHA-256 of the files' bytes (a folder's files in name order)."""
    digest = hashlib.sha256()
    size = 0
    for path in paths:
        members = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for member in members:
            with member.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
    return size, digest.hexdigest()
