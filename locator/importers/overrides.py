"""An admin's own edits survive imports: the fields they changed keep the admin's value.

`Center.overrides` maps each field an admin changed (see admin.center_changes) to
{"admin": the value set, "source": what the source last said, when it disagrees}. The import
puts the admin's value back over the source's and records the source's, so that the admin page
can show where the source now disagrees.
"""

from __future__ import annotations

from locator.admin.audit import jsonable


def keep_admin_fields(
    overrides: dict | None, values: dict, codes: list[str], existing: dict, old_codes: list[str]
) -> tuple[list[str], dict | None]:
    """Restore overridden fields in `values` (in place) and the services; returns the codes to
    link and the overrides to store, or None when they do not change."""
    if not overrides:
        return codes, None
    updated: dict[str, dict] = {}
    for name, entry in overrides.items():
        if name == "services":
            said, codes = sorted(codes), old_codes
        elif name in values:
            said = jsonable(values[name])
            values[name] = existing[name]
        else:
            continue
        admin = entry.get("admin") if isinstance(entry, dict) else None
        updated[name] = {"admin": admin, "source": None if _same(said, admin) else said}
    if all(overrides.get(name) == entry for name, entry in updated.items()):
        return codes, None
    return codes, {**overrides, **updated}


def disagreements(overrides: dict | None) -> list[tuple[str, object, object]]:
    """(field, admin's value, source's value) where the source's last import differs."""
    return [
        (name, entry.get("admin"), entry["source"])
        for name, entry in sorted((overrides or {}).items())
        if isinstance(entry, dict) and entry.get("source") is not None
    ]


def _same(said: object, admin: object) -> bool:
    if isinstance(said, float) and isinstance(admin, int | float):
        return round(said, 6) == round(float(admin), 6)
    return said == admin
