"""Contact requests from the public form: the only place their details are shown (owners only).

Audit entries name a request by its id alone; the person's details never enter the log.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for

from locator.admin import bp
from locator.admin.audit import record_audit
from locator.admin.auth import owner_required, signed_in_admin
from locator.admin.confirm import confirmation_page
from locator.admin.forms import ActionForm
from locator.admin.pagination import paginate, requested_page
from locator.extensions import db
from locator.inbox.contact_requests import BEST_TIME_LABELS, FOR_WHOM_LABELS
from locator.models import ContactRequest, utcnow


@bp.get("/contact-requests")
@owner_required
def contact_requests():
    """The requests to be contacted, newest first, 50 a page."""
    query = sa.select(ContactRequest).order_by(
        ContactRequest.created_at.desc(), ContactRequest.id.desc()
    )
    page = paginate(db.session, query, requested_page(request.args))
    return render_template(
        "admin/contact_requests.html",
        page=page,
        action_form=ActionForm(formdata=None),
        best_time_labels=BEST_TIME_LABELS,
        for_whom_labels=FOR_WHOM_LABELS,
    )


def _back_to_list(message: str):
    flash(message, "success")
    return redirect(url_for("admin.contact_requests"), 303)


@bp.post("/contact-requests/<int:request_id>/handled")
@owner_required
def mark_contact_request_handled(request_id: int):
    """Mark a request handled: someone has answered it."""
    if not ActionForm().validate_on_submit():
        abort(400, "This form has expired. Reload the page and try again.")
    contact = db.get_or_404(ContactRequest, request_id)
    if contact.handled:
        return _back_to_list(f"Request {request_id} was already marked handled.")
    contact.handled, contact.handled_at = True, utcnow()
    record_audit(
        db.session,
        signed_in_admin(),
        "contact_request.handled",
        "contact_request",
        request_id,
        f"Marked contact request {request_id} handled",
        {"handled": False},
        {"handled": True},
    )
    db.session.commit()
    return _back_to_list(f"Request {request_id} marked handled.")


@bp.route("/contact-requests/<int:request_id>/delete", methods=["GET", "POST"])
@owner_required
def delete_contact_request(request_id: int):
    """Ask to confirm, then delete a request and the person's details with it."""
    contact = db.get_or_404(ContactRequest, request_id)
    page = confirmation_page(
        title=f"Delete contact request {request_id}?",
        explanation="The person's details are erased for good. The audit log keeps only "
        "the request's number.",
        action=url_for("admin.delete_contact_request", request_id=request_id),
        cancel=url_for("admin.contact_requests"),
    )
    if page is not None:
        return page
    db.session.delete(contact)
    summary = f"Deleted contact request {request_id}"
    record_audit(
        db.session,
        signed_in_admin(),
        "contact_request.delete",
        "contact_request",
        request_id,
        summary,
    )
    db.session.commit()
    return _back_to_list(f"Request {request_id} deleted.")
