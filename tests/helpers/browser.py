"""What the browser tests share: how Chromium is launched, and checks run inside a page."""

from __future__ import annotations

import importlib.util
import struct
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LEAFLET_SCRIPT = ROOT / "locator" / "static" / "vendor" / "leaflet" / "leaflet.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 375, "height": 667}
# The phone the screenshots to look at are taken on, and whose first screen must hold the
# first result.
TALL_PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium_missing() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if not Path(CHROMIUM_PATH).exists():
        return f"Chromium is not installed at {CHROMIUM_PATH} (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    return ""


needs_chromium = pytest.mark.skipif(bool(chromium_missing()), reason=chromium_missing() or "-")
needs_leaflet = pytest.mark.skipif(
    not LEAFLET_SCRIPT.exists(), reason="Leaflet is not installed (make install, with npm)"
)
needs_axe = pytest.mark.skipif(
    not AXE_SCRIPT.exists(), reason="axe-core is not installed (npm ci, or make install)"
)


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain PNG of one colour: the tile every map request gets in the tests."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


TILE_PNG = _png(256, 256, (226, 232, 236))

HORIZONTAL_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate(HORIZONTAL_OVERFLOW)


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    if not page.evaluate("() => Boolean(window.axe)"):
        # Evaluated through the debugging protocol, so the page's CSP does not block it.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
