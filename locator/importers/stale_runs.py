"""Import runs whose process died: left "running", they must read as not finished.

A worker killed in the middle of an import (SIGKILL, out of memory, a host restart) never
records an outcome, so its run would say "running" for ever. Nothing of such a run was
applied: an apply writes every listing in one transaction, which the database rolls back when
the connection dies, and a preview writes no listing at all. The run record carries no
heartbeat, so a run is taken for dead once it has been "running" longer than any import
takes (see `STALE_AFTER`); it is then marked "unfinished" with a sentence saying so.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.models import ImportRun, utcnow

# The largest federal export (about 20,000 rows) imports in minutes; two hours is far beyond
# any live run, so a run this old was left behind by a process that died.
STALE_AFTER = timedelta(hours=2)
UNFINISHED_MESSAGE = (
    "The import stopped before it finished: its process ended without recording an outcome "
    "(it was stopped or ran out of memory). Nothing of it was applied; run it again."
)


def mark_stale_runs(session: Session, older_than: timedelta | None = None) -> int:
    """Mark runs "running" for longer than `older_than` as "unfinished"; returns how many.

    Runs in the caller's transaction: the caller commits (starting a run commits at once).
    """
    cutoff = utcnow() - (STALE_AFTER if older_than is None else older_than)
    result = session.execute(
        sa.update(ImportRun)
        .where(ImportRun.status == "running", ImportRun.created_at < cutoff)
        .values(status="unfinished", error=UNFINISHED_MESSAGE)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
