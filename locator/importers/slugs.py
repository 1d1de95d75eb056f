"""URL slugs for new centers, unique without loading every slug of the directory."""

from __future__ import annotations

import hashlib
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.geo import slugify
from locator.models import Center

TRIES = 20  # base, base-2 … base-20; then a short hash of the listing's id


def base_slug(name1: str, city: str, state: str) -> str:
    """The slug a center would like: its name, city and state."""
    return slugify(f"{name1} {city} {state}")[:150].strip("-") or "center"


def assign_slugs(session: Session, rows: list[dict]) -> None:
    """Give each new row a slug no center has: one IN query, and one more on collisions."""
    wanted = [base_slug(row["name1"], row["city"], row["state"]) for row in rows]
    taken = _taken(session, set(wanted))
    repeats = Counter(wanted)
    crowded = {base for base in wanted if base in taken or repeats[base] > 1}
    taken |= _taken(session, {f"{base}-{n}" for base in crowded for n in range(2, TRIES + 1)})
    for row, base in zip(rows, wanted, strict=True):
        slug = next(
            (
                c
                for n in range(1, TRIES + 1)
                if (c := f"{base}-{n}" if n > 1 else base) not in taken
            ),
            None,
        )
        if slug is None:
            digest = hashlib.sha256(f"{row['source']}|{row['source_id']}".encode()).hexdigest()
            slug = f"{base}-{digest[:8]}"
        taken.add(slug)
        row["slug"] = slug


def _taken(session: Session, candidates: set[str]) -> set[str]:
    taken: set[str] = set()
    ordered = sorted(candidates)
    for start in range(0, len(ordered), 2000):
        chunk = ordered[start : start + 2000]
        taken.update(session.scalars(sa.select(Center.slug).where(Center.slug.in_(chunk))))
    return taken
