"""Full refresh: a source's complete export unpublishes (never deletes) what it no longer lists."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.importers.contributions import withdraw_source
from locator.importers.place import IMPORT_PREFIX
from locator.importers.report import KEPT_UNPUBLISH, ImportReport
from locator.importers.upsert import DirectoryUpsert
from locator.models import Center, utcnow

PAGE = 1000


def unpublish_absent(session: Session, upsert: DirectoryUpsert, report: ImportReport) -> None:
    """Full refresh: unpublish (never delete) the sources' published listings not in the file."""
    counts = report.counts
    if not counts["new"] + counts["changed"] + counts["unchanged"]:
        report.warn(0, "No listing of the file could be imported, so none was unpublished.")
        return
    reason = f"{IMPORT_PREFIX}absent from the full refresh of {utcnow():%Y-%m-%d}."
    for source in sorted(upsert.sources):
        last_id = 0
        while rows := session.execute(
            sa.select(Center.id, Center.name1, Center.city, Center.state, Center.source_id)
            .where(Center.source == source, Center.published.is_(True))
            .where(Center.id > last_id, Center.id <= upsert.max_id)
            .order_by(Center.id)
            .limit(PAGE)
        ).all():
            last_id = rows[-1].id
            absent = [row for row in rows if not upsert.was_seen(row.id)]
            _unpublish(session, upsert, report, absent, reason)
        _withdraw(session, upsert, report, source)


def _withdraw(session: Session, upsert: DirectoryUpsert, report: ImportReport, source) -> None:
    # Centers of other sources that this source matched before and no longer lists keep
    # their own source's services, without this source's.
    done = withdraw_source(session, source, upsert.was_seen, upsert.max_id, not report.dry_run)
    if not done:
        return
    report.warn(0, f"{len(done)} centers of other sources that {source} matched before are no "
                "longer in the file: its services are taken off them.")  # fmt: skip
    if upsert.changes is not None:
        upsert.changes.withdrawn(done)
    if not report.dry_run:
        upsert.note_changed([item.center_id for item in done])


def _unpublish(session, upsert: DirectoryUpsert, report: ImportReport, absent, reason) -> None:
    report.counts["unpublished"] += len(absent)
    for row in absent[: KEPT_UNPUBLISH - len(report.unpublish)]:
        report.unpublish.append(
            {"id": row.id, "name": row.name1, "city": row.city, "state": row.state,
             "source_id": row.source_id}
        )  # fmt: skip
    if upsert.changes is not None:
        upsert.changes.gone(absent, reason)
    if absent and not report.dry_run:
        ids = [row.id for row in absent]
        session.execute(
            sa.update(Center)
            .where(Center.id.in_(ids))
            .values(published=False, unpublished_reason=reason, updated_at=upsert.now)
        )
        upsert.note_changed(ids)
