"""Upload safety for import files: text decoding, binary detection, safe zip extraction.

The admin web upload and the CLI both go through these helpers, so a file is judged the
same way wherever it comes from.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

NOT_A_LISTINGS_FILE = "This file is not a CSV, XLSX, JSON or HSDS zip."
EMPTY_FILE = "The file is empty."
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1252", "latin-1")
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
_SNIFF_BYTES = 8192
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
    """The first of ENCODINGS that decodes the whole file, read in chunks.

    Raises ImportFileError for an empty or binary file.
    """
    with open_bytes(path) as handle:
        head = handle.read(_SNIFF_BYTES)
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
    read = 0
    with open_bytes(path) as handle:
        try:
            while chunk := handle.read(_CHUNK):
                read += len(chunk)
                if read > MAX_UNCOMPRESSED_BYTES:  # a gzip bomb expands without end
                    raise ImportFileError("The file expands to more than 500 MB.")
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
    """Refuse absolute or `..` member paths and archives that expand too far (zip bombs)."""
    total = 0
    for member in archive.infolist():
        name = PurePosixPath(member.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or ":" in member.filename:
            raise ImportFileError(
                f"The zip file holds an unsafe path ({member.filename[:80]}); nothing was read."
            )
        total += member.file_size
    if total > MAX_UNCOMPRESSED_BYTES or total > MAX_COMPRESSION_RATIO * max(compressed_size, 1):
        raise ImportFileError(
            "The zip file expands to far more than its size (over 100 times, or over 500 MB); "
            "it was not opened."
        )


def open_checked_zip(path: Path) -> zipfile.ZipFile:
    """A zip archive whose member paths and expanded size have been checked."""
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

    The caller removes the folder (shutil.rmtree) when done.
    """
    target = Path(tempfile.mkdtemp(prefix="locator-import-"))
    with open_checked_zip(path) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            destination = (target / member.filename).resolve()
            if not destination.is_relative_to(target.resolve()):  # belt and braces
                raise ImportFileError(NOT_A_LISTINGS_FILE)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, destination.open("wb") as sink:
                _copy_limited(source, sink, member.file_size)
    return target


def _copy_limited(source, sink, declared_size: int) -> None:
    # A member may lie about its size in the directory; never write more than it declared.
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > declared_size:
            raise ImportFileError("The zip file is damaged (a member is larger than it says).")
        sink.write(chunk)


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
