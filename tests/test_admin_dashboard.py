"""The dashboard answers "what needs me?": requests waiting, imports at work or failed, listings
not verified for a year, edits an import disputes; each section shown only when it applies."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.models import Center, ContactRequest, ImportRun, utcnow
from tests.helpers.forms import text


@pytest.fixture
def runs(directory):
    """A running import, a dead one and a failed one (removed after)."""
    now = utcnow()
    with directory.app_context():
        made = [
            ImportRun(status="running", dry_run=False, file_name="live.csv", heartbeat_at=now,
                      rows_done=300, rows_total=900),
            ImportRun(status="running", dry_run=False, file_name="silent.csv",
                      heartbeat_at=now - timedelta(minutes=3)),
            ImportRun(status="failed", dry_run=True, file_name="broken.csv", error="x"),
            ImportRun(status="failed", dry_run=True, file_name="old.csv",
                      created_at=now - timedelta(days=30)),
        ]  # fmt: skip
        db.session.add_all(made)
        db.session.commit()
        ids = [run.id for run in made]
    yield
    with directory.app_context():
        db.session.execute(sa.delete(ImportRun).where(ImportRun.id.in_(ids)))
        db.session.commit()


def test_imports_at_work_dead_or_failed_this_week_are_listed(admin_client, runs):
    page = text(admin_client.get("/admin/"))
    assert "Apply of live.csv</a>: running, 300 of 900 rows" in page
    assert "Apply of silent.csv</a>: stopped (no sign of life for over a minute)" in page
    assert "Preview of broken.csv</a>" in page and "old.csv" not in page


def test_requests_waiting_and_refused_notices_are_shown_to_owners(admin_client, directory):
    with directory.app_context():
        waiting = ContactRequest(name="Someone", phone="512 555 0100", notify_attempts=2)
        db.session.add(waiting)
        db.session.commit()
        waiting_id = waiting.id
        open_count = db.session.scalar(
            sa.select(sa.func.count()).where(ContactRequest.handled.is_(False))
        )
    try:
        page = text(admin_client.get("/admin/"))
        assert f"<strong>{open_count}</strong> request" in page
        assert "The mail server refused the notice of 1 request" in page
        assert "Someone" not in page  # the dashboard names nobody
    finally:
        with directory.app_context():
            db.session.execute(sa.delete(ContactRequest).where(ContactRequest.id == waiting_id))
            db.session.commit()


@pytest.mark.parametrize("admin_user", ["editor"], indirect=True)
def test_editors_do_not_see_contact_requests(admin_client):
    page = text(admin_client.get("/admin/"))
    assert "Contact requests</h2>" not in page and "Imports</h2>" in page


def test_listings_not_verified_for_a_year_are_counted(admin_client, directory):
    today = utcnow().date()
    with directory.app_context():
        stale = db.session.scalar(
            sa.select(sa.func.count()).where(
                sa.or_(Center.last_verified.is_(None),
                       Center.last_verified < today - timedelta(days=365))
            )
        )  # fmt: skip
    page = text(admin_client.get("/admin/"))
    assert f"<strong>{stale}</strong> not verified for over a year" in page


def test_the_disputed_edits_section_shows_only_with_a_record_of_admin_edits(admin_client):
    page = text(admin_client.get("/admin/"))
    has_record = hasattr(Center, "overrides")
    assert ("Edits the source disagrees with" in page) == has_record
