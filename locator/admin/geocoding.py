"""The admin's button for street-level points: one batch to the Census geocoder per press."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for

from locator.admin import bp
from locator.admin.audit import record_audit
from locator.admin.auth import signed_in_admin
from locator.admin.forms import ActionForm
from locator.extensions import db
from locator.importers.geocode_command import batch_size, census_geocoder
from locator.importers.street_points import geocode_centers


def census_geocoding_enabled() -> bool:
    """Whether the site's operator allowed the admin button (LOCATOR_CENSUS_GEOCODER_ENABLED)."""
    return bool(current_app.config.get("LOCATOR_CENSUS_GEOCODER_ENABLED"))


@bp.post("/geocode")
def geocode_batch():
    """Send one batch of listings placed at a ZIP code or city; report the counts."""
    if not ActionForm().validate_on_submit():
        abort(400, "This form has expired. Reload the page and try again.")
    if not census_geocoding_enabled():
        abort(409, "Street-level geocoding is off: set LOCATOR_CENSUS_GEOCODER_ENABLED to use it.")
    size = batch_size()
    # One batch per press keeps the request short; pressing again continues where it stopped.
    report = geocode_centers(db.session, census_geocoder(), batch_size=size, limit=size)
    record_audit(
        db.session,
        signed_in_admin(),
        "centers.geocode",
        "directory",
        "",
        f"Census geocoder: {report.summary()}",
        after={"matched": report.matched, "unmatched": report.unmatched, "failed": report.failed},
    )
    db.session.commit()
    category = "error" if report.failed else "success"
    message = f"Street-level points: {report.summary()}."
    if report.errors:
        message += " " + "; ".join(report.errors)
    flash(message, category)
    return redirect(url_for("admin.reports"), 303)
