"""The audit trail: one entry per admin action, with the fields it changed before and after.

Other modules (the importers too) call `record_audit` in the same transaction as the change,
so an action and its entry are saved together or not at all. Load no views from here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy.orm import Session

from locator.models import AuditEntry


class Actor(Protocol):
    """Who acted: an AdminUser row, or anything else with its id and email."""

    id: int | None
    email: str


def jsonable(value: Any) -> Any:
    """The value in a form a JSON column keeps: dates as ISO text, sets as sorted lists."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(jsonable(item) for item in value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields whose value differs, as (before, after)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    keys += [key for key in before if key not in after]
    return {key: before.get(key) for key in keys}, {key: after.get(key) for key in keys}


def record_audit(
    session: Session,
    admin: Actor | None,
    action: str,
    target_type: str,
    target_id: int | str,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Add an audit entry to the session (the caller commits with the change itself).

    `admin` is None for actions run from the command line by no signed-in admin.
    """
    entry = AuditEntry(
        admin_id=admin.id if admin is not None else None,
        admin_email=admin.email if admin is not None else "",
        action=action[:40],
        target_type=target_type[:40],
        target_id=str(target_id)[:60],
        summary=summary[:500],
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
    )
    session.add(entry)
    return entry
