"""ImportRun bookkeeping: the record of every import, its progress, and the apply lock."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.importers.files import ImportFileError
from locator.importers.report import ImportReport
from locator.importers.stale_runs import recover_dead_runs
from locator.models import ImportRun, utcnow

BUSY_MESSAGE = "Another import is being applied; try again when it finishes."
ADVISORY_LOCK_KEY = 7_402_331  # any fixed number: PostgreSQL's lock for applying imports


class ImportBusyError(ImportFileError):
    """Another import is being applied right now."""


def start_run(session: Session, **fields) -> int:
    """Record a new run as "running" and commit, so that it is visible at once."""
    recover_dead_runs(session)  # runs whose process died are undone and read "unfinished"
    run = ImportRun(status="running", started_at=utcnow(), heartbeat_at=utcnow(), **fields)
    session.add(run)
    session.commit()
    return run.id


def resume_run(session: Session, run_id: int) -> None:
    """Mark a queued run (made at upload) as running now that a job has picked it up."""
    recover_dead_runs(session)
    run = session.get(ImportRun, run_id)
    run.status, run.started_at, run.heartbeat_at = "running", utcnow(), utcnow()
    session.commit()


def claim_apply_lock(session: Session, run_id: int) -> None:
    """Refuse to apply while an older apply is running; hold PostgreSQL's lock until commit.

    Every apply records itself as "running" before it asks, so of two that start together the
    younger sees the older and stops. On PostgreSQL, whose ids are handed out before commit,
    a transaction-level advisory lock closes the remaining gap.
    """
    running = (ImportRun.status == "running") & ImportRun.dry_run.is_(False)
    older = session.scalar(sa.select(sa.func.count()).where(running, ImportRun.id < run_id))
    if older:
        raise ImportBusyError(BUSY_MESSAGE)
    if session.get_bind().dialect.name == "postgresql":
        locked = session.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(ADVISORY_LOCK_KEY)))
        if not locked:
            raise ImportBusyError(BUSY_MESSAGE)


def finish_run(session: Session, run_id: int, report: ImportReport, status: str) -> None:
    """Store the outcome in the caller's transaction (committed with the listings)."""
    run = session.get(ImportRun, run_id)
    run.status, run.phase = status, ""
    run.finished_at = utcnow()
    run.format, run.source = report.format, report.source
    run.counts = dict(report.counts)
    run.rejected = report.kept_rows()
    run.rows_done = report.counts["rows"]
    run.duration_seconds = round(report.duration_seconds, 3)


def fail_run(session: Session, run_id: int, message: str, report: ImportReport | None) -> None:
    """After a rollback, record the failure in a transaction of its own."""
    run = session.get(ImportRun, run_id)
    run.status, run.phase = "failed", ""
    run.finished_at = utcnow()
    run.error = message[:5000]
    if report is not None:
        run.format, run.source = report.format, report.source
        run.counts = dict(report.counts)
        run.rejected = report.kept_rows()
        run.duration_seconds = round(report.duration_seconds, 3)
    session.commit()
