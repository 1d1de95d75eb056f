"""A run's heartbeat: a thread that writes its phase and progress every second.

The run record is written through a connection of its own, in a transaction of a few
milliseconds, so the progress page moves even while the run's own transaction is open, and
a run whose heartbeat is older than DEAD_AFTER belongs to a process that died.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from locator.models import ImportRun, utcnow

BEAT_SECONDS = 1.0
DEAD_AFTER = timedelta(minutes=1)
log = logging.getLogger(__name__)


class Heartbeat:
    """Keeps a run's heartbeat_at, phase, rows_done and rows_total fresh until stopped."""

    def __init__(self, engine: sa.Engine, run_id: int) -> None:
        self.engine, self.run_id = engine, run_id
        self.phase, self.done, self.total = "reading", 0, None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{run_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.beat()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def progress(self, done: int, total: int | None) -> None:
        """Note how far the run is (written at the next beat)."""
        self.done, self.total = done, total

    def set_phase(self, phase: str) -> None:
        """Note what the run is doing now, and write it at once."""
        self.phase = phase
        self.beat()

    def beat(self) -> None:
        """Write the heartbeat now; a failure is logged, never raised into the run."""
        values = {"heartbeat_at": utcnow(), "phase": self.phase, "rows_done": self.done}
        if self.total is not None:
            values["rows_total"] = self.total
        statement = sa.update(ImportRun).where(ImportRun.id == self.run_id).values(**values)
        try:
            with self.engine.begin() as connection:
                connection.execute(statement)
        except SQLAlchemyError as error:  # a busy database: the next beat tries again
            log.warning("import run %s: heartbeat not written (%s)", self.run_id, type(error))

    def _run(self) -> None:
        while not self._stop.wait(BEAT_SECONDS):
            self.beat()


def is_dead(run: ImportRun, now=None) -> bool:
    """True when a run says "running" or "queued" but its process stopped beating."""
    if run.status != "running":
        return False
    last = run.heartbeat_at or run.created_at
    return last is not None and (now or utcnow()) - last > DEAD_AFTER
