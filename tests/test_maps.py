"""The map is drawn only when a tile server is configured and Leaflet is installed."""

from __future__ import annotations

import re

import pytest

from locator.web.maps import leaflet_installed, map_settings_for
from tests.helpers.tiles import tile_server

MAP_PAGES = [
    "/search?location=78701",
    "/rehab/texas/austin",
    "/centers/congress-avenue-recovery-test-austin-tx",
]


def test_settings_without_a_tile_server_or_without_leaflet_turn_the_map_off():
    with_url = {"LOCATOR_TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png"}
    assert not map_settings_for({}, leaflet_present=True).enabled
    assert not map_settings_for({"LOCATOR_TILE_URL": "  "}, leaflet_present=True).enabled
    assert not map_settings_for(with_url, leaflet_present=False).enabled
    on = map_settings_for({**with_url, "LOCATOR_TILE_ATTRIBUTION": "© Tiles"}, True)
    assert on.enabled and on.attribution == "© Tiles"


def test_leaflet_is_looked_for_in_the_static_files(tmp_path):
    assert not leaflet_installed(tmp_path)
    (tmp_path / "leaflet.js").write_text("")
    (tmp_path / "leaflet.css").write_text("")
    assert leaflet_installed(tmp_path)


@pytest.mark.parametrize("path", MAP_PAGES)
def test_no_map_without_a_tile_server(client, path):
    html = client.get(path).get_data(as_text=True)
    assert 'id="map"' not in html
    assert "leaflet" not in html
    assert "data-map-point" not in html


@pytest.mark.skipif(not leaflet_installed(), reason="Leaflet is not installed (make install)")
@pytest.mark.parametrize("path", MAP_PAGES)
def test_map_pages_carry_the_map_and_their_points(directory, path):
    with tile_server(directory):
        response = directory.test_client().get(path)
    html = response.get_data(as_text=True)
    assert re.search(r'<div class="[a-z-]+-map" id="map" role="region" aria-label="Map', html)
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "vendor/leaflet/leaflet.css?v=" in html and "vendor/leaflet/leaflet.js?v=" in html
    assert 'data-map-point data-lat="30.265" data-lon="-97.745"' in html
    # The tile server may be asked for images; nothing else of it is allowed.
    assert (
        "img-src 'self' data: https://tiles.example.org"
        in response.headers["Content-Security-Policy"]
    )
