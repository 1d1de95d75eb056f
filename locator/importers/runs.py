"""ImportRun bookkeeping: the record of every import, its progress, and the apply lock."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.importers.files import ImportFileError
from locator.importers.report import ImportReport
from locator.importers.stale_runs import mark_stale_runs
from locator.models import ImportRun, utcnow

BUSY_MESSAGE = "Another import is being applied; try again when it finishes."
# A run still "running" after this long died without saying so (the process was killed).
STALE_AFTER = timedelta(hours=2)
ADVISORY_LOCK_KEY = 7_402_331  # any fixed number: PostgreSQL's lock for applying imports


class ImportBusyError(ImportFileError):
    """Another import is being applied right now."""


def start_run(session: Session, **fields) -> int:
    """Record a new run as "running" and commit, so that it is visible at once."""
    mark_stale_runs(session)  # runs whose process died now read "unfinished"
    run = ImportRun(status="running", **fields)
    session.add(run)
    session.commit()
    return run.id


def claim_apply_lock(session: Session, run_id: int) -> None:
    """Refuse to apply while an older apply is running; hold PostgreSQL's lock until commit.

    Every apply records itself as "running" before it asks, so of two that start together the
    younger sees the older and stops. On PostgreSQL, whose ids are handed out before commit,
    a transaction-level advisory lock closes the remaining gap.
    """
    cutoff = utcnow() - STALE_AFTER
    running = (ImportRun.status == "running") & ImportRun.dry_run.is_(False)
    session.execute(
        sa.update(ImportRun)
        .where(running, ImportRun.created_at < cutoff)
        .values(status="unfinished", error="The import stopped before it finished.")
    )
    older = session.scalar(sa.select(sa.func.count()).where(running, ImportRun.id < run_id))
    if older:
        raise ImportBusyError(BUSY_MESSAGE)
    if session.get_bind().dialect.name == "postgresql":
        locked = session.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(ADVISORY_LOCK_KEY)))
        if not locked:
            raise ImportBusyError(BUSY_MESSAGE)


def record_progress(session: Session, run_id: int, done: int, total: int | None, *, applying: bool):
    """Store rows_done/rows_total where others can read them, never committing listings.

    A preview commits on the session (it holds no listing changes). An apply writes through
    its own short transaction on PostgreSQL; SQLite allows one writer at a time, so there an
    apply reports its progress through the callback only.
    """
    values = {"rows_done": done, "rows_total": total}
    statement = sa.update(ImportRun).where(ImportRun.id == run_id).values(**values)
    if not applying:
        session.execute(statement)
        session.commit()
        return
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            connection.execute(statement)


def finish_run(session: Session, run_id: int, report: ImportReport, status: str) -> None:
    """Store the outcome in the caller's transaction (committed with the listings)."""
    run = session.get(ImportRun, run_id)
    run.status = status
    run.finished_at = utcnow()
    run.format, run.source = report.format, report.source
    run.counts = dict(report.counts)
    run.rejected = report.kept_rows()
    run.rows_done = report.counts["rows"]
    run.duration_seconds = round(report.duration_seconds, 3)


def fail_run(session: Session, run_id: int, message: str, report: ImportReport | None) -> None:
    """After a rollback, record the failure in a transaction of its own."""
    run = session.get(ImportRun, run_id)
    run.status = "failed"
    run.finished_at = utcnow()
    run.error = message[:5000]
    if report is not None:
        run.format, run.source = report.format, report.source
        run.counts = dict(report.counts)
        run.rejected = report.kept_rows()
        run.duration_seconds = round(report.duration_seconds, 3)
    session.commit()
