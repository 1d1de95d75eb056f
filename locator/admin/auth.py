"""Signing in and out of the admin area, and the guard in front of every admin view.

Every request to the admin blueprint passes `require_admin` (except the sign-in page and the
admin stylesheet), so a view added later, such as the imports pages, is guarded without doing
anything. `admin_required` guards a view that lives outside the blueprint.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import UserMixin, current_user, login_user, logout_user

from locator.admin import bp
from locator.admin.account_store import OWNER, authenticate, end_sessions, totp_required
from locator.admin.forms import ActionForm, SignInForm
from locator.admin.signin_limits import SignInLimits
from locator.api.errors import error_response
from locator.extensions import db, login_manager
from locator.models import AdminUser
from locator.web.errors import wants_json

OPEN_ENDPOINTS = {"admin.sign_in", "admin.static", "admin.sign_in_code"}
WRONG_CREDENTIALS = "Email or password is not right."
TOO_MANY_FAILURES = (
    "Too many failed sign-ins. Wait 15 minutes, then try again. "
    "If you have forgotten your password, ask another admin to set a new one."
)
SESSION_ENDED = "Your session has ended. Sign in again to go on."
OWNERS_ONLY = "Only an owner of the admin area can open this page."
DEFAULT_IDLE_MINUTES = 30
DEFAULT_SESSION_HOURS = 12
# Writing the "last seen" time resends the cookie: once a minute is enough for the idle timeout.
SEEN_RESOLUTION_SECONDS = 60


class SignedInAdmin(UserMixin):
    """The signed-in account as Flask-Login sees it."""

    def __init__(self, admin: AdminUser) -> None:
        self.admin = admin
        self.id = admin.id
        self.email = admin.email
        self.role = admin.role

    @property
    def is_active(self) -> bool:
        """Only active accounts may use the admin area."""
        return self.admin.active

    @property
    def is_owner(self) -> bool:
        """Whether this admin manages the others and reads contact requests."""
        return self.role == OWNER

    def get_id(self) -> str:
        """The id kept in the session, with the account's session version (see load below)."""
        return f"{self.admin.id}.{self.admin.session_version}"


@login_manager.user_loader
def load_signed_in_admin(session_id: str) -> SignedInAdmin | None:
    """The active account a session names, or None when it is gone, inactive or revoked."""
    admin_id, _, version = session_id.partition(".")
    if not (admin_id.isascii() and admin_id.isdigit() and version.isascii() and version.isdigit()):
        return None
    admin = db.session.get(AdminUser, int(admin_id))
    if admin is None or not admin.active or admin.session_version != int(version):
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


def _session_expired(now: float) -> bool:
    """Idle past LOCATOR_ADMIN_IDLE_MINUTES, or older than LOCATOR_ADMIN_SESSION_HOURS."""
    config = current_app.config
    idle = 60 * float(config.get("LOCATOR_ADMIN_IDLE_MINUTES") or DEFAULT_IDLE_MINUTES)
    lifetime = 3600 * float(config.get("LOCATOR_ADMIN_SESSION_HOURS") or DEFAULT_SESSION_HOURS)
    since, seen = session.get("admin_since"), session.get("admin_seen")
    if not isinstance(since, int | float) or not isinstance(seen, int | float):
        return True
    return now - seen > idle or now - since > lifetime


@bp.before_request
def require_admin() -> Response | None:
    """Refuse the request unless an active admin is signed in and the session is current."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    now = time.time()
    if _session_expired(now):
        logout_user()
        session.clear()
        flash(SESSION_ENDED, "info")
        return login_manager.unauthorized()
    if now - session["admin_seen"] >= SEEN_RESOLUTION_SECONDS:
        session["admin_seen"] = int(now)
    return None


def admin_required(view):
    """Guard a view outside the admin blueprint like the blueprint's own views."""

    @wraps(view)
    def guarded(*args, **kwargs):
        return require_admin() or view(*args, **kwargs)

    return guarded


def owner_required(view):
    """Let only owners through (403 for editors); the blueprint's guard has run already."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_owner:
            if wants_admin_json():
                return error_response(403, OWNERS_ONLY)
            abort(403, OWNERS_ONLY)
        return view(*args, **kwargs)

    return guarded


def start_session(admin: AdminUser) -> None:
    """Sign `admin` in: a fresh session that carries nothing from before."""
    session.clear()
    login_user(SignedInAdmin(admin))
    session["admin_since"] = session["admin_seen"] = int(time.time())


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
    """The sign-in form; attempts are counted per account and address (see signin_limits)."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    if not form.validate_on_submit():
        return _sign_in_page(form, 400 if request.method == "POST" else 200)
    limits = SignInLimits(email=form.email.data, address=get_remote_address())
    if not limits.count_attempt():
        return _sign_in_page(form, 429, TOO_MANY_FAILURES)
    admin = authenticate(db.session, form.email.data, form.password.data)
    if admin is None:
        return _sign_in_page(form, 401, WRONG_CREDENTIALS)
    limits.forget_failures()
    target = safe_next(request.args.get("next"))
    if admin.totp_secret or totp_required(db.session):
        from locator.admin.two_step import begin_second_step

        return begin_second_step(admin, target)
    start_session(admin)
    return redirect(target, 303)


@bp.post("/sign-out")
def sign_out():
    """End every session of this account (POST with the form's token, so no other site can)."""
    if ActionForm().validate_on_submit():
        end_sessions(current_user.admin)  # a copy of the cookie is worth nothing from now on
        db.session.commit()
        logout_user()
        session.clear()
        flash("You are signed out.", "success")
    return redirect(url_for("admin.sign_in"), 303)


@bp.context_processor
def admin_template_context() -> dict:
    """Admin pages name the signed-in admin (loaded when a template first reads it)."""
    return {"current_user": current_user}


def init_login(app: Flask) -> None:
    """Bind Flask-Login to the app; a session is tied to the browser that signed in."""
    login_manager.session_protection = "strong"
    # Only admin pages name the signed-in admin: the public pages don't load the account
    # (Flask-Login's own context processor would, for every page rendered).
    login_manager.init_app(app, add_context_processor=False)
