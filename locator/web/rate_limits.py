"""Rate limiting set-up beyond the declarations: a memory store without threads, and the
shared store's outage reaches the log.

`limits`' own memory store starts a thread after nearly every count, to forget expired keys
10 ms later: under load that is a thread started every few requests of a worker. The store
here forgets them itself, at most once every SWEEP_SECONDS, in the request that counts; a key
read after it expired is forgotten then anyway, as in the original.

Flask-Limiter counts in its own memory when the shared store (Redis) fails, and says so once
on its logger, "flask-limiter". That logger only has a NullHandler, so unless the deployment
configures logging the message would vanish: it then goes where the app's own messages go.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import ClassVar

from flask import Flask
from flask.logging import default_handler
from limits.storage import MemoryStorage

LIMITER_LOGGER = "flask-limiter"
MEMORY_STORE_URL = "locator-memory://"
SWEEP_SECONDS = 10.0


class SweepingMemoryStorage(MemoryStorage):
    """The memory store of `limits`, sweeping expired keys inline instead of in threads."""

    STORAGE_SCHEME: ClassVar[list[str]] = ["locator-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one the parent started at once
        self._sweep_lock = threading.Lock()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    # The parent calls this (name-mangled) after each count; it would start a Timer thread.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()
        finally:
            self._sweep_lock.release()


def _has_real_handler(logger: logging.Logger) -> bool:
    current: logging.Logger | None = logger
    while current is not None:
        if any(not isinstance(h, logging.NullHandler) for h in current.handlers):
            return True
        current = current.parent if current.propagate else None
    return False


def init_app(app: Flask) -> None:
    """Send Flask-Limiter's warnings to stderr when nothing else would show them."""
    logger = logging.getLogger(LIMITER_LOGGER)
    if not _has_real_handler(logger):
        logger.addHandler(default_handler)
