"""What visitors send the admins: requests to be contacted and reports of wrong listings."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from locator.extensions import db
from locator.models.clock import utcnow


class ListingReport(db.Model):
    """A visitor's report that a listing is wrong; admins alone read these.

    The optional email address is erased when the report is resolved.
    """

    __tablename__ = "listing_report"
    __table_args__ = (sa.Index("ix_listing_report_status_center", "status", "center_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(
        sa.ForeignKey("center.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "closed", "wrong_phone", "wrong_address", "services_changed" or "other"
    kind: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    # "open", then "resolved"; resolution says how: "edited", "unpublished" or "dismissed".
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    resolution: Mapped[str] = mapped_column(sa.String(20), default="")
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolved_by: Mapped[str] = mapped_column(sa.String(254), default="")


class ContactRequest(db.Model):
    """A person's request to be contacted, from the public form. Admins alone read these."""

    __tablename__ = "contact_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    best_time: Mapped[str] = mapped_column(sa.String(40), default="")
    for_whom: Mapped[str] = mapped_column(sa.String(20), default="me")
    message: Mapped[str] = mapped_column(sa.Text, default="")
    consent: Mapped[bool] = mapped_column(default=False)
    handled: Mapped[bool] = mapped_column(default=False)
    handled_at: Mapped[datetime | None] = mapped_column()
    # When the admins were told by email that this request waits (None: not yet, or mail off).
    notified_at: Mapped[datetime | None] = mapped_column()
    notify_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
