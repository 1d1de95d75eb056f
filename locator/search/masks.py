"""How search tests a filter group in SQL: a bit of either service mask in the row it visits
(`center.service_mask`, `service_mask2`: migrations 0004 and 0015), or, for codes with a bit
in neither, a row of center_service. And the condition of a rare filter's slot (migration
0014), written with its constants so that PostgreSQL may match it to the slot's index.

Only this module's constants and integers are pasted into the SQL (hence `nosec` for
bandit's B608); every value a person chose is a bound parameter.
"""

# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Mapping, Sequence

from locator.search.indexes import SECOND_WORD, split_mask

# The parts a group's check may have, OR-ed: a bit of the first word, of the second, a link.
MASK, MASK2, JOIN = "mask", "mask2", "join"


def filter_checks(
    groups: Sequence[Sequence[str]], bits: Mapping[str, int], prefix: str = ""
) -> tuple[tuple[str, ...], dict[str, object]]:
    """How each group is checked (its parts joined by "+", e.g. "mask+mask2"), and the bound
    values, named as in `group_conditions`: the OR of its codes' bits in each word, and the
    codes that have none."""
    checks, values = [], {}
    for i, codes in enumerate(groups):
        first, second = split_mask(sum(1 << bits[code] for code in set(codes) if code in bits))
        unmasked = [code for code in codes if code not in bits]
        parts = []
        if first:
            values[f"mask{prefix}{i}"] = first
            parts.append(MASK)
        if second:
            values[f"second{prefix}{i}"] = second
            parts.append(MASK2)
        if unmasked or not parts:
            values[f"codes{prefix}{i}"] = unmasked
            parts.append(JOIN)
        checks.append("+".join(parts))
    return tuple(checks), values


def group_mask(check: str, values: Mapping[str, object], i: int) -> int | None:
    """The mask of both words of group `i` as `filter_checks` bound it; None if a code of
    it has no bit (the group is not known by its masks alone)."""
    if JOIN in check.split("+"):
        return None
    first, second = values.get(f"mask{i}", 0), values.get(f"second{i}", 0)
    return int(first) | int(second) << SECOND_WORD  # type: ignore[call-overload]


def _either(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"({' OR '.join(parts)})"


def group_conditions(
    checks: tuple[str, ...], row: str, center_id: str, prefix: str = ""
) -> list[str]:
    """A center offers a code of every group (OR within a group, AND across groups): a bit
    of a mask of the row `row` (`:mask{prefix}{i}`, `:second{prefix}{i}`), or a row of
    center_service (`:codes{prefix}{i}`). `checks` as `filter_checks` gives them."""
    conditions = []
    for i, check in enumerate(checks):
        alias = f"cs{prefix}{i}"
        parts = {
            MASK: f"({row}.service_mask & :mask{prefix}{i}) <> 0",
            MASK2: f"({row}.service_mask2 & :second{prefix}{i}) <> 0",
            JOIN: f"EXISTS (SELECT 1 FROM center_service AS {alias} WHERE {alias}.center_id = "  # nosec
            f"{center_id} AND {alias}.service_code IN :codes{prefix}{i})",
        }
        conditions.append(_either([parts[part] for part in check.split("+")]))
    return conditions


def slot_condition(row: str, mask: int) -> str:
    """A rare filter's slot of mask `mask` (both words): a bit of either, as migrations 0014
    and 0015 write its partial index's condition on PostgreSQL."""
    first, second = split_mask(mask)
    parts = [f"({row}.service_mask & {first}) <> 0"] if first else []
    parts += [f"({row}.service_mask2 & {second}) <> 0"] if second else []
    return _either(parts)
