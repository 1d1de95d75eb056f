"""Hand-made listings whose every field a test can count on."""

from __future__ import annotations

from locator.importers.own_csv import COLUMNS


def center_row(**fields: str) -> dict[str, str]:
    """An own-format CSV row with defaults for every column."""
    row = {column: "" for column in COLUMNS}
    row.update(
        source="test",
        phone="(512) 555-0100",
        facility_type="substance_use",
        published="1",
        last_verified="2026-06-01",
    )
    row.update(fields)
    return row


HAND_MADE_CENTERS = [
    center_row(
        source_id="T1",
        name1="Congress Avenue Recovery (Test)",
        name2="Outpatient Program",
        street1="100 Congress Ave",
        city="Austin",
        state="TX",
        zip="78701",
        county="Travis County",
        latitude="30.2650",
        longitude="-97.7450",
        phone="(512) 555-0101 x12",
        intake1="(512) 555-0102",
        hotline="(512) 555-0103",
        website="https://congress.example.org/",
        services="SA OP OIT METH MD SP ZZ9",
    ),
    center_row(
        source_id="T2",
        name1="Lady Bird Lake Detox (Test)",
        street1="1 Riverside Dr",
        city="Austin",
        state="TX",
        zip="78704",
        latitude="30.2550",
        longitude="-97.7500",
        services="SA DT RD RES BU PI",
    ),
    center_row(
        source_id="T3",
        name1="Hidden Listing (Test)",
        city="Austin",
        state="TX",
        zip="78701",
        latitude="30.2660",
        longitude="-97.7440",
        published="0",
        services="SA OP",
    ),
    center_row(
        source_id="T4",
        name1="Round Rock Medication Clinic (Test)",
        city="Round Rock",
        state="TX",
        zip="78664",
        latitude="30.5100",
        longitude="-97.6700",
        services="SA OTP METH BU MD MC",
    ),
    center_row(
        source_id="T5",
        name1="Harbor Light Brooklyn (Test)",
        city="New York",
        state="NY",
        zip="10001",
        latitude="40.7500",
        longitude="-73.9970",
        services="SA OP MD",
    ),
    center_row(
        source_id="T6",
        name1="Capitol Hill Counseling (Test)",
        city="Washington",
        state="DC",
        zip="20002",
        latitude="38.9000",
        longitude="-76.9900",
        services="SA OP MC",
    ),
    center_row(
        source_id="T7",
        name1="Centro de Tratamiento (Test)",
        city="San Juan",
        state="PR",
        zip="00901",
        latitude="18.4650",
        longitude="-66.1050",
        services="SA OP SP MD",
    ),
    center_row(
        source_id="T8",
        name1="Nome Remote Care (Test)",
        city="Nome",
        state="AK",
        zip="99762",
        latitude="64.5011",
        longitude="-165.4064",
        services="SA OP TELE",
    ),
    center_row(
        source_id="T9",
        name1="Mile High Recovery (Test)",
        city="Denver",
        state="CO",
        zip="80202",
        latitude="39.7530",
        longitude="-104.9990",
        services="SA OP MD",
    ),
]


def replace_source(session, source: str, rows, taxonomy=None) -> int:
    """Replace every listing of one source with these rows, through the import pipeline.

    The pipeline is the one write path for centers: tests load what the app would load.
    Commits. `taxonomy` is accepted for the callers' convenience and not needed.
    """
    import tempfile
    from pathlib import Path

    import sqlalchemy as sa

    from locator.importers.pipeline import run_import
    from locator.models import Center
    from locator.places import refresh_places
    from locator.site_search import refresh_center_index
    from tools.sample_directory import write_csv

    session.execute(sa.delete(Center).where(Center.source == source))
    rows = [{**row, "source": source} for row in rows]
    if not rows:
        refresh_places(session)
        refresh_center_index(session)
        session.commit()
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{source}.csv"
        write_csv(path, rows)
        report = run_import(session, [path], format="own_csv", dry_run=False, admin_email="tests")
    counts = report.counts
    return counts["new"] + counts["changed"] + counts["unchanged"]
