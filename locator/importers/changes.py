"""The list of centers an import adds, changes or unpublishes, kept in import_change.

A preview's list is what the admin reviews, by name, before applying. An apply writes its list
in the same transaction as each batch of listings it describes, so the list of an apply is
also exactly what `undo.py` needs to take the batches back.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.models import ImportChange

KINDS = ("new", "changed", "gone", "matched")
# Not shown for review, but taken back by an undo: a re-keyed id, the admin-edit record.
HIDDEN = "kept"


def jsonable(value: object) -> object:
    """A field's value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class ChangeLog:
    """Collects one run's changes batch by batch; `flush` writes them in the open transaction."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.pending: list[dict] = []

    def _add(self, kind: str, center_id, line: int, values: dict, diffs) -> None:
        self.pending.append(
            {
                "run_id": self.run_id,
                "kind": kind,
                "center_id": center_id,
                "line": line or 0,
                "name": str(values.get("name1") or "")[:300],
                "city": str(values.get("city") or "")[:120],
                "state": str(values.get("state") or "")[:2],
                "diffs": [[f, jsonable(old), jsonable(new)] for f, old, new in diffs or []],
            }
        )

    def batch(self, plan, new_ids: list[int] | None) -> None:
        """Note a planned batch: its new centers (ids once written) and changed centers."""
        ids = new_ids or [None] * len(plan.inserts)
        for values, center_id, line in zip(plan.inserts, ids, plan.insert_lines, strict=True):
            self._add("new", center_id, line, values, None)
        for center_id, (line, diffs, values) in plan.diffs.items():
            self._add("changed", center_id, line, values, diffs)
        for center_id, (line, diffs, values) in plan.across.items():
            self._add("matched", center_id, line, values, diffs)
        for center_id, diffs in plan.hidden.items():
            self._add(HIDDEN, center_id, 0, {}, diffs)

    def gone(self, rows, reason: str) -> None:
        """Note published centers a full refresh unpublishes."""
        for row in rows:
            values = {"name1": row.name1, "city": row.city, "state": row.state}
            diffs = [("published", True, False), ("unpublished_reason", "", reason)]
            self._add("gone", row.id, 0, values, diffs)

    def withdrawn(self, withdrawals) -> None:
        """Note centers of other sources that lose this source's services (a full refresh)."""
        for item in withdrawals:
            self._add(HIDDEN, item.center_id, 0, {}, item.diffs())

    def flush(self, session: Session) -> None:
        """Write what was noted since the last flush, in the caller's transaction."""
        if self.pending:
            session.execute(sa.insert(ImportChange), self.pending)
            self.pending = []


def change_counts(session: Session, run_id: int) -> dict[str, int]:
    """How many centers of each kind a run lists."""
    query = (
        sa.select(ImportChange.kind, sa.func.count())
        .where(ImportChange.run_id == run_id)
        .group_by(ImportChange.kind)
    )
    found = dict(session.execute(query).all())
    return {kind: found.get(kind, 0) for kind in KINDS}


def changes_query(run_id: int, kind: str, name: str = "", state: str = "") -> sa.Select:
    """A run's changes of one kind, A to Z, narrowed by name and state."""
    query = sa.select(ImportChange).where(ImportChange.run_id == run_id, ImportChange.kind == kind)
    if name:
        lowered = sa.func.lower(ImportChange.name)
        query = query.where(lowered.contains(name.lower(), autoescape=True))
    if state:
        query = query.where(ImportChange.state == state.upper())
    return query.order_by(ImportChange.name, ImportChange.id)
