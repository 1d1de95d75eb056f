"""Counting failed sign-ins per account and per address, in the rate limiter's storage.

The counts live where Flask-Limiter keeps its own (memory, or Redis when several workers
run), so no table is needed. An account is keyed by a digest of the typed email: unknown
addresses are counted exactly like real ones, and no email is kept in the store.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse

from locator.admin_accounts import normalize_email
from locator.extensions import limiter

DEFAULT_PER_ACCOUNT = "5 per 15 minutes"
DEFAULT_PER_ADDRESS = "20 per hour"
NAMESPACE = "admin-sign-in-failures"

log = logging.getLogger(__name__)


def _configured_limit(name: str, default: str) -> RateLimitItem:
    return parse(current_app.config.get(name) or default)


@dataclass(frozen=True)
class SignInLimits:
    """The two failure counters that one sign-in attempt is checked against."""

    email: str
    address: str

    @property
    def _counters(self) -> list[tuple[RateLimitItem, str, str, str]]:
        account = hashlib.sha256(normalize_email(self.email).encode()).hexdigest()
        per_account = _configured_limit("LOCATOR_SIGNIN_FAILURES_PER_ACCOUNT", DEFAULT_PER_ACCOUNT)
        per_address = _configured_limit("LOCATOR_SIGNIN_FAILURES_PER_ADDRESS", DEFAULT_PER_ADDRESS)
        return [
            (per_account, NAMESPACE, "account", account),
            (per_address, NAMESPACE, "address", self.address or "unknown"),
        ]

    def exceeded(self) -> bool:
        """Whether the account or the address has used up its failures for now."""
        return _guarded(
            lambda: any(not limiter.limiter.test(*counter) for counter in self._counters)
        )

    def record_failure(self) -> None:
        """Count one failed sign-in against both the account and the address."""
        _guarded(lambda: [limiter.limiter.hit(*counter) for counter in self._counters])

    def forget_account_failures(self) -> None:
        """After a successful sign-in, the account starts afresh (the address does not)."""
        _guarded(lambda: limiter.limiter.clear(*self._counters[0]))


def _guarded(operation):
    """Run a storage operation; when rate limiting is off or its store is down, count nothing.

    Failing open keeps admins able to sign in while Redis is down; the outage is logged.
    """
    if not limiter.enabled:
        return False
    try:
        return operation()
    except Exception:  # the store's client raises its own errors (Redis, memcached...)
        log.warning("sign-in failure counts are unavailable: the rate-limit store failed")
        return False
