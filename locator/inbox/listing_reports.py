"""Visitors' reports that a listing is wrong: store one, the admins' queue, resolve them.

No views here and no logging of a report's content. A report's email address is kept only
until the report is resolved. `Center.reported_on` mirrors the newest open report's day, so
result cards show "call ahead" without another query; it is written with the row's
`updated_at` left as it was, because a report is not a change of the listing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from locator.admin.audit import Actor, record_audit
from locator.models import Center, ListingReport, utcnow

# Stored values and the labels people and admins see, in the order of the form.
# Lazy: the report form says them in its page's language (the stored value is the key).
REPORT_KINDS = {
    "closed": _l("The program has closed"),
    "wrong_phone": _l("The phone number is wrong"),
    "wrong_address": _l("The address is wrong"),
    "services_changed": _l("The services have changed"),
    "other": _l("Something else"),
}
RESOLUTIONS = {
    "edited": "Listing corrected",
    "unpublished": "Listing unpublished",
    "dismissed": "Dismissed: the listing is right",
}
OPEN = "open"
RESOLVED = "resolved"


@dataclass(frozen=True)
class ReportGroup:
    """One center's open reports, newest first, as the admins' queue shows them."""

    center: Center
    reports: list[ListingReport]

    @property
    def newest(self) -> ListingReport:
        """The most recent open report."""
        return self.reports[0]


def store_report(
    session: Session, center_id: int, kind: str, note: str, email: str
) -> ListingReport:
    """Add a report and mark the listing as reported today (the caller commits)."""
    now = utcnow()
    report = ListingReport(center_id=center_id, kind=kind, note=note, email=email, created_at=now)
    session.add(report)
    # The newest open report is this one: no need to look the others up.
    session.execute(
        sa.update(Center)
        .where(Center.id == center_id)
        .values(reported_on=now.date(), updated_at=Center.updated_at)
        .execution_options(synchronize_session=False)
    )
    return report


def _mirror_reported_on(session: Session, center_ids: Iterable[int]) -> None:
    """Set each center's reported_on to its newest open report's day, or None."""
    for center_id in center_ids:
        newest = session.scalar(
            sa.select(sa.func.max(ListingReport.created_at)).where(
                ListingReport.center_id == center_id, ListingReport.status == OPEN
            )
        )
        session.execute(
            sa.update(Center)
            .where(Center.id == center_id)
            # updated_at is the listing's own last change: a report does not change the listing.
            .values(reported_on=newest.date() if newest else None, updated_at=Center.updated_at)
            .execution_options(synchronize_session=False)
        )


def open_report_count(session: Session) -> int:
    """How many reports wait for an admin."""
    query = sa.select(sa.func.count()).where(ListingReport.status == OPEN)
    return session.scalar(query) or 0


def report_queue(session: Session, limit: int | None = None) -> list[ReportGroup]:
    """Centers with open reports, the most recently reported first, each with its reports."""
    newest = sa.func.max(ListingReport.created_at)
    centers_query = (
        sa.select(ListingReport.center_id)
        .where(ListingReport.status == OPEN)
        .group_by(ListingReport.center_id)
        .order_by(newest.desc(), ListingReport.center_id.desc())
    )
    if limit is not None:
        centers_query = centers_query.limit(limit)
    center_ids = list(session.scalars(centers_query))
    if not center_ids:
        return []
    reports = session.scalars(
        sa.select(ListingReport)
        .where(ListingReport.status == OPEN, ListingReport.center_id.in_(center_ids))
        .order_by(ListingReport.created_at.desc(), ListingReport.id.desc())
    )
    by_center: dict[int, list[ListingReport]] = {center_id: [] for center_id in center_ids}
    for report in reports:
        by_center[report.center_id].append(report)
    centers = {c.id: c for c in session.scalars(sa.select(Center).where(Center.id.in_(center_ids)))}
    return [ReportGroup(centers[i], by_center[i]) for i in center_ids]


def report_queue_context(session: Session, centers: int = 5) -> dict:
    """What the dashboard's section on reports shows (templates/admin/_report_queue.html)."""
    return {
        "report_groups": report_queue(session, limit=centers),
        "open_reports": open_report_count(session),
        "stale_months": int(current_app.config.get("LOCATOR_STALE_MONTHS", 18)),
    }


def open_reports(session: Session, center_id: int) -> list[ListingReport]:
    """One center's open reports, newest first."""
    return list(
        session.scalars(
            sa.select(ListingReport)
            .where(ListingReport.center_id == center_id, ListingReport.status == OPEN)
            .order_by(ListingReport.created_at.desc(), ListingReport.id.desc())
        )
    )


def resolve_reports(
    session: Session,
    center: Center,
    report_ids: Sequence[int],
    resolution: str,
    admin: Actor,
) -> list[int]:
    """Close the center's open reports among `report_ids`, erase their email addresses, audit.

    Returns the ids closed (the caller commits). Ids of other centers' reports are ignored.
    """
    if resolution not in RESOLUTIONS:
        raise ValueError(f"unknown resolution {resolution!r}")
    reports = list(
        session.scalars(
            sa.select(ListingReport).where(
                ListingReport.center_id == center.id,
                ListingReport.status == OPEN,
                ListingReport.id.in_(list(report_ids)),
            )
        )
    )
    if not reports:
        return []
    now = utcnow()
    for report in reports:
        report.status, report.resolution = RESOLVED, resolution
        report.resolved_at, report.resolved_by = now, admin.email
        report.email = ""  # kept only until the report is answered
    session.flush()
    _mirror_reported_on(session, [center.id])
    closed = sorted(report.id for report in reports)
    kinds = sorted({report.kind for report in reports})
    summary = (
        f"{RESOLUTIONS[resolution]}: closed {len(closed)} "
        f"{'report' if len(closed) == 1 else 'reports'} on {center.name1}"
    )
    record_audit(
        session,
        admin,
        "reports.resolve",
        "center",
        center.id,
        summary,
        before={"open_reports": closed, "kinds": kinds},
        after={"resolution": resolution, "closed_reports": closed},
    )
    return closed


def months_ago(today: date, months: int) -> date:
    """The same day `months` calendar months before `today` (the month's last day if shorter)."""
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def unverified_query(today: date, months: int, source: str = "") -> sa.Select:
    """Published listings not verified in the last `months` months (or never), oldest first."""
    cutoff = months_ago(today, months)
    query = (
        sa.select(Center)
        .where(
            Center.published.is_(True),
            sa.or_(Center.last_verified.is_(None), Center.last_verified < cutoff),
        )
        .order_by(Center.last_verified.is_not(None), Center.last_verified, Center.name1, Center.id)
    )
    return query.where(Center.source == source) if source else query
