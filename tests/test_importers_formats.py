"""Each import format: preview, apply, import again (all unchanged), and its own quirks."""

from __future__ import annotations

import shutil
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.importers.detect import detect_format
from locator.models import Center, ImportRun, Service
from locator.taxonomy import current_taxonomy
from tests.helpers.importing import (
    apply,
    center,
    codes_of,
    fixture,
    preview,
)


@pytest.mark.parametrize(
    ("paths", "expected_format", "new"),
    [
        (["directory.csv"], "directory", 5),
        (["locator.csv"], "locator_csv", 3),
        (["locator_page1.json", "locator_page2.json"], "locator_json", 3),
        (["hsds"], "hsds", 2),
        (["own.csv"], "own_csv", 3),
    ],
)
def test_each_format_previews_applies_and_then_finds_nothing_changed(
    importing, paths, expected_format, new
):
    files = [fixture(name) for name in paths]
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Center))
    earlier_runs = db.session.scalar(sa.select(sa.func.max(ImportRun.id))) or 0  # the seed's

    previewed = preview(files)
    assert previewed.format == expected_format and previewed.counts["new"] == new
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Center)) == before

    applied = apply(files)
    assert applied.applied and applied.counts["new"] == new
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Center)) == before + new

    stamps = dict(db.session.execute(sa.select(Center.id, Center.updated_at)).all())
    again = apply(files)
    assert again.counts["new"] == again.counts["changed"] == 0
    assert again.counts["unchanged"] == new
    assert dict(db.session.execute(sa.select(Center.id, Center.updated_at)).all()) == stamps
    runs = db.session.scalars(
        sa.select(ImportRun).where(ImportRun.id > earlier_runs).order_by(ImportRun.id)
    ).all()
    assert [run.status for run in runs] == ["previewed", "applied", "applied"]
    assert runs[-1].sha256 and runs[-1].file_size > 0 and runs[-1].admin_email == "cli"


def test_formats_are_told_from_content_not_file_names(importing, tmp_path):
    codes = set(current_taxonomy().services)
    renamed = {
        "directory.csv": ("listing.json", "directory"),
        "locator.csv": ("export.txt", "locator_csv"),
        "locator_page1.json": ("page.csv", "locator_json"),
        "own.csv": ("data", "own_csv"),
    }
    for original, (new_name, expected) in renamed.items():
        copy = tmp_path / new_name
        shutil.copy(fixture(original), copy)
        assert detect_format([copy], codes) == expected
    assert detect_format([fixture("hsds")], codes) == "hsds"
    assert detect_format([fixture("hsds") / "datapackage.json"], codes) == "hsds"


def test_directory_restores_zeros_cuts_zip4_keeps_extensions_and_merges(importing):
    report = apply(fixture("directory.csv"))
    assert report.counts["merged"] == 1 and report.counts["rejected"] == 1
    boston = center("Riverbend Recovery Center (Test)")
    assert (boston.zip, boston.city, boston.placement) == ("02134", "Boston", "zip")
    assert boston.phone == "(617) 555-0100 x12"
    assert boston.facility_type == "both"
    assert {"SA", "DT", "MU", "BU", "NU", "MH", "MD", "OP"} <= codes_of(boston.name1)
    congress = center("Congress Clinic (Test)")
    assert (congress.zip, congress.state, congress.phone) == ("78701", "TX", "(512) 555-0111 x7")
    assert congress.latitude is not None and congress.published
    assert center("Newark Harbor Services (Test)").zip == "07102"
    assert center("Centro San Juan (Test)").zip == "00901"


def test_directory_xlsx_imports_formula_cells_without_running_them(importing, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        ["name1", "name2", "street1", "city", "state", "zip", "phone", "service_code_info"]
    )
    sheet.append(["Quincy Bay Clinic (Test)", "=1+2", "5 Bay St", "Quincy", "MA", 2169,
                  5125550100, "SA * OP"])  # fmt: skip
    sheet.append(["Formula Street Clinic (Test)", "", '=HYPERLINK("http://x.example")', "Quincy",
                  "MA", 2169, "", "SA"])  # fmt: skip
    path = tmp_path / "directory.xlsx"
    workbook.save(path)

    report = apply(path)

    assert report.format == "directory" and report.counts["new"] == 2
    quincy = center("Quincy Bay Clinic (Test)")
    # openpyxl writes no cached value, so the formula cell reads as empty: never evaluated.
    assert quincy.name2 in ("", "3") and quincy.zip == "02169"
    assert quincy.phone == "(512) 555-0100"
    assert center("Formula Street Clinic (Test)").street1 == ""
    assert apply(path).counts["unchanged"] == 2


def test_locator_json_maps_labels_to_codes_across_pages(importing):
    report = apply([fixture("locator_page1.json"), fixture("locator_page2.json")])
    assert report.counts["merged"] == 1  # the same listing on both pages
    harbor = codes_of("Harbor Light Outpatient (Test)")
    assert {"SA", "DT", "OP", "OIT", "MD", "SF", "SP", "BU"} <= harbor
    prairie = codes_of("Prairie Wind Clinic (Test)")
    assert {"SA", "MD", "X-EQUINE-THERAPY"} == prairie
    other = db.session.get(Service, "X-EQUINE-THERAPY")
    assert (other.label, other.category) == ("Equine therapy", "other")
    assert center("Prairie Wind Clinic (Test)").hotline == "(512) 555-0163"
    assert center("Capitol Hill Wellness (Test)").website == "https://capitol.example.org"


def test_locator_csv_reads_service_columns(importing):
    apply(fixture("locator.csv"))
    lakeside = center("Lakeside Detox (Test)")
    assert codes_of(lakeside.name1) == {"SA", "DT", "OP", "MD"}
    assert (lakeside.city, lakeside.county, lakeside.placement) == (
        "Austin",
        "Travis County",
        "source",
    )
    assert lakeside.website == "https://lakeside.example.org"
    assert "ZZ9" in codes_of("Bad Point Clinic (Test)")
    assert center("Mesa Counseling (Test)").facility_type == "mental_health"


def test_hsds_folder_and_zip_give_one_listing_per_physical_location(importing, tmp_path):
    report = apply(fixture("hsds"))
    assert report.counts["new"] == 2 and report.counts["skipped"] == 2
    main = db.session.scalars(sa.select(Center).where(Center.source_id == "loc1")).one()
    assert (main.name1, main.name2, main.source) == ("Bluestem Health (Test)", "", "hsds")
    assert main.phone == "(512) 555-0180 x3" and main.placement == "source"
    assert {s.code for s in main.services} == {"OP", "MD", "BU", "X-EQUINE-THERAPY"}
    north = db.session.scalars(sa.select(Center).where(Center.source_id == "loc2")).one()
    assert (north.name2, north.zip, north.placement) == ("Bluestem North Clinic", "78751", "zip")
    assert north.phone == "(512) 555-0181"

    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for member in fixture("hsds").iterdir():
            zipped.write(member, f"export/{member.name}")
    again = apply(archive)
    assert again.format == "hsds" and again.counts["unchanged"] == 2


def test_a_hand_made_own_csv_needs_only_a_few_columns(importing, tmp_path):
    path = tmp_path / "partner.csv"
    path.write_text(
        "source,source_id,name1,state,zip,services\npartner,Q1,Quick Clinic (Test),TX,78701,SA OP\n"
    )
    apply(path)
    quick = center("Quick Clinic (Test)")
    assert (quick.published, quick.placement, quick.city, quick.source) == (
        True, "zip", "Austin", "partner",
    )  # fmt: skip
