"""The admin dashboard: what needs an admin now, how the directory stands, what was done."""

from __future__ import annotations

from flask import jsonify, render_template

from locator.admin import bp
from locator.admin.dashboard_sections import gathered_sections
from locator.admin.queries import directory_counts, open_contact_requests
from locator.extensions import db
from locator.models import utcnow


@bp.get("/")
def dashboard():
    """Requests waiting, imports at work or failed, disputed edits, listings, latest changes."""
    return render_template("admin/dashboard.html", sections=gathered_sections(db.session))


@bp.get("/api/summary")
def summary_json():
    """The dashboard's counts as JSON, for monitoring."""
    counts = directory_counts(db.session, utcnow().date())
    return jsonify(centers=counts, open_contact_requests=open_contact_requests(db.session))
