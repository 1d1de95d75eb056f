"""Counting sign-in attempts, in the rate limiter's storage, so that guessing is slow.

Three counters, each counted *before* the password is checked (so that forty attempts sent at
once are counted forty times, not checked forty times and counted after):

- per account and address (5 per 15 minutes): the lockout a guesser meets. A correct password
  clears it. Another address is not concerned, so a guesser cannot lock an admin out.
- per address (20 per hour), whatever the account: one address can't try many accounts.
- per account (60 per hour), whatever the address: a slow global throttle on a distributed
  guesser. It is above the per-address limit, so one address alone never reaches it.

The counts live where Flask-Limiter keeps its own (memory, or Redis when several workers run),
so no table is needed and counting never writes to the database. An account is keyed by a
digest of the typed email: unknown addresses are counted exactly like real ones. When the
shared store fails, counting goes on in this process's memory (never "no limit").
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from locator.admin.account_store import normalize_email
from locator.extensions import limiter

DEFAULTS = {
    "LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS": "5 per 15 minutes",
    "LOCATOR_SIGNIN_ATTEMPTS_PER_ADDRESS": "20 per hour",
    "LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT": "60 per hour",
}
NAMESPACE = "admin-sign-in"

log = logging.getLogger(__name__)


class _LocalFallback:
    """This process's own counters, used while the shared store is unreachable."""

    def __init__(self) -> None:
        self.limiter = FixedWindowRateLimiter(MemoryStorage())
        self.warned = False
        self.lock = threading.Lock()

    def warn_once(self) -> None:
        """Say once per process that counting moved to memory."""
        with self.lock:
            if not self.warned:
                self.warned = True
                log.warning(
                    "sign-in attempts are counted in this process's memory: the rate-limit "
                    "store is unreachable"
                )


_fallback = _LocalFallback()


def _configured(name: str) -> RateLimitItem:
    return parse(current_app.config.get(name) or DEFAULTS[name])


@dataclass(frozen=True)
class SignInLimits:
    """The counters that one sign-in attempt is counted and checked against."""

    email: str
    address: str

    @property
    def _counters(self) -> list[tuple[RateLimitItem, str, str, str]]:
        account = hashlib.sha256(normalize_email(self.email).encode()).hexdigest()
        address = self.address or "unknown"
        return [
            (
                _configured("LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS"),
                NAMESPACE,
                "pair",
                f"{account}:{address}",
            ),
            (_configured("LOCATOR_SIGNIN_ATTEMPTS_PER_ADDRESS"), NAMESPACE, "address", address),
            (_configured("LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT"), NAMESPACE, "account", account),
        ]

    def count_attempt(self) -> bool:
        """Count this attempt against every counter; False when one of them is used up.

        Each counter is incremented and then compared, in one step of the store, so
        concurrent attempts cannot all pass a check made before any of them was counted.
        """
        allowed = [_run(lambda strategy, c=c: strategy.hit(*c)) for c in self._counters]
        return all(allowed)

    def forget_failures(self) -> None:
        """After a correct password, this account starts afresh from this address."""
        _run(lambda strategy: strategy.clear(*self._counters[0]))


def _run(operation):
    """Run `operation` on the shared store, or on this process's memory when that fails."""
    if not limiter.enabled:
        return True
    try:
        return operation(limiter.limiter)
    except Exception:  # the store's client raises its own errors (Redis, memcached...)
        _fallback.warn_once()
        return operation(_fallback.limiter)


def first_use_of_code(admin_id: int, code: str) -> bool:
    """Whether this account's two-step code is used for the first time (codes live 90 s)."""
    used = (parse("1 per 2 minutes"), NAMESPACE, "code", f"{admin_id}:{code}")
    return _run(lambda strategy: strategy.hit(*used))
