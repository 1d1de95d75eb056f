"""'Report a problem with this listing': the form, its checks, and what happens next."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, url_for

from locator import search
from locator.extensions import db, limiter
from locator.inbox.listing_reports import REPORT_KINDS, store_report
from locator.public import bp
from locator.public.report_form import MAX_NOTE, ReportForm
from locator.read_replica import read_session
from locator.web.templating import DIRECTORY_SOURCE


def report_rate_limit() -> str:
    """The per-address limit on sending reports, from the settings."""
    return current_app.config["LOCATOR_REPORT_RATE_LIMIT"]


def counts_against_limit(response: Response) -> bool:
    """Every sending counts but one sent back to fix a mistake."""
    return response.status_code != 400


def _published_or_404(slug: str, session=None):
    center = search.published_center(session or read_session(), slug=slug)
    if center is None:
        abort(404)
    return center


def render_report_form(center, form: ReportForm, status: int = 200):
    """The form page for one listing."""
    page = render_template(
        "public/report_problem.html",
        center=center,
        form=form,
        kinds=REPORT_KINDS,
        max_note=MAX_NOTE,
    )
    return page, status


@bp.get("/centers/<slug>/report")
def report_problem(slug: str):
    """The form for saying a listing is wrong."""
    return render_report_form(_published_or_404(slug), ReportForm())


@bp.post("/centers/<slug>/report")
@limiter.limit(report_rate_limit, deduct_when=counts_against_limit)
def report_problem_submit(slug: str):
    """Check and store a report, then redirect to what happens next (POST, redirect, GET)."""
    center = _published_or_404(slug, db.session)
    form = ReportForm()
    if form.is_bot:
        # Answer a bot exactly as a person, so that it learns nothing; keep nothing.
        return redirect(url_for("public.report_sent", slug=slug), 303)
    if not form.validate():
        return render_report_form(center, form, 400)
    store_report(db.session, center.id, form.kind.data, form.note.data, form.email.data)
    db.session.commit()
    return redirect(url_for("public.report_sent", slug=slug), 303)


@bp.get("/centers/<slug>/report/sent")
def report_sent(slug: str):
    """What happens to the report, and what to do in the meantime."""
    return render_template("public/report_sent.html", center=_published_or_404(slug))


@bp.app_template_global("listing_edition")
def listing_edition(source: str) -> str:
    """The directory edition a listing comes from: the National Directory's, else ""."""
    if source != DIRECTORY_SOURCE:
        return ""
    return str(current_app.config.get("LOCATOR_DIRECTORY_EDITION") or "")
