"""Two-step sign-in: a code from an authenticator app (TOTP, RFC 6238) after the password.

An admin turns it on for their own account; an owner can make it compulsory for everyone
(`flask --app locator require-totp`, or the accounts page), and then an admin without it is
asked to set it up right after their password. The secret is shown as text and as an
`otpauth://` address to paste: no QR image, so nothing is sent to another site.
"""

from __future__ import annotations

import time

import pyotp
from flask import flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user

from locator.admin import bp
from locator.admin.account_store import totp_required
from locator.admin.auth import TOO_MANY_FAILURES, start_session
from locator.admin.forms import ActionForm, CodeForm
from locator.admin.signin_limits import SignInLimits, first_use_of_code
from locator.extensions import db
from locator.models import AdminUser

ISSUER = "locator admin"
PENDING_SECONDS = 300  # the password step is good for five minutes
WRONG_CODE = "That code is not right. Codes change every 30 seconds: enter the current one."


def new_secret() -> str:
    """A random base32 secret for an authenticator app."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads the secret from."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def code_is_valid(secret: str, code: str, admin_id: int) -> bool:
    """The current code (or the one just before or after), never the same code twice."""
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return False
    return pyotp.TOTP(secret).verify(code, valid_window=1) and first_use_of_code(admin_id, code)


def begin_second_step(admin: AdminUser, target: str):
    """After a correct password: remember who is half signed in, and ask for the code."""
    session.clear()
    session["pending_admin"] = {
        "id": admin.id,
        "version": admin.session_version,
        "at": int(time.time()),
        "next": target,
    }
    if not admin.totp_secret:  # compulsory, and not yet set up: set it up now
        session["pending_secret"] = new_secret()
    return redirect(url_for("admin.sign_in_code"), 303)


def _pending_admin() -> tuple[AdminUser | None, dict]:
    pending = session.get("pending_admin")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    admin = db.session.get(AdminUser, pending.get("id"))
    if admin is None or not admin.active or admin.session_version != pending.get("version"):
        return None, {}
    return admin, pending


@bp.route("/sign-in/code", methods=["GET", "POST"])
def sign_in_code():
    """The second step: the authenticator's code (or setting the app up, when compulsory)."""
    admin, pending = _pending_admin()
    if admin is None:
        session.pop("pending_admin", None)
        flash("Sign in again: the first step has expired.", "info")
        return redirect(url_for("admin.sign_in"))
    secret = admin.totp_secret or session.get("pending_secret") or ""
    form = CodeForm()
    status, message = 200, None
    if form.validate_on_submit():
        if not SignInLimits(email=admin.email, address=get_remote_address()).count_attempt():
            status, message = 429, TOO_MANY_FAILURES
        elif code_is_valid(secret, form.code.data, admin.id):
            if not admin.totp_secret:
                admin.totp_secret = secret
                db.session.commit()
            start_session(admin)
            return redirect(pending.get("next") or url_for("admin.dashboard"), 303)
        else:
            status, message = 401, WRONG_CODE
    elif request.method == "POST":
        status = 400
    setting_up = not admin.totp_secret
    page = render_template(
        "admin/two_step.html",
        form=form,
        message=message,
        setting_up=setting_up,
        secret=secret if setting_up else None,
        uri=provisioning_uri(secret, admin.email) if setting_up else None,
    )
    return page, status


@bp.route("/account/two-step", methods=["GET", "POST"])
def two_step_settings():
    """Turn two-step sign-in on for one's own account (or off, unless an owner requires it)."""
    admin = current_user.admin
    required = totp_required(db.session)
    action = request.form.get("action")
    if request.method == "POST" and action == "off" and ActionForm().validate_on_submit():
        if required:
            flash("Two-step sign-in is required for every admin: it can't be turned off.", "error")
        else:
            admin.totp_secret = None
            db.session.commit()
            flash("Two-step sign-in is off.", "success")
        return redirect(url_for("admin.two_step_settings"), 303)
    secret = session.get("enrol_secret") or new_secret()
    session["enrol_secret"] = secret
    form = CodeForm()
    status, message = 200, None
    if action == "on" and form.validate_on_submit():
        if code_is_valid(secret, form.code.data, admin.id):
            admin.totp_secret = secret
            db.session.commit()
            session.pop("enrol_secret", None)
            flash("Two-step sign-in is on: you'll be asked for a code at each sign-in.", "success")
            return redirect(url_for("admin.two_step_settings"), 303)
        status, message = 400, WRONG_CODE
    page = render_template(
        "admin/two_step_settings.html",
        form=form,
        message=message,
        enabled=bool(admin.totp_secret),
        required=required,
        secret=secret,
        uri=provisioning_uri(secret, admin.email),
        off_form=ActionForm(formdata=None),
    )
    return page, status
