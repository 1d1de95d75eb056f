"""Admin accounts: create them, set passwords, check a sign-in. No views, no Flask request state."""

from __future__ import annotations

import hashlib
import os
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from locator.models import AdminUser, utcnow

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # hashing a megabyte of "password" on every try would be a DoS
MAX_EMAIL_LENGTH = 254
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


def check_password(password: str) -> str:
    """The password, or AccountError when it is too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at most {MAX_PASSWORD_LENGTH} characters.")
    return password


def hash_password(password: str) -> str:
    """A salted scrypt hash; the password itself is never stored."""
    return generate_password_hash(password, method=HASH_METHOD)


def save_admin(session: Session, email: str, password: str) -> tuple[AdminUser, bool]:
    """Create the account, or set a new password on an existing one; True when created.

    Raises AccountError for an unusable email or password. The caller commits.
    """
    address = check_email(email)
    password_hash = hash_password(check_password(password))
    admin = find_admin(session, address)
    if admin is None:
        admin = AdminUser(email=address, password_hash=password_hash, active=True)
        session.add(admin)
        return admin, True
    admin.password_hash = password_hash
    return admin, False


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
    admin.last_login_at = utcnow()
    return admin


def session_fingerprint(admin: AdminUser) -> str:
    """A short digest of the password hash: a new password ends every older session."""
    return hashlib.sha256(admin.password_hash.encode()).hexdigest()[:16]
