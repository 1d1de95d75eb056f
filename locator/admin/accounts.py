"""The owners' page of admin accounts: roles, deactivation, and compulsory two-step sign-in.

New accounts and new passwords are made with `flask --app locator create-admin` (a password
never passes through a web form). Every change here is in the audit log.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for

from locator.admin import bp
from locator.admin.account_store import (
    OWNER,
    ROLES,
    deactivate_admin,
    end_sessions,
    set_totp_required,
    totp_required,
)
from locator.admin.audit import record_audit
from locator.admin.auth import owner_required, signed_in_admin
from locator.admin.forms import ActionForm
from locator.extensions import db
from locator.models import AdminUser


def _checked_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400, "This form has expired. Reload the page and try again.")


def _back(message: str, category: str = "success"):
    flash(message, category)
    return redirect(url_for("admin.accounts"), 303)


def _other_active_owner(admin: AdminUser) -> bool:
    query = sa.select(AdminUser.id).where(
        AdminUser.role == OWNER, AdminUser.active.is_(True), AdminUser.id != admin.id
    )
    return db.session.scalar(query.limit(1)) is not None


@bp.get("/accounts")
@owner_required
def accounts():
    """Every admin account with its role, state and two-step sign-in."""
    admins = db.session.scalars(sa.select(AdminUser).order_by(AdminUser.email)).all()
    return render_template(
        "admin/accounts.html",
        admins=admins,
        roles=ROLES,
        required=totp_required(db.session),
        action_form=ActionForm(formdata=None),
    )


@bp.post("/accounts/<int:admin_id>/role")
@owner_required
def change_role(admin_id: int):
    """Make an account an owner or an editor (the last active owner stays an owner)."""
    _checked_form()
    admin = db.get_or_404(AdminUser, admin_id)
    role = request.form.get("role", "")
    if role not in ROLES:
        abort(400, f"Choose a role: {' or '.join(ROLES)}.")
    if admin.role == OWNER and role != OWNER and not _other_active_owner(admin):
        return _back(
            "The last owner can't become an editor: make someone else an owner first.", "error"
        )
    if role != admin.role:
        before = {"role": admin.role}
        admin.role = role
        end_sessions(admin)  # the new role applies from a fresh sign-in
        record_audit(
            db.session,
            signed_in_admin(),
            "admin.role",
            "admin_user",
            admin.id,
            f"Made {admin.email} an {role}" if role == OWNER else f"Made {admin.email} an editor",
            before,
            {"role": role},
        )
        db.session.commit()
    return _back(f"{admin.email} is an {role}.")


@bp.post("/accounts/<int:admin_id>/active")
@owner_required
def change_active(admin_id: int):
    """Deactivate an account (its sessions end at once), or let it sign in again."""
    _checked_form()
    admin = db.get_or_404(AdminUser, admin_id)
    activate = request.form.get("active") == "yes"
    if not activate and admin.role == OWNER and not _other_active_owner(admin):
        return _back("The last active owner can't be deactivated.", "error")
    if activate != admin.active:
        if activate:
            admin.active = True
        else:
            deactivate_admin(db.session, admin)
        verb = "Reactivated" if activate else "Deactivated"
        record_audit(
            db.session,
            signed_in_admin(),
            "admin.active",
            "admin_user",
            admin.id,
            f"{verb} {admin.email}",
            {"active": not activate},
            {"active": activate},
        )
        db.session.commit()
    return _back(f"{admin.email} is {'active' if activate else 'deactivated'}.")


@bp.post("/accounts/two-step")
@owner_required
def change_two_step_requirement():
    """Make two-step sign-in compulsory for every admin, or optional again."""
    _checked_form()
    required = request.form.get("required") == "yes"
    if required != totp_required(db.session):
        set_totp_required(db.session, required)
        record_audit(
            db.session,
            signed_in_admin(),
            "admin.require_totp",
            "setting",
            "require_totp",
            "Required two-step sign-in" if required else "Made two-step sign-in optional",
            {"required": not required},
            {"required": required},
        )
        db.session.commit()
    return _back(
        "Two-step sign-in is now required for every admin."
        if required
        else "Two-step sign-in is now optional."
    )
