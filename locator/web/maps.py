"""The map of results: shown only when a tile server is named and Leaflet is installed.

Every tile request tells the tile server roughly where a reader is looking, so with no
`LOCATOR_TILE_URL` there is no map at all and no Leaflet file is sent. The list of results
is complete on its own: the map only repeats it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

log = logging.getLogger(__name__)

LEAFLET_DIR = Path(__file__).resolve().parents[1] / "static" / "vendor" / "leaflet"
LEAFLET_FILES = ("leaflet.js", "leaflet.css")


@dataclass(frozen=True)
class MapSettings:
    """What the page needs to draw a map, or `enabled=False`."""

    enabled: bool
    tile_url: str = ""
    attribution: str = ""


def leaflet_installed(folder: Path = LEAFLET_DIR) -> bool:
    """Whether `make install` copied Leaflet into the static files."""
    return all((folder / name).is_file() for name in LEAFLET_FILES)


def map_settings_for(config: dict, leaflet_present: bool) -> MapSettings:
    """The map settings from the app's config: off without a tile server or without Leaflet."""
    tile_url = (config.get("LOCATOR_TILE_URL") or "").strip()
    if not tile_url or not leaflet_present:
        return MapSettings(enabled=False)
    return MapSettings(True, tile_url, (config.get("LOCATOR_TILE_ATTRIBUTION") or "").strip())


def current_map() -> MapSettings:
    """The running app's map settings (read per request: tests may name a tile server late)."""
    return map_settings_for(current_app.config, current_app.extensions["locator.leaflet"])


def init_app(app: Flask) -> None:
    """Check for Leaflet once, say when a tile server is named but the map cannot show."""
    app.extensions["locator.leaflet"] = leaflet_installed()
    if app.config.get("LOCATOR_TILE_URL") and not app.extensions["locator.leaflet"]:
        log.warning(
            "LOCATOR_TILE_URL is set but Leaflet is not installed (run `make install` "
            "with npm): the map stays off."
        )
    app.jinja_env.globals["current_map"] = current_map
