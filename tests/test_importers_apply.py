"""Applying imports: all or nothing, one at a time, full refresh, places, round trips, CLI."""

from __future__ import annotations

import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.importers import pipeline, upsert
from locator.importers.runs import ADVISORY_LOCK_KEY, BUSY_MESSAGE, ImportBusyError
from locator.models import Center, ImportRun, Place, utcnow
from tests.helpers.importing import (
    apply,
    center,
    fixture,
    preview,
    snapshot,
)


def test_a_crash_in_the_middle_leaves_the_directory_exactly_as_before(importing, monkeypatch):
    apply(fixture("locator.csv"))  # something of the source to change, too
    before = snapshot()
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    real_write, calls = upsert.write_batch, []

    def crash_on_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(upsert, "write_batch", crash_on_second_batch)
    with pytest.raises(RuntimeError, match="disk on fire"):
        apply(fixture("directory.csv"))

    assert len(calls) == 2 and snapshot() == before
    run = db.session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert run.status == "failed" and not run.dry_run
    # The admin reads what kind of error it was; its text (which may hold SQL) is in the log.
    assert "an unexpected RuntimeError" in run.error and "disk on fire" not in run.error


def test_progress_is_reported_every_batch_and_stored_on_the_run(importing, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    seen = []
    report = preview(
        fixture("directory.csv"), progress=lambda done, total: seen.append((done, total))
    )
    assert seen[0] == (0, 7) and seen[-1] == (7, 7) and len(seen) >= 4
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    run = db.session.get(ImportRun, report.run_id)
    assert (run.rows_done, run.rows_total, run.format, run.status) == (
        7,
        7,
        "directory",
        "previewed",
    )
    assert run.counts["new"] == 5 and run.duration_seconds is not None


def test_a_second_apply_is_refused_while_one_is_running(importing):
    db.session.add(ImportRun(status="running", dry_run=False, admin_email="a@example.org"))
    db.session.commit()
    with pytest.raises(ImportBusyError) as raised:
        apply(fixture("own.csv"))
    assert raised.value.message == BUSY_MESSAGE
    assert db.session.scalar(sa.select(sa.func.count()).where(Center.source == "partner")) == 0
    assert preview(fixture("own.csv")).counts["new"] == 3  # previews may run alongside


def test_a_run_left_running_for_hours_no_longer_blocks(importing):
    stale = ImportRun(status="running", dry_run=False, created_at=utcnow() - timedelta(hours=3))
    db.session.add(stale)
    db.session.commit()
    assert apply(fixture("own.csv")).counts["new"] == 3
    assert db.session.get(ImportRun, stale.id).status == "unfinished"


def test_postgresql_lock_refuses_an_apply_racing_another(importing):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the advisory lock exists on PostgreSQL only")
    with db.engine.connect() as other:
        other.execute(sa.select(sa.func.pg_advisory_lock(ADVISORY_LOCK_KEY)))
        try:
            with pytest.raises(ImportBusyError):
                apply(fixture("own.csv"))
        finally:
            other.execute(sa.select(sa.func.pg_advisory_unlock(ADVISORY_LOCK_KEY)))
            other.commit()


def test_full_refresh_unpublishes_absent_listings_only_when_applied(importing, tmp_path):
    apply(fixture("own.csv"))
    smaller = tmp_path / "partner.csv"
    lines = fixture("own.csv").read_text().splitlines()
    smaller.write_text("\n".join(lines[:2]) + "\n")  # header and P1 only

    previewed = preview(smaller, full_refresh=True)
    assert previewed.counts["unpublished"] == 1
    assert [entry["name"] for entry in previewed.unpublish] == ["=HYPERLINK(1) Wren House (Test)"]
    assert center("=HYPERLINK(1) Wren House (Test)").published

    applied = apply(smaller, full_refresh=True)
    assert applied.counts["unpublished"] == 1 and applied.counts["unchanged"] == 1
    wren = center("=HYPERLINK(1) Wren House (Test)")
    assert not wren.published and "absent from the full refresh" in wren.unpublished_reason
    assert db.session.scalar(sa.select(sa.func.count()).where(Center.source == "partner")) == 3
    assert center("Juniper Path Clinic (Test)").published

    assert apply(fixture("own.csv")).counts["changed"] == 1  # back in the file: published again
    assert center("=HYPERLINK(1) Wren House (Test)").published


def test_apply_updates_places_and_the_search_index(importing, monkeypatch):
    indexed = []
    monkeypatch.setattr(pipeline, "refresh_center_index", lambda s, ids: indexed.append(ids))
    boston = sa.select(Place.center_count).where(Place.state == "MA", Place.slug == "boston")
    assert db.session.scalar(boston) is None

    apply(fixture("directory.csv"))

    assert db.session.scalar(boston) == 1
    assert len({i for ids in indexed for i in ids}) == 5  # every batch indexes its centers
    first = len(indexed)
    apply(fixture("directory.csv"))
    assert len(indexed) == first  # nothing changed: nothing to refresh


def test_export_then_import_changes_nothing(importing, tmp_path):
    apply([fixture("locator_page1.json"), fixture("locator_page2.json")])
    apply(fixture("own.csv"))
    apply(fixture("directory.csv"))
    path = tmp_path / "export.csv"
    from flask import current_app

    result = current_app.test_cli_runner().invoke(args=["export-centers", str(path)])
    assert result.exit_code == 0, result.output
    text = path.read_text()
    assert "'=HYPERLINK(1) Wren House (Test)" in text and ",-97.74," in text

    report = apply(path)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Center))
    assert report.counts["unchanged"] == total and report.counts["changed"] == 0
    assert report.counts["new"] == 0 and report.counts["rejected"] == 0


def test_hsds_export_is_a_package_the_importer_reads(importing, tmp_path):
    from flask import current_app

    path = tmp_path / "export.zip"
    result = current_app.test_cli_runner().invoke(
        args=["export-centers", "--format", "hsds", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "datapackage.json" in zipfile.ZipFile(path).namelist()
    published = db.session.scalar(sa.select(sa.func.count()).where(Center.published.is_(True)))
    report = preview(path)
    # Read as another source, each listing is recognised as the center it was exported from.
    assert report.counts["matched_across_sources"] == published and report.counts["new"] == 0
    assert report.counts["rejected"] == 0


def test_the_online_geocoder_places_rows_without_a_zip(importing, monkeypatch, tmp_path):
    asked = []

    def fake_geocoder(address):
        asked.append(address)
        return (30.2672, -97.7431)

    monkeypatch.setattr(pipeline, "optional_geocoder", lambda: fake_geocoder)
    path = tmp_path / "directory.csv"
    path.write_text("name1,street1,city,state,zip,service_code_info\n"
                    "Geo Clinic (Test),1 Congress Ave,Austin,TX,,SA OP\n")  # fmt: skip
    apply(path)
    geo = center("Geo Clinic (Test)")
    assert (geo.placement, geo.published, geo.latitude) == ("geocoder", True, 30.2672)
    assert asked == ["1 Congress Ave, Austin, TX"]


def test_cli_import_reports_and_sets_the_exit_status(importing, tmp_path):
    from flask import current_app

    runner = current_app.test_cli_runner()
    dry = runner.invoke(args=["import-centers", "--dry-run", str(fixture("directory.csv"))])
    assert dry.exit_code == 0, dry.output
    assert "5 new" in dry.output and "line 5: The state is not valid" in dry.output
    assert "nothing was applied" in dry.output

    applied = runner.invoke(args=["import-centers", str(fixture("directory.csv"))])
    assert applied.exit_code == 0 and "Imported 7 rows" in applied.output

    rejected = tmp_path / "bad.csv"
    rejected.write_text("name1,state,service_code_info\nA (Test),ZZ,SA\n")
    all_bad = runner.invoke(args=["import-centers", str(rejected)])
    assert all_bad.exit_code == 1 and "no row could be imported" in all_bad.output

    empty = tmp_path / "empty.csv"
    empty.write_text("")
    failed = runner.invoke(args=["import-centers", "--format", "directory", str(empty)])
    assert failed.exit_code == 1 and "The file is empty." in failed.output
