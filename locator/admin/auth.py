"""Signing in and out of the admin area, and the guard in front of every admin view.

Every request to the admin blueprint passes `require_admin` (except the sign-in page and the
admin stylesheet), so a view added later, such as the imports pages, is guarded without doing
anything. `admin_required` guards a view that lives outside the blueprint.
"""

from __future__ import annotations

import hmac
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, Response, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import UserMixin, current_user, login_user, logout_user

from locator.admin import bp
from locator.admin.forms import ActionForm, SignInForm
from locator.admin.signin_limits import SignInLimits
from locator.admin_accounts import authenticate, session_fingerprint
from locator.api.errors import error_response
from locator.errors import wants_json
from locator.extensions import db, login_manager
from locator.models import AdminUser

OPEN_ENDPOINTS = {"admin.sign_in", "admin.static"}
WRONG_CREDENTIALS = "Email or password is not right."
TOO_MANY_FAILURES = (
    "Too many failed sign-ins. Wait 15 minutes, then try again. "
    "If you have forgotten your password, ask another admin to set a new one."
)


class SignedInAdmin(UserMixin):
    """The signed-in account as Flask-Login sees it."""

    def __init__(self, admin: AdminUser) -> None:
        self.admin = admin
        self.id = admin.id
        self.email = admin.email

    @property
    def is_active(self) -> bool:
        """Only active accounts may use the admin area."""
        return self.admin.active

    def get_id(self) -> str:
        """The id kept in the session, tied to the password so a new one ends old sessions."""
        return f"{self.admin.id}.{session_fingerprint(self.admin)}"


@login_manager.user_loader
def load_signed_in_admin(session_id: str) -> SignedInAdmin | None:
    """The active account a session names, or None when it is gone, inactive or re-keyed."""
    admin_id, _, fingerprint = session_id.partition(".")
    if not admin_id.isdigit():
        return None
    admin = db.session.get(AdminUser, int(admin_id))
    if admin is None or not admin.active:
        return None
    if not hmac.compare_digest(session_fingerprint(admin), fingerprint):
        return None
    return SignedInAdmin(admin)


def wants_admin_json() -> bool:
    """Admin API paths, and clients that prefer JSON, get JSON answers."""
    return request.path.startswith("/admin/api/") or wants_json()


@login_manager.unauthorized_handler
def answer_unauthorized() -> Response:
    """401 JSON for programs; for people, the sign-in page, then back to where they were."""
    if wants_admin_json():
        return error_response(401, "Sign in to the admin area first.")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("admin.sign_in", next=target))


@bp.before_request
def require_admin() -> Response | None:
    """Refuse the request unless an active admin is signed in."""
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def admin_required(view):
    """Guard a view outside the admin blueprint like the blueprint's own views."""

    @wraps(view)
    def guarded(*args, **kwargs):
        return require_admin() or view(*args, **kwargs)

    return guarded


def signed_in_admin() -> AdminUser:
    """The AdminUser row of the signed-in admin (only call behind the guard)."""
    return current_user.admin


@bp.after_request
def keep_private(response: Response) -> Response:
    """Admin pages hold contact details: never cached, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else the dashboard (no open redirects)."""
    fallback = url_for("admin.dashboard")
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    # Browsers read "\" as "/" and drop tabs and line breaks, so "/\evil.com" and
    # "/\t/evil.com" would leave the site.
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return fallback
    parts = urlsplit(target)
    return fallback if parts.scheme or parts.netloc else target


def _sign_in_page(form: SignInForm, status: int, message: str | None = None):
    next_target = request.args.get("next")
    action = url_for("admin.sign_in", next=next_target if next_target else None)
    page = render_template("admin/sign_in.html", form=form, message=message, action=action)
    return page, status


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """The sign-in form; failures are counted per account and per address."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    if not form.validate_on_submit():
        return _sign_in_page(form, 400 if request.method == "POST" else 200)
    limits = SignInLimits(email=form.email.data, address=get_remote_address())
    if limits.exceeded():
        return _sign_in_page(form, 429, TOO_MANY_FAILURES)
    admin = authenticate(db.session, form.email.data, form.password.data)
    if admin is None:
        limits.record_failure()
        return _sign_in_page(form, 401, WRONG_CREDENTIALS)
    db.session.commit()  # keeps last_login_at
    limits.forget_account_failures()
    session.clear()  # nothing from before the sign-in carries over into the admin session
    login_user(SignedInAdmin(admin))
    return redirect(safe_next(request.args.get("next")), 303)


@bp.post("/sign-out")
def sign_out():
    """End the session (POST with the form's token, so no other site can sign you out)."""
    if ActionForm().validate_on_submit():
        logout_user()
        session.clear()
        flash("You are signed out.", "success")
    return redirect(url_for("admin.sign_in"), 303)


def init_login(app: Flask) -> None:
    """Bind Flask-Login to the app; a session is tied to the browser that signed in."""
    login_manager.session_protection = "strong"
    login_manager.init_app(app)
