"""/privacy: what the site keeps, what it does not, and how to have a request deleted.

The page is built from the running settings, so it says which outside services this
particular site has turned on, and what each of them receives.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, render_template

from locator.public import bp


def tile_host(tile_url: str) -> str:
    """The host that serves map tiles ("{s}.tile.example.org" shown as "tile.example.org")."""
    host = urlsplit(tile_url.replace("{s}", "a")).hostname or ""
    return host.removeprefix("a.") if "{s}" in tile_url else host


def privacy_contact() -> tuple[str, str]:
    """Who to ask for a deletion, and a mailto address when the setting is one."""
    contact = current_app.config["LOCATOR_PRIVACY_CONTACT"].strip()
    is_address = "@" in contact and " " not in contact
    return contact, (f"mailto:{contact}" if is_address else "")


@bp.get("/privacy")
def privacy():
    """What the site stores about the people who use it, for how long, and who sees it."""
    config = current_app.config
    contact, contact_href = privacy_contact()
    return render_template(
        "public/privacy.html",
        retention_days=config["LOCATOR_CONTACT_RETENTION_DAYS"],
        tile_host=tile_host(config["LOCATOR_TILE_URL"]) if config["LOCATOR_TILE_URL"] else "",
        geocoder_on=config["LOCATOR_GEOCODER_ENABLED"],
        geoip_on=bool(config["LOCATOR_GEOIP_DATABASE"]),
        contact=contact,
        contact_href=contact_href,
    )
