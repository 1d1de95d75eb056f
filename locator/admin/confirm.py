"""The page that asks an admin to confirm a deletion before anything is deleted."""

from __future__ import annotations

from flask import render_template

from locator.admin.forms import ActionForm


def confirmation_page(title: str, explanation: str, action: str, cancel: str) -> str | None:
    """The page asking to confirm, or None once the admin has confirmed (a valid POST)."""
    form = ActionForm()
    if form.validate_on_submit():
        return None
    return render_template(
        "admin/confirm_delete.html",
        form=form,
        title=title,
        explanation=explanation,
        action=action,
        cancel=cancel,
    )
