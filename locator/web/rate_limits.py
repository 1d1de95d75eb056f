"""Rate limiting set-up beyond the declarations: the store's outage reaches the log.

Flask-Limiter counts in its own memory when the shared store (Redis) fails, and says so once
on its logger, "flask-limiter". That logger only has a NullHandler, so unless the deployment
configures logging the message would vanish: it then goes where the app's own messages go.
"""

from __future__ import annotations

import logging

from flask import Flask
from flask.logging import default_handler

LIMITER_LOGGER = "flask-limiter"


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
