"""Hostile import files: nesting bombs, XML entities, oversized and lying zips. Each gets a
clear message and a 400, its upload is deleted, and nothing is left in the temporary folder."""

from __future__ import annotations

import gzip
import io
import json
import tempfile
import zipfile

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.importers.files import ImportFileError, open_checked_zip
from locator.importers.tabular import UNREADABLE_WORKBOOK, xml_is_defused
from locator.importers.uploads import uploads_root
from locator.models import Center, ImportRun
from tests.helpers.admin_imports import upload
from tests.helpers.forms import text
from tests.helpers.import_files import (
    billion_laughs,
    csv_listings,
    external_entity,
    hsds_zip,
    replace_members,
    understate_count,
    understate_size,
    xlsx_bytes,
)
from tests.helpers.importing import preview

NESTING_BOMB = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def small_limits(directory):
    """Caps small enough that the files that pass them are built in milliseconds."""
    saved = {key: directory.config.get(key) for key in LIMITS}
    directory.config.update(LIMITS)
    yield
    directory.config.update(saved)


LIMITS = {
    "LOCATOR_IMPORT_MAX_ROWS": 5,
    "LOCATOR_IMPORT_MAX_ZIP_MEMBERS": 20,
    "LOCATOR_IMPORT_MAX_EXPANDED_MB": 0.5,
}


@pytest.fixture
def temporary_folder(tmp_path, monkeypatch):
    """Where extracted zips go during the test, to see what they leave behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _uploads() -> set[str]:
    root = uploads_root()
    return {path.name for path in root.iterdir()} if root.is_dir() else set()


def _refused_upload(client, name: str, content: bytes) -> str:
    """Upload a file that must be refused; check the status, the listings and the upload."""
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Center))
    kept = _uploads()
    response = upload(client, name, content)
    page = text(response)
    assert response.status_code == 400, page[:2000]
    assert _uploads() <= kept, "the refused upload was left on disk"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Center)) == before
    return page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.json", NESTING_BOMB.encode(), "bomb.json nests lists or objects too deeply"),
        ("rows.json", f'{{"rows": {NESTING_BOMB}}}'.encode(), "nests lists or objects too deeply"),
        (
            "package.zip",
            hsds_zip(replace={"datapackage.json": NESTING_BOMB.encode()}),
            "datapackage.json is not valid JSON",
        ),
    ],
)
def test_a_json_nesting_bomb_is_refused_and_its_upload_deleted(
    admin_client, importing, name, content, message
):
    assert message in _refused_upload(admin_client, name, content)
    run = db.session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert run.status == "failed" and message in run.error


@pytest.mark.parametrize("sheet", [billion_laughs(), external_entity()], ids=["laughs", "xxe"])
def test_hostile_xml_in_a_workbook_is_refused_and_its_upload_deleted(
    admin_client, importing, sheet
):
    workbook = replace_members(
        xlsx_bytes([["name1", "state"], ["A", "TX"]]), {"xl/worksheets/sheet1.xml": sheet}
    )
    page = _refused_upload(admin_client, "listings.xlsx", workbook)
    assert UNREADABLE_WORKBOOK in page
    assert "root:" not in page


def test_workbook_xml_is_parsed_with_defusedxml_or_not_at_all(importing, tmp_path, monkeypatch):
    from xml.etree import ElementTree

    from openpyxl.xml import functions

    assert xml_is_defused()
    path = tmp_path / "listings.xlsx"
    path.write_bytes(xlsx_bytes([["name1", "state", "type_facility"], ["A (Test)", "TX", "SA"]]))
    assert preview(path).counts["new"] == 1
    monkeypatch.setattr(functions, "iterparse", ElementTree.iterparse)  # as without defusedxml
    assert not xml_is_defused()
    with pytest.raises(ImportFileError, match="install defusedxml"):
        preview(path)


def test_an_unexpected_error_in_a_preview_is_a_message_not_a_500(
    admin_client, importing, monkeypatch
):
    from locator.importers import formats

    def broken(paths, mapper):
        raise RuntimeError("SELECT secret FROM somewhere")
        yield  # a generator, like every reader

    monkeypatch.setitem(
        formats.FORMATS, "locator_csv", formats.ImportFormat("locator_csv", "x", "s", broken)
    )
    page = _refused_upload(admin_client, "listings.csv", csv_listings(2).encode())
    assert "an unexpected RuntimeError" in page and "SELECT" not in page


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("listings.csv", csv_listings(6).encode()),
        ("listings.xlsx", xlsx_bytes([row.split(",") for row in csv_listings(6).splitlines()])),
        ("page.json", json.dumps({"rows": [{"name1": f"C{n}", "state": "TX"} for n in range(6)]})),
    ],
)
def test_a_file_over_the_row_cap_is_refused(admin_client, importing, small_limits, name, content):
    content = content.encode() if isinstance(content, str) else content
    page = _refused_upload(admin_client, name, content)
    assert f"{name} has more than 5 rows" in page and "LOCATOR_IMPORT_MAX_ROWS" in page
    assert upload(admin_client, "five.csv", csv_listings(5).encode()).status_code == 303


def test_a_zip_with_too_many_members_is_refused(
    admin_client, importing, small_limits, temporary_folder
):
    page = _refused_upload(admin_client, "package.zip", hsds_zip(extra_members=12))
    assert "The zip file holds 21 files; an import takes at most 20" in page
    workbook = replace_members(xlsx_bytes([["name1", "state"]]), {}, extra=20)
    assert "an import takes at most 20" in _refused_upload(admin_client, "big.xlsx", workbook)
    assert list(temporary_folder.iterdir()) == []


def test_the_member_count_is_read_before_the_zip_index_is_parsed(
    importing, small_limits, tmp_path, monkeypatch
):
    path = tmp_path / "package.zip"
    path.write_bytes(hsds_zip(extra_members=12))

    def parse(*args, **kwargs):
        raise AssertionError("the whole index was parsed")

    with monkeypatch.context() as patched:  # 100,000 members take seconds to parse
        patched.setattr(zipfile, "ZipFile", parse)
        with pytest.raises(ImportFileError, match="holds 21 files"):
            open_checked_zip(path)
    path.write_bytes(understate_count(hsds_zip(extra_members=12), 3))
    with pytest.raises(ImportFileError, match="holds 21 files"):  # the index is counted too
        open_checked_zip(path)
    path.write_bytes(understate_count(hsds_zip(extra_members=12), 0xFFFF))  # Zip64's "many"
    with pytest.raises(ImportFileError, match="holds more than 20 files"):
        open_checked_zip(path)


def test_a_zip_that_says_it_expands_too_far_is_refused(
    admin_client, importing, small_limits, temporary_folder
):
    # 0.6 MB of digits compresses about 2:1, so only the expanded-size cap can refuse it.
    digits = "".join(str(n) for n in range(120_000)).encode()
    notes = {"notes.csv": b"id\n" + digits}
    page = _refused_upload(admin_client, "package.zip", hsds_zip(replace=notes))
    assert "at most 0 MB unpacked" not in page  # the cap is shown as set, not rounded to 0
    assert "LOCATOR_IMPORT_MAX_EXPANDED_MB" in page
    workbook = replace_members(xlsx_bytes([["name1", "state"]]), {"xl/notes.xml": digits})
    assert "LOCATOR_IMPORT_MAX_EXPANDED_MB" in _refused_upload(admin_client, "big.xlsx", workbook)
    assert list(temporary_folder.iterdir()) == []


def test_a_gzip_file_that_expands_too_far_is_called_a_gzip_file(importing, small_limits, tmp_path):
    path = tmp_path / "directory.csv.gz"
    path.write_bytes(gzip.compress(("name1,state\n" + "A,TX\n" * 200_000).encode()))
    with pytest.raises(ImportFileError) as refused:
        preview(path, format="directory")
    message = str(refused.value)
    assert message.startswith("The gzip file expands to more than 0.5 MB")
    assert "zip file" not in message.replace("gzip file", "")


def test_a_zip_that_lies_about_its_sizes_is_stopped(admin_client, importing, temporary_folder):
    lying = understate_size(hsds_zip(), "locations.csv", 10)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("locations.csv").file_size == 10
    assert "The zip file is damaged" in _refused_upload(admin_client, "package.zip", lying)
    workbook = xlsx_bytes([row.split(",") for row in csv_listings(50).splitlines()])
    lying_book = understate_size(workbook, "xl/worksheets/sheet1.xml", 300)
    assert "damaged" in _refused_upload(admin_client, "listings.xlsx", lying_book)
    assert list(temporary_folder.iterdir()) == []


@pytest.mark.parametrize("format", [None, "hsds"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (hsds_zip(replace={"../evil.csv": b"id\n"}), "unsafe path"),
        (hsds_zip(extra_members=20), "at most 20"),
        (hsds_zip(replace={"notes.csv": b"0" * 600_000}), "expands to"),
        (hsds_zip(replace={"datapackage.json": b"{"}), "not valid JSON"),
        (hsds_zip(replace={"locations.csv": b"name\nA\n"}), "Missing required columns: id"),
        (hsds_zip(replace={"locations.csv": csv_listings(8).replace("name1", "id").encode()}),
         "has more than 5 rows"),
        (understate_size(hsds_zip(), "organizations.csv", 5), "damaged"),
    ],
    ids=["unsafe-path", "members", "bomb", "bad-json", "bad-table", "row-cap", "lying-size"],
)  # fmt: skip
def test_a_refused_hsds_zip_leaves_no_temporary_folder(
    importing, small_limits, temporary_folder, tmp_path, content, message, format
):
    path = tmp_path / "package.zip"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        preview(path, format=format)
    assert list(temporary_folder.iterdir()) == []
