"""Reporting a problem with a listing, in Chromium, with JavaScript on and off; and how a
verified listing and a reported one look on a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from locator.extensions import db, limiter
from locator.models import Center, ListingReport, utcnow
from tests.helpers.browser import SCREENSHOTS, needs_chromium
from tests.helpers.page_types import TEST_CENTER, hand_made_center_slug

pytestmark = [pytest.mark.e2e, needs_chromium]

PHONE = {"width": 390, "height": 844}
VERIFIED_CENTER = "Lady Bird Lake Detox (Test)"


@pytest.fixture
def restore_centers(live_server):
    """Undo the reports and verifications a test makes: other tests see the directory as it was."""
    app = live_server.app
    with app.app_context():
        last = db.session.scalar(sa.select(sa.func.max(ListingReport.id))) or 0
        kept = {
            c.id: (c.reported_on, c.last_verified, c.verified_by)
            for c in db.session.scalars(sa.select(Center).where(Center.source == "test"))
        }
    limiter.reset()
    yield app
    limiter.reset()
    with app.app_context():
        db.session.execute(sa.delete(ListingReport).where(ListingReport.id > last))
        for center_id, (reported_on, last_verified, verified_by) in kept.items():
            center = db.session.get(Center, center_id)
            center.reported_on, center.last_verified = reported_on, last_verified
            center.verified_by = verified_by
        db.session.commit()


def test_report_a_wrong_phone_number_from_the_center_page(page, restore_centers):
    slug = hand_made_center_slug(restore_centers)
    page.goto(f"/centers/{slug}")
    page.get_by_role("link", name="Report a problem with this listing").click()
    page.wait_for_url(re.compile(r"/report$"))
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "Choose what is wrong with the listing." in summary.inner_text()
    page.get_by_label("The phone number is wrong").check()
    page.get_by_label("Tell us more (optional)").fill("The intake number rings a pharmacy.")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(re.compile(r"/report/sent$"))
    assert "we have your report" in page.locator("h1").inner_text()
    assert "What happens next" in page.content()
    page.get_by_role("link", name="Back to the listing").click()
    page.wait_for_url(re.compile(rf"/centers/{slug}$"))
    assert "reported a possible change" in page.locator(".report-notice").inner_text()
    with restore_centers.app_context():
        report = db.session.scalars(
            sa.select(ListingReport).order_by(ListingReport.id.desc())
        ).first()
        assert (report.kind, report.note) == ("wrong_phone", "The intake number rings a pharmacy.")


def test_phone_screenshots_of_a_verified_and_a_reported_listing(open_context, restore_centers):
    app = restore_centers
    with app.app_context():
        verified = db.session.scalars(
            sa.select(Center).where(Center.name1 == VERIFIED_CENTER)
        ).one()
        verified.last_verified, verified.verified_by = utcnow().date(), "admin@example.org"
        reported = db.session.scalars(sa.select(Center).where(Center.name1 == TEST_CENTER)).one()
        when = utcnow() - timedelta(days=2)
        db.session.add(ListingReport(center_id=reported.id, kind="closed", created_at=when))
        reported.reported_on = when.date()
        slugs = {"verified": verified.slug, "reported": reported.slug}
        db.session.commit()
    context = open_context(viewport=PHONE)
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"/centers/{slugs['verified']}")
    month = utcnow().date().strftime("%B %Y")
    assert page.locator(".freshness").inner_text() == f"Verified {month} by phone."
    page.screenshot(path=SCREENSHOTS / "center-verified-390x844.png")
    page.goto(f"/centers/{slugs['reported']}")
    notice = page.locator(".report-notice")
    assert notice.is_visible()
    assert when.date().strftime("%B %-d, %Y") in notice.inner_text()
    notice.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "center-reported-390x844.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
