"""The admin area's tables: accounts, settings changed while the site runs, the audit log."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from locator.extensions import db
from locator.models.clock import utcnow


class AdminUser(db.Model):
    """An account that may sign in to the admin area; only a password hash is stored."""

    __tablename__ = "admin_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(300))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "editor" imports and edits listings; "owner" also manages admins and reads contact requests.
    role: Mapped[str] = mapped_column(sa.String(16), default="editor")
    # Part of every session's id: raising it (sign-out, new password, deactivation) ends them all.
    session_version: Mapped[int] = mapped_column(default=0)
    # The base32 secret of two-step sign-in, once the admin has confirmed a code from it.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))


class AdminSetting(db.Model):
    """A setting of the admin area that an owner changes while the site runs (name → value)."""

    __tablename__ = "admin_setting"

    name: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(200), default="")


class AuditEntry(db.Model):
    """Who did what in the admin area, and when; edits keep the before and after."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    admin_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("admin_user.id", ondelete="SET NULL")
    )
    admin_email: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(40))
    target_type: Mapped[str] = mapped_column(sa.String(40), default="")
    target_id: Mapped[str] = mapped_column(sa.String(60), default="")
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
