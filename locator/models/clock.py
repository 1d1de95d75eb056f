"""The time every table's timestamps are written in."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time in UTC, called per row (never evaluated once at import)."""
    return datetime.now(UTC).replace(tzinfo=None)
