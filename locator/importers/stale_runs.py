"""Import runs whose process died: left "running", they must read as not finished.

A worker killed in the middle of an import (SIGKILL, out of memory, a host restart) never
records an outcome, so its run would say "running" for ever. Every run beats (heartbeat.py):
one silent for longer than DEAD_AFTER is dead. `recover_dead_runs` takes back the batches a
dead apply had committed (undo.py) and marks the run "unfinished" with a sentence saying so.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.importers.heartbeat import DEAD_AFTER
from locator.models import ImportRun, utcnow

UNFINISHED_MESSAGE = (
    "The import stopped before it finished: its process gave no sign of life for a minute "
    "(it was stopped or ran out of memory). Nothing of it stays applied; run it again."
)


def _silent_since(cutoff) -> sa.ColumnElement[bool]:
    last = sa.func.coalesce(ImportRun.heartbeat_at, ImportRun.created_at)
    return (ImportRun.status == "running") & (last < cutoff)


def mark_stale_runs(session: Session, older_than: timedelta | None = None) -> int:
    """Mark runs silent for longer than `older_than` as "unfinished"; returns how many.

    Runs in the caller's transaction: the caller commits (starting a run commits at once).
    """
    cutoff = utcnow() - (DEAD_AFTER if older_than is None else older_than)
    result = session.execute(
        sa.update(ImportRun)
        .where(_silent_since(cutoff))
        .values(status="unfinished", error=UNFINISHED_MESSAGE, phase="")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def recover_dead_runs(session: Session, older_than: timedelta | None = None) -> int:
    """Undo what dead applies had committed, then mark every dead run; commits."""
    from locator.importers.undo import undo_run

    cutoff = utcnow() - (DEAD_AFTER if older_than is None else older_than)
    dead = session.scalars(
        sa.select(ImportRun.id).where(_silent_since(cutoff), ImportRun.dry_run.is_(False))
    ).all()
    for run_id in dead:
        undo_run(session, run_id)
    marked = mark_stale_runs(session, older_than)
    session.commit()
    return marked
