"""Bad files and bad rows: a clear message, nothing half-imported, nothing lost."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.importers.files import (
    EMPTY_FILE,
    NOT_A_LISTINGS_FILE,
    ImportFileError,
    decode_bytes,
    extract_zip,
)
from locator.importers.pipeline import run_import
from locator.importers.report import rejected_rows_csv
from locator.models import Center, ImportRun
from tests.helpers.importing import (
    apply,
    center,
    fixture,
    preview,
)


def _refused(path, **options) -> str:
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Center))
    with pytest.raises(ImportFileError) as raised:
        apply(path, **options)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Center)) == before
    run = db.session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert run.status == "failed" and run.error == raised.value.message
    return raised.value.message


def test_an_empty_file_is_refused(importing, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert _refused(path) == EMPTY_FILE
    path.write_bytes(b"\xef\xbb\xbf\r\n")
    assert _refused(path) == EMPTY_FILE


def test_a_binary_file_named_csv_is_refused(importing, tmp_path):
    path = tmp_path / "listings.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert _refused(path) == NOT_A_LISTINGS_FILE
    assert _refused(path, format="directory") == NOT_A_LISTINGS_FILE
    with pytest.raises(ImportFileError, match="not a CSV"):
        decode_bytes(path.read_bytes())


def test_windows_1252_and_bom_files_read_correctly(importing):
    apply(fixture("penasco_cp1252.csv"))
    penasco = center("Centro de Recuperación Peñasco (Test)")
    assert (penasco.city, penasco.state, penasco.zip) == ("Peñasco", "NM", "87553")
    report = apply(fixture("bom_locator.csv"))
    assert report.format == "locator_csv" and report.counts["new"] == 1
    assert center("Café Recovery (Test)").city == "Austin"
    assert decode_bytes("Peñasco".encode("cp1252")) == "Peñasco"
    assert decode_bytes(b"\xef\xbb\xbfname1") == "name1"


def test_a_header_without_required_columns_names_them(importing, tmp_path):
    path = tmp_path / "listings.csv"
    path.write_text("name,city,zip\nA clinic,Austin,78701\n")
    assert _refused(path) == "Missing required columns: name1, state"
    path.write_text("name1,city,zip\nA clinic,Austin,78701\n")
    assert _refused(path, format="locator_csv") == "Missing required columns: state"


def test_malformed_json_is_refused_with_its_position(importing, tmp_path):
    path = tmp_path / "page.json"
    path.write_text('{"page": 1, "rows": [{"name1": "A", }')
    assert "page.json is not valid JSON (line 1" in _refused(path)
    path.write_text('{"page": 1}')
    assert 'no "rows" list' in _refused(path)
    upload = tmp_path / "upload-7f3a.json"  # the admin stores uploads under names of its own
    upload.write_text("{")
    with pytest.raises(ImportFileError, match=r"^locator page 3\.json is not valid JSON"):
        run_import(db.session, [upload], original_names=["locator page 3.json"])


def test_a_zip_with_parent_paths_is_refused_and_nothing_is_written(importing, tmp_path):
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("datapackage.json", "{}")
        zipped.writestr("../../evil.csv", "id\n1\n")
    assert "unsafe path" in _refused(archive)
    assert not (tmp_path.parent / "evil.csv").exists()
    with pytest.raises(ImportFileError, match="unsafe path"):
        extract_zip(archive)


def test_a_zip_bomb_is_refused_before_it_is_opened(importing, tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("datapackage.json", "{}")
        zipped.writestr("locations.csv", b"0" * (20 * 1024 * 1024))
    assert archive.stat().st_size * 100 < 20 * 1024 * 1024
    assert "expands to far more than its size" in _refused(archive)


def test_bad_rows_are_rejected_fixed_or_flagged_and_listed(importing, tmp_path):
    path = tmp_path / "locator.csv"
    path.write_text(
        "name1,street1,city,state,zip,zip4,website,latitude,longitude,type_facility,sa,op\n"
        "Point Clinic (Test),1 A St,Austin,TX,78704,,javascript:alert(1),999,-97.7,SA,1,1\n"
        "State Clinic (Test),2 B St,Austin,ZZ,78704,,,30.25,-97.75,SA,1,1\n"
        "Zip Clinic (Test),3 C St,Austin,TX,ABCDE,,,,,SA,1,\n"
        ",4 D St,Austin,TX,78704,,,,,SA,1,\n"
    )
    report = apply(path)

    assert report.counts["rejected"] == 2 and report.counts["new"] == 2
    assert [(r.line, r.reason) for r in report.rejected] == [
        (3, "The state is not valid: “ZZ” is not a US state, DC or Puerto Rico."),
        (5, "The name (name1) is empty."),
    ]
    point = center("Point Clinic (Test)")
    assert (point.website, point.placement, point.zip) == ("", "zip", "78704")
    assert any("999" in text and "out of range" in text for text in report.warnings)
    assert any("javascript" in text and "left empty" in text for text in report.warnings)
    unplaced = center("Zip Clinic (Test)")
    assert not unplaced.published and unplaced.latitude is None and unplaced.placement == ""
    assert "not placed on the map" in unplaced.unpublished_reason
    assert report.counts["unplaced"] == 1

    downloaded = rejected_rows_csv(db.session.get(ImportRun, report.run_id))
    rows = list(csv.DictReader(io.StringIO(downloaded)))
    assert [(r["line"], r["problem"], r["name1"]) for r in rows] == [
        ("3", "rejected", "State Clinic (Test)"),
        ("5", "rejected", ""),
        ("4", "unplaced", "Zip Clinic (Test)"),
    ]
    assert rows[0]["reason"].startswith("The state is not valid") and rows[2]["zip"] == "ABCDE"


def test_unknown_format_and_missing_file_are_clear(importing, tmp_path):
    assert "Unknown format" in _refused(fixture("own.csv"), format="excel")
    assert _refused(tmp_path / "nope.csv") == "There is no file named nope.csv."


def test_a_preview_never_writes_listings(importing):
    report = preview(fixture("directory.csv"))
    assert report.counts["new"] == 5 and not report.applied
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Center.source == "samhsa-directory"))
        == 0
    )
