"""The admin dashboard: how the directory stands, and what admins did last."""

from __future__ import annotations

from flask import jsonify, render_template

from locator.admin import bp
from locator.admin.listings import (
    directory_counts,
    latest_audit_entries,
    open_contact_requests,
)
from locator.extensions import db
from locator.listing_reports import report_queue_context
from locator.models import utcnow


@bp.get("/")
def dashboard():
    """Counts of listings by state of care, open contact requests, latest audit entries."""
    return render_template(
        "admin/dashboard.html",
        counts=directory_counts(db.session, utcnow().date()),
        open_requests=open_contact_requests(db.session),
        entries=latest_audit_entries(db.session),
        **report_queue_context(db.session),
    )


@bp.get("/api/summary")
def summary_json():
    """The dashboard's counts as JSON, for monitoring."""
    counts = directory_counts(db.session, utcnow().date())
    return jsonify(centers=counts, open_contact_requests=open_contact_requests(db.session))
