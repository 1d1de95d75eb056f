"""Street-level points from the Census batch geocoder, against a local server in its format."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.geo.census_client import CensusBatchGeocoder
from locator.importers.street_points import geocode_centers, pending_count
from locator.models import AuditEntry, Center
from locator.places import refresh_places
from tests.helpers.census_server import CensusBehaviour, CensusServer
from tests.helpers.forms import post_form, text
from tests.helpers.importing import apply, center, fixture

SOURCE = "census-test"
ZIP_POINT = (38.8, -76.9)  # where the test rows sit before geocoding: their "ZIP centre"
# Streets the server knows, with the point it answers (inside Maryland).
KNOWN = {
    "4600 Silver Hill Rd": (38.845985, -76.92744),
    "1 Market Pl": (39.28889, -76.60759),
    "200 Duke of Gloucester St": (38.97771, -76.49177),
    "10 Slow Ln": (39.41, -76.78),
    "5 Broken Way": (39.0, -76.5),
}


def knows(row: dict):
    """The server's answer: a point for known streets, a tie for one, no match otherwise."""
    if row["street"] == "3 Twin Oaks Ct":
        return "tie"
    if row["street"] == "7 Wrong State Rd":
        return (34.05, -118.24)  # Los Angeles: a wrong match for a Maryland address
    return KNOWN.get(row["street"])


def _add(street: str, placement: str = "zip", name: str | None = None, **fields) -> int:
    listing = Center(
        slug=f"census-{street.lower().replace(' ', '-')}-{placement}",
        name1=name or f"{street} Program (Test)",
        street1=street,
        city="Suitland",
        state="MD",
        zip="20746",
        latitude=fields.pop("latitude", ZIP_POINT[0]),
        longitude=fields.pop("longitude", ZIP_POINT[1]),
        placement=placement,
        source=SOURCE,
        source_id=f"{street}-{placement}",
        **fields,
    )
    db.session.add(listing)
    db.session.flush()
    return listing.id


def _add_rows() -> dict[str, int]:
    ids = {
        "silver": _add("4600 Silver Hill Rd"),
        "market": _add("1 Market Pl", placement="city"),
        "duke": _add("200 Duke of Gloucester St"),
        "nowhere": _add("9 Nowhere St"),
        "tie": _add("3 Twin Oaks Ct"),
        "wrong": _add("7 Wrong State Rd"),
        "exact": _add("4600 Silver Hill Rd", placement="source", latitude=38.9, longitude=-76.95),
        "no_street": _add("", placement="zip", name="No Street Program (Test)"),
    }
    db.session.commit()
    return ids


def _remove_rows() -> None:
    db.session.rollback()
    db.session.execute(sa.delete(Center).where(Center.source == SOURCE))
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.action == "centers.geocode"))
    refresh_places(db.session)
    db.session.commit()


@pytest.fixture
def stored_rows(directory):
    """Census-test listings, most at a ZIP point, one given exactly by its source (no context
    is left pushed, so that a signed-in test client keeps its own)."""
    with directory.app_context():
        ids = _add_rows()
    yield ids
    with directory.app_context():
        _remove_rows()


@pytest.fixture
def rows(stored_rows, app_ctx):
    """The census-test listings, with an app context for calling the modules directly."""
    return stored_rows


@pytest.fixture
def server():
    """The local Census stand-in, answering from KNOWN."""
    with CensusServer(CensusBehaviour(answer=knows)) as running:
        yield running


def run(server, batch_size=100, timeout=5.0, **options):
    """One geocoding run of the census-test listings against the local server."""
    geocoder = CensusBatchGeocoder(server.url, timeout)
    return geocode_centers(db.session, geocoder, batch_size=batch_size, source=SOURCE, **options)


def sent_streets(server) -> list[str]:
    return sorted(row["street"] for batch in server.behaviour.batches for row in batch)


def point(center_id: int) -> tuple[float | None, float | None, str, str]:
    db.session.expire_all()
    c = db.session.get(Center, center_id)
    return (c.latitude, c.longitude, c.placement, c.geocode_status)


def test_matches_become_street_points_and_source_points_never_move(rows, server):
    report = run(server)
    assert (report.matched, report.unmatched, report.failed) == (3, 3, 0)
    assert point(rows["silver"]) == (38.845985, -76.92744, "address", "matched")
    assert point(rows["market"])[2:] == ("address", "matched")  # placed by city before
    assert point(rows["duke"])[:3] == (38.97771, -76.49177, "address")
    # No match, a tie, a point outside the state: the ZIP point stays, the attempt is kept.
    for name in ("nowhere", "tie", "wrong"):
        assert point(rows[name]) == (*ZIP_POINT, "zip", "unmatched")
    # The source's own point is neither sent nor moved; a row with no street is not sent.
    assert point(rows["exact"]) == (38.9, -76.95, "source", "")
    assert len([s for s in sent_streets(server) if s == "4600 Silver Hill Rd"]) == 1
    assert "" not in sent_streets(server)
    # Only what the Census form asks for is sent: benchmark and vintage, and the addresses.
    assert server.behaviour.forms == [
        {"vintage": "Current_Current", "benchmark": "Public_AR_Current"}
    ]
    assert set(server.behaviour.batches[0][0]) == {"id", "street", "city", "state", "zip"}


def test_a_second_run_sends_nothing_already_answered(rows, server):
    run(server)
    assert pending_count(db.session, SOURCE) == 0
    again = run(server)
    assert (again.sent, again.batches) == (0, 0)
    assert len(server.behaviour.batches) == 1


def test_a_changed_listing_is_asked_again(rows, server):
    run(server)
    listing = db.session.get(Center, rows["nowhere"])
    listing.street1 = "1 Market Pl"  # an admin corrected the street (updated_at moves on)
    db.session.commit()
    assert pending_count(db.session, SOURCE) == 1
    assert run(server).matched == 1
    assert point(rows["nowhere"])[2:] == ("address", "matched")


def test_a_failing_batch_records_nothing_and_is_sent_again_next_run(rows, server):
    server.behaviour.fail_when = lambda batch: any(r["street"] == "5 Broken Way" for r in batch)
    broken = _add("5 Broken Way")
    db.session.commit()
    report = run(server, batch_size=2)  # ids in order: the third batch holds 5 Broken Way
    assert report.failed == 1 and report.matched == 3 and report.unmatched == 3
    assert "not a batch result" in report.errors[0]
    assert point(broken) == (*ZIP_POINT, "zip", "")
    server.behaviour.fail_when = lambda batch: False
    retry = run(server)
    assert (retry.matched, retry.failed, retry.sent) == (1, 0, 1)
    assert point(broken)[2] == "address"


def test_a_batch_slower_than_the_timeout_fails_then_succeeds(rows, server):
    slow = _add("10 Slow Ln")
    db.session.commit()
    server.behaviour.delay_when = lambda batch: 3.0 if len(batch) == 1 else 0.0
    report = run(server, batch_size=6, timeout=0.5)  # six, then the slow one alone
    assert (report.matched, report.failed) == (3, 1)
    assert "could not be reached" in report.errors[0]
    assert point(slow)[3] == ""
    server.behaviour.delay_when = lambda batch: 0.2  # slow, but within the timeout
    retry = run(server, timeout=5.0)
    assert (retry.matched, retry.failed) == (1, 0)
    assert point(slow)[:3] == (39.41, -76.78, "address")


def test_batches_are_paced_and_limited(rows, server):
    pauses: list[float] = []
    report = run(server, batch_size=2, limit=5, min_delay=1.5, sleep=pauses.append)
    assert report.batches == 3 and report.sent == 5
    assert [len(batch) for batch in server.behaviour.batches] == [2, 2, 1]
    assert pauses == [1.5, 1.5]  # between batches, not before the first


def test_the_command_reports_the_counts(rows, server, app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "LOCATOR_CENSUS_GEOCODER_URL", server.url)
    monkeypatch.setitem(app_ctx.config, "LOCATOR_CENSUS_GEOCODER_MIN_DELAY", 0)
    runner = app_ctx.test_cli_runner()
    result = runner.invoke(args=["geocode-centers", "--source", SOURCE, "--limit", "4"])
    assert result.exit_code == 0, result.output
    assert "6 listings wait" in result.output
    assert "Done: 3 matched, 1 not matched, 0 in failed batches" in result.output
    rest = runner.invoke(args=["geocode-centers", "--source", SOURCE])
    assert "Done: 0 matched, 2 not matched" in rest.output
    bad = runner.invoke(args=["geocode-centers", "--limit", "0"])
    assert bad.exit_code == 2 and "--limit" in bad.output


def test_the_command_fails_when_every_batch_fails(rows, app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "LOCATOR_CENSUS_GEOCODER_URL", "http://127.0.0.1:9/x")
    result = app_ctx.test_cli_runner().invoke(args=["geocode-centers", "--source", SOURCE])
    assert result.exit_code == 1
    assert "0 matched, 0 not matched, 6 in failed batches" in result.output


def test_the_endpoint_defaults_to_the_census_batch_address_service(app):
    from locator.config import settings_from_environment

    settings = settings_from_environment(app.instance_path, {})
    assert settings["LOCATOR_CENSUS_GEOCODER_URL"] == (
        "https://geocoding.geo.census.gov/geocoder/locations/addressbatch"
    )
    assert settings["LOCATOR_CENSUS_GEOCODER_ENABLED"] is False
    assert (
        settings_from_environment(
            app.instance_path, {"LOCATOR_CENSUS_GEOCODER_URL": "http://mirror.example/batch"}
        )["LOCATOR_CENSUS_GEOCODER_URL"]
        == "http://mirror.example/batch"
    )


def test_the_admin_button_is_off_unless_enabled_then_sends_one_batch(
    stored_rows, server, admin_client, directory, monkeypatch
):
    monkeypatch.setitem(directory.config, "LOCATOR_CENSUS_GEOCODER_URL", server.url)
    monkeypatch.setitem(directory.config, "LOCATOR_CENSUS_GEOCODER_BATCH_SIZE", 4)
    page = text(admin_client.get("/admin/reports"))
    assert "Look up the next batch" not in page and "LOCATOR_CENSUS_GEOCODER_ENABLED" in page
    refused = post_form(admin_client, "/admin/geocode", "/admin/reports")
    assert refused.status_code == 409 and server.behaviour.batches == []
    monkeypatch.setitem(directory.config, "LOCATOR_CENSUS_GEOCODER_ENABLED", True)
    assert "Look up the next batch" in text(admin_client.get("/admin/reports"))
    assert admin_client.post("/admin/geocode").status_code == 400  # no CSRF token
    done = post_form(admin_client, "/admin/geocode", "/admin/reports")
    assert done.status_code == 303
    assert [len(batch) for batch in server.behaviour.batches] == [4]
    assert "Street-level points:" in text(admin_client.get("/admin/reports"))
    with directory.app_context():
        query = sa.select(AuditEntry).where(AuditEntry.action == "centers.geocode")
        entry = db.session.scalar(query)
        assert entry.after == {"matched": 3, "unmatched": 1, "failed": 0}


def test_a_refresh_keeps_the_street_point_while_the_address_is_unchanged(
    importing, server, tmp_path
):
    apply(fixture("directory.csv"), source="census-import")
    clinic = center("Congress Clinic (Test)")
    zip_point = (clinic.latitude, clinic.longitude)
    assert clinic.placement == "zip"
    server.behaviour.answer = lambda row: (
        (30.2685, -97.7425) if "Congress" in row["street"] else None
    )
    geocoder = CensusBatchGeocoder(server.url, 5)
    geocode_centers(db.session, geocoder, batch_size=50, source="census-import")
    assert (
        center("Congress Clinic (Test)").placement,
        center("Congress Clinic (Test)").latitude,
    ) == (
        "address",
        30.2685,
    )

    again = apply(fixture("directory.csv"), source="census-import")
    db.session.expire_all()
    kept = center("Congress Clinic (Test)")
    assert (kept.latitude, kept.longitude, kept.placement) == (30.2685, -97.7425, "address")
    assert again.counts["changed"] == 0

    # The directory format matches listings on name, street and ZIP: a new city is a change.
    moved = tmp_path / "directory.csv"
    original = fixture("directory.csv").read_text()
    moved.write_text(
        original.replace(",Austin,Texas,78701-1234,", ",Sunset Valley,Texas,78701-1234,")
    )
    apply(moved, source="census-import")
    db.session.expire_all()
    changed = center("Congress Clinic (Test)")
    assert (changed.latitude, changed.longitude, changed.placement) == (*zip_point, "zip")
    assert pending_count(db.session, "census-import") >= 1  # the new address will be asked


def test_the_api_and_pages_count_a_street_point_as_exact(rows, server, client):
    run(server)
    found = client.get(f"/api/v1/centers/{rows['silver']}").get_json()
    assert found["approximate_location"] is False
    missed = client.get(f"/api/v1/centers/{rows['nowhere']}").get_json()
    assert missed["approximate_location"] is True
    slug = db.session.get(Center, rows["silver"]).slug
    assert "The map position is approximate" not in text(client.get(f"/centers/{slug}"))
