"""The record of imports: each run, and each center it adds, changes or unpublishes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from locator.extensions import db
from locator.models.clock import utcnow


class ImportRun(db.Model):
    """One import of a listings file: what, by whom, with what result."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column()
    admin_email: Mapped[str] = mapped_column(sa.String(254), default="")
    source: Mapped[str] = mapped_column(sa.String(60), default="")
    file_name: Mapped[str] = mapped_column(sa.String(300), default="")
    file_size: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    format: Mapped[str] = mapped_column(sa.String(40), default="")
    # "running", "previewed", "applied", "failed" or "unfinished"
    status: Mapped[str] = mapped_column(sa.String(20), default="running")
    dry_run: Mapped[bool] = mapped_column(default=True)
    full_refresh: Mapped[bool] = mapped_column(default=False)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int | None] = mapped_column()
    counts: Mapped[dict | None] = mapped_column(sa.JSON)
    rejected: Mapped[list | None] = mapped_column(sa.JSON)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    duration_seconds: Mapped[float | None] = mapped_column(sa.Float)
    # The job: what it is doing now ("queued", "reading", "matching", "writing", "indexing",
    # "undoing") and when it last said it is alive; a run silent for a minute is dead.
    phase: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column()
    admin_id: Mapped[int | None] = mapped_column()
    # The uploads' folder under instance/imports/, and the names people gave the files.
    upload_token: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    file_names: Mapped[list | None] = mapped_column(sa.JSON)
    # A preview's secret, asked back by its apply, and the directory as the preview saw it.
    preview_token: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    directory_fingerprint: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    preview_run_id: Mapped[int | None] = mapped_column()
    # The apply that used this preview, once there is one.
    applied_by_run_id: Mapped[int | None] = mapped_column()
    # HSDS: only services with these taxonomy terms (as the admin typed them).
    taxonomy_terms: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")


class ImportChange(db.Model):
    """One center an import adds, changes or unpublishes, with the fields before and after.

    A preview's rows are what the admin reviews; an apply's rows are written in the same
    transaction as the batch they describe, so they are also the record that undoes it.
    """

    __tablename__ = "import_change"
    __table_args__ = (sa.Index("ix_import_change_run_kind", "run_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("import_run.id", ondelete="CASCADE"))
    # "new", "changed", "gone" (unpublished by a full refresh) or "matched" (across sources)
    kind: Mapped[str] = mapped_column(sa.String(12))
    center_id: Mapped[int | None] = mapped_column()
    line: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(300), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    state: Mapped[str] = mapped_column(sa.String(2), default="")
    # [[field, before, after], ...] as JSON-ready text and numbers
    diffs: Mapped[list | None] = mapped_column(sa.JSON)
