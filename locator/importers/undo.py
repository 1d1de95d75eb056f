"""Taking back the committed batches of an apply that failed or whose process died.

An apply commits batch by batch, so that other writers (the contact form, sign-in, an admin's
edit) never wait long for SQLite's single write lock. It stays all-or-nothing because every
batch's change list (changes.py) is committed with the batch itself: undoing deletes the
centers it added and puts back the fields it changed, newest batch first.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.models import Center, ImportChange, center_service
from locator.site_search import refresh_center_index

PAGE = 500
DATE_FIELDS = {"last_verified"}


def _restored(diffs: list) -> tuple[dict, list[str] | None]:
    values: dict[str, object] = {}
    codes = None
    for field, before, _after in diffs or []:
        if field == "services":
            codes = before.split() if before else []
        elif field in DATE_FIELDS and before:
            values[field] = date.fromisoformat(before)
        else:
            values[field] = before
    return values, codes


def _undo_page(session: Session, changes: list[ImportChange]) -> list[int]:
    added = [c.center_id for c in changes if c.kind == "new" and c.center_id]
    if added:  # the links first: no engine setting (SQLite's foreign keys) is relied on
        session.execute(sa.delete(center_service).where(center_service.c.center_id.in_(added)))
        session.execute(sa.delete(Center).where(Center.id.in_(added)))
    for change in changes:
        if change.kind == "new" or not change.center_id:
            continue
        values, codes = _restored(change.diffs)
        values = {k: v for k, v in values.items() if k in Center.__table__.c}
        if values:
            session.execute(sa.update(Center).where(Center.id == change.center_id).values(values))
        if codes is not None:
            links = center_service.c.center_id == change.center_id
            session.execute(sa.delete(center_service).where(links))
            if codes:
                rows = [{"center_id": change.center_id, "service_code": c} for c in codes]
                session.execute(sa.insert(center_service), rows)
    return [c.center_id for c in changes if c.center_id]


def undo_run(session: Session, run_id: int) -> int:
    """Undo every committed batch of an apply, a page at a time; returns the centers touched."""
    session.rollback()
    touched: list[int] = []
    before = None
    while True:
        query = sa.select(ImportChange).where(ImportChange.run_id == run_id)
        if before is not None:
            query = query.where(ImportChange.id < before)
        changes = list(session.scalars(query.order_by(ImportChange.id.desc()).limit(PAGE)))
        if not changes:
            break
        before = changes[-1].id
        ids = _undo_page(session, changes)
        refresh_center_index(session, ids)
        session.execute(sa.delete(ImportChange).where(ImportChange.id >= before,
                                                      ImportChange.run_id == run_id))  # fmt: skip
        session.commit()
        touched.extend(ids)
    # The place table needs nothing: an apply rebuilds it only in its last transaction, the
    # one that records it "applied".
    return len(touched)
