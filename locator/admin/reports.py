"""Visitors' reports of wrong listings: the queue, resolving them, and listings to call again."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for

from locator.admin import bp
from locator.admin.auth import signed_in_admin
from locator.admin.center_changes import unpublish_center
from locator.admin.pagination import paginate, requested_page
from locator.admin.report_forms import ResolveReportsForm
from locator.extensions import db
from locator.importers.street_points import pending_count
from locator.inbox.listing_reports import (
    REPORT_KINDS,
    RESOLUTIONS,
    open_reports,
    report_queue,
    resolve_reports,
    unverified_query,
)
from locator.models import Center, utcnow

QUEUE_CENTERS = 200  # the queue page shows this many centers at most, newest first


def _queue_page(forms: dict[int, ResolveReportsForm] | None = None, status: int = 200):
    groups = report_queue(db.session, limit=QUEUE_CENTERS)
    forms = forms or {}
    for group in groups:
        forms.setdefault(group.center.id, ResolveReportsForm(formdata=None))
    page = render_template(
        "admin/reports.html",
        groups=groups,
        forms=forms,
        kinds=REPORT_KINDS,
        resolutions=RESOLUTIONS,
        pending_geocodes=pending_count(db.session),
        geocoding_enabled=bool(current_app.config.get("LOCATOR_CENSUS_GEOCODER_ENABLED")),
    )
    return page, status


@bp.get("/reports")
def reports():
    """Open reports grouped by center, the most recently reported first."""
    return _queue_page()


@bp.post("/reports/<int:center_id>/resolve")
def resolve_center_reports(center_id: int):
    """Close the reports an action answers: a correction, an unpublishing or a dismissal."""
    center = db.get_or_404(Center, center_id)
    form = ResolveReportsForm()
    if not form.validate_on_submit():
        return _queue_page({center_id: form}, 400)
    admin = signed_in_admin()
    if form.resolution.data == "unpublished":
        ids = [report.id for report in open_reports(db.session, center_id)]
        unpublish_center(db.session, center, form.reason.data, admin)
    else:
        ids = form.reports.data
    closed = resolve_reports(db.session, center, ids, form.resolution.data, admin)
    db.session.commit()
    count = f"{len(closed)} {'report' if len(closed) == 1 else 'reports'}"
    flash(f"{RESOLUTIONS[form.resolution.data]}: closed {count} on {center.name1}.", "success")
    return redirect(url_for("admin.reports"), 303)


@bp.get("/unverified")
def unverified_centers():
    """Published listings nobody has verified for LOCATOR_STALE_MONTHS months, oldest first."""
    months = int(current_app.config.get("LOCATOR_STALE_MONTHS", 18))
    source = (request.args.get("source") or "").strip()[:60]
    query = unverified_query(utcnow().date(), months, source)
    page = paginate(db.session, query, requested_page(request.args))
    return render_template("admin/unverified.html", page=page, months=months, source=source)
