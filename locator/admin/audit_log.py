"""The audit log page: every admin action, newest first."""

from __future__ import annotations

from flask import render_template, request

from locator.admin import bp
from locator.admin.pagination import paginate, requested_page
from locator.admin.queries import audit_entries_query
from locator.extensions import db


@bp.get("/audit")
def audit_log():
    """Who did what and when, with the fields each edit changed, 50 a page."""
    page = paginate(db.session, audit_entries_query(), requested_page(request.args))
    return render_template("admin/audit.html", page=page)
