"""How many examples a property test draws: every one in `make test`, a fifth in `make check`.

`make check` runs pytest with `--hypothesis-profile=check` (registered in tests/conftest.py);
the draws stay derandomized, so each run of either tries the same examples.
"""

from __future__ import annotations

from hypothesis import settings

QUICK_PROFILE = "check"


def examples(full: int) -> int:
    """`full`, or a fifth of it (five at least) under the quick profile."""
    if settings.get_current_profile_name() == QUICK_PROFILE:
        return max(5, full // 5)
    return full
