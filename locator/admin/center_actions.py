"""One-button actions on a listing: publish, unpublish, mark verified, delete (POST + CSRF)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from locator.admin import bp
from locator.admin.auth import signed_in_admin
from locator.admin.center_changes import (
    CannotPublish,
    delete_center,
    mark_verified,
    publish_center,
    unpublish_center,
)
from locator.admin.centers import edit_form, render_edit_page
from locator.admin.confirm import confirmation_page
from locator.admin.forms import ActionForm, UnpublishForm
from locator.extensions import db
from locator.models import Center, utcnow


def _back_to_edit(center_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("admin.edit_center", center_id=center_id), 303)


def _checked_action_form() -> None:
    # CSRFProtect refuses a missing token before the view runs; this keeps the rule local too.
    if not ActionForm().validate_on_submit():
        abort(400, "This form has expired. Reload the page and try again.")


@bp.post("/centers/<int:center_id>/publish")
def publish_listing(center_id: int):
    """Show the listing on the public site; refused (409) while it has no coordinates."""
    _checked_action_form()
    center = db.get_or_404(Center, center_id)
    try:
        entry = publish_center(db.session, center, signed_in_admin())
    except CannotPublish as refusal:
        db.session.rollback()
        return render_edit_page(center, edit_form(center), 409, notice=str(refusal))
    db.session.commit()
    return _back_to_edit(center_id, "Published." if entry else "It was already published.")


@bp.post("/centers/<int:center_id>/unpublish")
def unpublish_listing(center_id: int):
    """Take the listing off the public site, with the reason given."""
    center = db.get_or_404(Center, center_id)
    form = UnpublishForm()
    if not form.validate_on_submit():
        return render_edit_page(center, edit_form(center), 400, unpublish_form=form)
    entry = unpublish_center(db.session, center, form.reason.data, signed_in_admin())
    db.session.commit()
    return _back_to_edit(center_id, "Unpublished." if entry else "It was already unpublished.")


@bp.post("/centers/<int:center_id>/verify")
def verify_listing(center_id: int):
    """Record that the listing's details were checked today."""
    _checked_action_form()
    center = db.get_or_404(Center, center_id)
    entry = mark_verified(db.session, center, utcnow().date(), signed_in_admin())
    db.session.commit()
    return _back_to_edit(
        center_id, "Marked verified today." if entry else "Already verified today."
    )


@bp.route("/centers/<int:center_id>/delete", methods=["GET", "POST"])
def delete_listing(center_id: int):
    """Ask to confirm, then delete the listing for good."""
    center = db.get_or_404(Center, center_id)
    page = confirmation_page(
        title=f"Delete {center.display_name}?",
        explanation="The listing leaves the public site and the database at once. "
        "The audit log keeps a copy of its fields.",
        action=url_for("admin.delete_listing", center_id=center_id),
        cancel=url_for("admin.edit_center", center_id=center_id),
    )
    if page is not None:
        return page
    name = center.display_name
    delete_center(db.session, center, signed_in_admin())
    db.session.commit()
    flash(f"Deleted {name}.", "success")
    return redirect(url_for("admin.centers"), 303)
