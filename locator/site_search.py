"""Site search over articles and centers (being built: see issue 3)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session


def refresh_center_index(session: Session, center_ids: Iterable[int] | None = None) -> None:
    """Bring the centers' search index up to date (all centers when `center_ids` is None).

    Call it in the same transaction as any change to listings.
    """
