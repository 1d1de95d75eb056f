"""A tile server configured for one test: pages then carry the map."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def tile_server(app, url: str = "https://tiles.example.org/{z}/{x}/{y}.png"):
    """The app with a tile server configured: pages carry the map's extra weight."""
    app.config["LOCATOR_TILE_URL"] = url
    try:
        yield
    finally:
        app.config["LOCATOR_TILE_URL"] = ""
