"""The National Directory as the default directory: codes explained, filters, provenance,
territories, and the seed and remove-source commands."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from locator.cli import load_directory
from locator.extensions import db
from locator.models import AuditEntry, Center
from locator.search.indexes import SECOND_WORD, known_bits
from locator.taxonomy import current_taxonomy, load_taxonomy
from tests.helpers.directory_files import raw_codes_shown, services_shown, write_directory

DATA = Path(__file__).resolve().parent.parent / "data"

BOSTON = {  # the same facility in both directories: other name2, "Street"/"St", a suite
    "directory_type": "substance", "name1": "Harbor Light Recovery (Test)", "name2": "Adults",
    "street1": "12 Harbor Street", "street2": "", "city": "BOSTON", "state": "MA",
    "zip": "2134", "phone": "617-555-0100 x12",
    "service_code_info": "SA DT * OP OD * MU BU * QQQ * SP FX",
}  # fmt: skip
ROWS = [
    {"facility_id": "substance_1", **BOSTON},
    {"facility_id": "mental_1", **BOSTON, "directory_type": "mental", "name2": "Clinic",
     "street1": "12 Harbor St., Suite 4", "service_code_info": "MH * OP * MD * CHLD YAD"},
    {"facility_id": "substance_2", "directory_type": "substance", "name1": "Isla Care (Test)",
     "street1": "1 Marine Corps Dr", "city": "Hagatna", "state": "GU", "zip": "96910",
     "phone": "671-555-0101", "service_code_info": "SA * OP * SF"},
    {"facility_id": "substance_3", "directory_type": "substance", "name1": "Bay Clinic (Test)",
     "street1": "2 King St", "city": "Christiansted", "state": "VI", "zip": "820",
     "phone": "340-555-0102", "service_code_info": "SA * OP * MD"},
    {"facility_id": "substance_4", "directory_type": "substance", "name1": "",
     "name2": "SA", "street1": "DT", "city": "SUMH", "state": "HI", "zip": "OP",
     "phone": "RES", "service_code_info": "OIT"},
]  # fmt: skip


def _directory_rows() -> list[dict[str, str]]:
    with gzip.open(DATA / "samhsa-national-directory.csv.gz", "rt", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["name1"].strip()]


def test_every_code_of_the_shipped_directory_has_a_label_and_a_category():
    from tools.build_taxonomy import build

    taxonomy = load_taxonomy(DATA)
    used = {code for row in _directory_rows() for code in row["service_code_info"].split()}
    used.discard("*")
    assert len(used) == 314
    missing = sorted(used - set(taxonomy.services))
    assert missing == []
    for code in used:
        definition = taxonomy.services[code]
        assert definition.category != "other" and definition.label.strip(), code
        assert definition.label != code, code
    with (DATA / "taxonomy.csv").open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert build(written) == written  # the derivation from the ` * ` groups adds nothing


def test_an_unknown_code_reads_as_other_service():
    taxonomy = load_taxonomy(DATA)
    [(category, [definition])] = taxonomy.grouped(["QQQ"])
    assert (category, definition.label) == ("Other", "Other service (code QQQ)")


WORDS = {  # each filter, and words the code key's label of every code it names contains
    "methadone": ("methadone",), "buprenorphine": ("buprenorphine",),
    "naltrexone": ("naltrexone",), "detox": ("detox",),
    "residential": ("residential", "inpatient"), "outpatient": ("outpatient",),
    "telehealth": ("telemedicine",), "medicaid": ("medicaid",), "medicare": ("medicare",),
    "private-insurance": ("private health insurance",), "sliding-fee": ("sliding fee",),
    "free": ("no payment",), "adolescents": ("adolescents",), "young-adults": ("young adults",),
    "seniors": ("seniors",), "spanish": ("spanish",), "sign-language": ("sign language",),
    "other-languages": ("languages", "chinese", "creole", "farsi", "french", "german", "greek",
                        "hebrew", "hindi", "hmong", "arabic", "italian", "japanese", "korean",
                        "polish", "portuguese", "russian", "tagalog", "vietnamese", "ojibwa",
                        "yupik"),
    "veterans": ("veterans",), "pregnant": ("pregnant",), "lgbtq": ("lesbian",),
    "mental-health": ("mental health",), "substance-use": ("substance use",),
}  # fmt: skip


def test_the_filters_people_ask_for_name_the_right_codes_of_the_code_key():
    taxonomy = load_taxonomy(DATA)
    key: dict[str, list[str]] = {}
    with (DATA / "samhsa-service-codes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key.setdefault(row["code"], []).append(row["label"].lower())
    for name, words in WORDS.items():
        chosen = taxonomy.filters[name]
        in_key = [code for code in chosen.codes if code in key]
        assert in_key, name
        for code in in_key:
            assert any(word in label for word in words for label in key[code]), (name, code)


def test_every_filter_code_has_a_bit_on_this_engine(app_ctx):
    bits = known_bits(db.session.connection())
    for code in ("AD", "FX", "PHDT", "MH", "SA", "MD", "BU", "TELE"):
        assert bits[code] < SECOND_WORD, code  # the directory's commonest: the first word
    for item in current_taxonomy().filters.values():
        assert all(code in bits for code in item.codes), item.key
    assert not {"MOA", "NMOA", "NOE"} & set(bits)
    # Each word's bits are distinct and fit a signed 64-bit integer, its sign bit unused.
    assert len(set(bits.values())) == len(bits)
    assert all(bit % SECOND_WORD < 63 for bit in bits.values())


def test_the_directory_loads_from_gzip_with_both_directories_merged(importing, tmp_path):
    report = load_directory(write_directory(tmp_path / "directory.csv.gz", ROWS))
    assert report.applied and report.counts["rows"] == 5
    assert report.counts["new"] == 3 and report.counts["merged"] == 1
    [legend] = report.rejected
    assert legend.line == 6 and "legend" in legend.reason
    assert report.counts["unknown_codes"] == 1 and "QQQ" in report.unknown_codes
    boston = db.session.scalars(
        sa.select(Center).where(Center.name1 == "Harbor Light Recovery (Test)")
    ).one()
    codes = {service.code for service in boston.services}
    assert {"SA", "MU", "MH", "MD", "CHLD", "QQQ"} <= codes
    assert (boston.zip, boston.placement, boston.approximate) == ("02134", "zip", True)
    assert boston.facility_type == "both"


def test_pages_name_the_source_and_edition_and_explain_every_code(importing, tmp_path, client):
    load_directory(write_directory(tmp_path / "directory.csv.gz", ROWS))
    # The default edition: the shipped file's codes are those of the 2023–2024 editions.
    slug = db.session.scalar(
        sa.select(Center.slug).where(Center.name1 == "Harbor Light Recovery (Test)")
    )
    page = client.get(f"/centers/{slug}").get_data(as_text=True)
    shown = services_shown(page)
    assert "Other service (code QQQ)" in shown and "Uses methadone in treatment" in shown
    codes = set(current_taxonomy().services) | {"QQQ"}
    assert raw_codes_shown(page, codes) == []
    assert "SAMHSA&#39;s National Directories" in page and "2023–2024 edition" in page
    assert 'href="https://findtreatment.gov"' in page and "call to confirm" in page
    assert "approximate" in page
    results = client.get("/search?location=02134").get_data(as_text=True)
    assert "2023–2024 edition" in results and "Harbor Light Recovery (Test)" in results


def test_territories_are_placed_listed_and_searchable(importing, tmp_path, client):
    load_directory(write_directory(tmp_path / "directory.csv.gz", ROWS))
    guam = db.session.scalars(sa.select(Center).where(Center.state == "GU")).one()
    islands = db.session.scalars(sa.select(Center).where(Center.state == "VI")).one()
    assert guam.published and 13 < guam.latitude < 14 and 144 < guam.longitude < 145
    assert islands.published and islands.zip == "00820" and 17 < islands.latitude < 18
    states = client.get("/rehab/").get_data(as_text=True)
    assert 'href="/rehab/guam"' in states and 'href="/rehab/palau"' in states
    assert "Isla Care (Test)" in client.get("/rehab/guam").get_data(as_text=True)
    for place in ("96910", "Hagatna, GU", "Guam"):
        found = client.get("/search", query_string={"location": place})
        assert found.status_code == 200 and "Isla Care (Test)" in found.get_data(as_text=True)
    api = client.get("/api/v1/centers?location=96910").get_json()
    assert api["centers"][0]["placement"] == "zip" and api["centers"][0]["approximate_location"]


def test_seed_loads_the_national_directory_through_the_pipeline(importing, tmp_path, monkeypatch):
    import locator.cli

    shipped = write_directory(tmp_path / "directory.csv.gz", ROWS)
    monkeypatch.setattr(locator.cli, "DIRECTORY_FILE", str(shipped))  # an absolute path wins
    runner = current_app.test_cli_runner()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Imported 5 rows (directory, source samhsa-directory)" in result.output
    assert "Loaded the National Directory" in result.output
    count = sa.select(sa.func.count()).where(Center.source == "samhsa-directory")
    assert db.session.scalar(count) == 3


def test_remove_source_previews_asks_and_is_audited(client):
    from tests.helpers.factories import replace_source
    from tools.sample_directory import generate_centers

    runner = client.application.test_cli_runner()
    assert "Sample data." in client.get("/").get_data(as_text=True)
    try:
        asked = runner.invoke(args=["remove-source", "sample"], input="n\n")
        assert "600 listings of source 'sample' would be deleted." in asked.output
        assert "Nothing was deleted." in asked.output
        unknown = runner.invoke(args=["remove-source", "nope"])
        assert unknown.exit_code == 1 and "sample (600)" in unknown.output
        done = runner.invoke(args=["remove-source", "sample", "--yes"])
        assert done.exit_code == 0 and "Deleted 600 listings" in done.output
        with client.application.app_context():
            assert not db.session.scalar(sa.select(Center.id).where(Center.source == "sample"))
            entry = db.session.scalars(
                sa.select(AuditEntry).where(AuditEntry.action == "source.remove")
            ).one()
            assert entry.target_id == "sample" and entry.before == {
                "source": "sample",
                "listings": 600,
            }
            db.session.delete(entry)
            db.session.commit()
        assert "Sample data." not in client.get("/").get_data(as_text=True)
    finally:
        with client.application.app_context():
            replace_source(db.session, "sample", generate_centers(600, seed=7))
