"""Admin accounts: create them, set passwords, check a sign-in. No views, no Flask request state."""

from __future__ import annotations

import os
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from locator.models import AdminSetting, AdminUser

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # hashing a megabyte of "password" on every try would be a DoS
MAX_EMAIL_LENGTH = 254
# zxcvbn's scale: 0-2 fall to an online or a fast offline guessing attack (common passwords,
# keyboard walks, repeats, names with a year); 3 and 4 do not.
MIN_PASSWORD_SCORE = 3
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; a longer password is judged by its start
OWNER, EDITOR = "owner", "editor"
ROLES = (OWNER, EDITOR)
REQUIRE_TOTP = "require_totp"
# werkzeug's scrypt defaults (n=2**15, r=8, p=1); the test suite names a cheaper cost so that
# its hundreds of sign-ins stay quick. Production never sets this.
HASH_METHOD = os.environ.get("LOCATOR_PASSWORD_HASH_METHOD") or "scrypt"


class AccountError(ValueError):
    """An email or password that can't be used, with a message a person can act on."""


def normalize_email(email: str) -> str:
    """The form an email is stored and looked up in: trimmed and lower-case."""
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    """The normalized email, or AccountError when it can't be an address."""
    address = normalize_email(email)
    local, at, domain = address.partition("@")
    if not at or not local or "." not in domain or any(ch.isspace() for ch in address):
        raise AccountError(f"{email!r} is not an email address.")
    if len(address) > MAX_EMAIL_LENGTH:
        raise AccountError(f"An email address has at most {MAX_EMAIL_LENGTH} characters.")
    return address


def check_password(password: str, email: str = "") -> str:
    """The password, or AccountError when it is too short, too long or easy to guess."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at most {MAX_PASSWORD_LENGTH} characters.")
    local_part = normalize_email(email).partition("@")[0]
    strength = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[local_part, "locator", "admin"])
    if strength["score"] < MIN_PASSWORD_SCORE:
        warning = strength["feedback"].get("warning") or "It is too easy to guess."
        raise AccountError(
            f"Choose a harder password: {warning.rstrip('.')}. A few unrelated words make a "
            "strong one that is easy to remember."
        )
    return password


def check_role(role: str) -> str:
    """The role, or AccountError when it is not one of ROLES."""
    if role not in ROLES:
        raise AccountError(f"A role is {' or '.join(ROLES)}, not {role!r}.")
    return role


def hash_password(password: str) -> str:
    """A salted scrypt hash; the password itself is never stored."""
    return generate_password_hash(password, method=HASH_METHOD)


def save_admin(
    session: Session, email: str, password: str, role: str | None = None
) -> tuple[AdminUser, bool]:
    """Create the account, or set a new password (and role, if given) on one; True when created.

    A new account is an owner when no active owner exists yet, else an editor, unless `role`
    says. A new password ends the account's sessions. Raises AccountError for an unusable
    email, password or role. The caller commits.
    """
    address = check_email(email)
    password_hash = hash_password(check_password(password, address))
    admin = find_admin(session, address)
    if admin is None:
        role = check_role(role) if role else (EDITOR if has_active_owner(session) else OWNER)
        admin = AdminUser(
            email=address, password_hash=password_hash, active=True, role=role, session_version=0
        )
        session.add(admin)
        return admin, True
    admin.password_hash = password_hash
    if role:
        admin.role = check_role(role)
    end_sessions(admin)
    return admin, False


def has_active_owner(session: Session) -> bool:
    """Whether some active account may manage the others."""
    query = sa.select(AdminUser.id).where(AdminUser.role == OWNER, AdminUser.active.is_(True))
    return session.scalar(query.limit(1)) is not None


def end_sessions(admin: AdminUser) -> None:
    """Make every session of this account invalid from its next request on."""
    admin.session_version = (admin.session_version or 0) + 1


def deactivate_admin(session: Session, admin: AdminUser) -> None:
    """Stop the account signing in, and end its sessions now. The caller commits."""
    admin.active = False
    end_sessions(admin)


def totp_required(session: Session) -> bool:
    """Whether an owner has made two-step sign-in compulsory for every admin."""
    setting = session.get(AdminSetting, REQUIRE_TOTP)
    return setting is not None and setting.value == "yes"


def set_totp_required(session: Session, required: bool) -> None:
    """Make two-step sign-in compulsory, or optional again. The caller commits."""
    setting = session.get(AdminSetting, REQUIRE_TOTP)
    if setting is None:
        setting = AdminSetting(name=REQUIRE_TOTP)
        session.add(setting)
    setting.value = "yes" if required else "no"


def find_admin(session: Session, email: str) -> AdminUser | None:
    """The account with this email, active or not."""
    return session.scalar(sa.select(AdminUser).where(AdminUser.email == normalize_email(email)))


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-only-for-equal-timing")


def authenticate(session: Session, email: str, password: str) -> AdminUser | None:
    """The active account whose password this is, or None.

    An unknown or inactive account still costs one hash check, so the time taken does not
    tell whether the account exists.
    """
    admin = find_admin(session, email) if len(email) <= MAX_EMAIL_LENGTH else None
    if admin is None or not admin.active or len(password) > MAX_PASSWORD_LENGTH:
        check_password_hash(_dummy_hash(), password[:MAX_PASSWORD_LENGTH])
        return None
    if not check_password_hash(admin.password_hash, password):
        return None
    # Nothing is written: a sign-in must not wait for the database's write lock (which an
    # import's apply holds on SQLite).
    return admin
