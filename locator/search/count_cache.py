"""The numbers beside the filters, kept a few minutes per place, radius and choice of filters.

Counting every filter over the centers in reach costs little in a town and tens of
milliseconds in a large city of a directory of a million listings, and the same places are
searched again and again ("Austin, TX", a downtown ZIP code). The counts are hints beside
checkboxes, not the answer: they may lag the directory by LOCATOR_COUNT_CACHE_SECONDS, as
the pages themselves may in browsers (they are cached five minutes there too). A commit in
this process (an admin's edit, an import) forgets them at once; other processes forget
theirs when they expire. The cache lives in the process's memory only: the places people
searched stay out of logs and out of any shared store.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa
from cachetools import TTLCache
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from locator.search.filter_counts import filter_counts
from locator.search.query import SearchQuery
from locator.taxonomy import Taxonomy

_EXTENSION = "locator.search.count_cache"


class CountCache:
    """A TTL cache shared by a process's threads."""

    def __init__(self, size: int, seconds: int) -> None:
        self._cache: TTLCache | None = TTLCache(size, seconds) if size and seconds else None
        self._lock = threading.Lock()

    def get(self, key):
        if self._cache is None:
            return None
        with self._lock:
            return self._cache.get(key)

    def put(self, key, counts: tuple[int, ...]) -> None:
        if self._cache is not None:
            with self._lock:
                self._cache[key] = counts

    def clear(self) -> None:
        if self._cache is not None:
            with self._lock:
                self._cache.clear()


def init_app(app: Flask) -> None:
    """Give the app its cache, and forget it at every commit of this process."""
    app.extensions[_EXTENSION] = CountCache(
        app.config["LOCATOR_COUNT_CACHE_SIZE"], app.config["LOCATOR_COUNT_CACHE_SECONDS"]
    )
    if not sa.event.contains(Session, "after_commit", _forget):
        sa.event.listen(Session, "after_commit", _forget)


def _forget(_session: Session) -> None:
    if has_app_context() and _EXTENSION in current_app.extensions:
        current_app.extensions[_EXTENSION].clear()


def cached_filter_counts(
    session: Session, taxonomy: Taxonomy, query: SearchQuery
) -> dict[str, int]:
    """`locator.search.filter_counts.filter_counts`, from the cache when it was counted lately."""
    cache: CountCache = current_app.extensions[_EXTENSION]
    radius = None if query.point is None else query.radius
    key = (query.point, radius, query.state, tuple(sorted(query.selection.accepted)))
    kept = cache.get(key)
    if kept is not None:
        return dict(zip(taxonomy.filters, kept, strict=True))
    counts = filter_counts(session, taxonomy, query)
    # Kept as a tuple in the taxonomy's order: a few hundred bytes, not a dict's few thousand.
    cache.put(key, tuple(counts[name] for name in taxonomy.filters))
    return counts
