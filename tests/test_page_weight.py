"""Page weight: a page of 20 results, with its stylesheets, stays under 60 KB compressed.

Compression itself is left to the server in front of the app (nginx, a CDN...); this measures
what a reader downloads once it is on: HTML and CSS, gzip-compressed at level 6.
"""

from __future__ import annotations

import gzip
import re

import pytest

from tests.helpers.tiles import tile_server

RESULTS_OF_20 = "/search?location=New+York%2C+NY&radius=100"
BUDGET = 60 * 1024


def page_weight(client, path: str) -> tuple[int, int]:
    """(raw, gzipped) bytes of a page's HTML and every stylesheet it links."""
    html = client.get(path).get_data()
    parts = [html]
    for href in re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html):
        with client.get(href.decode().replace("&amp;", "&")) as response:
            parts.append(response.get_data())
    return sum(len(p) for p in parts), sum(len(gzip.compress(p, 6)) for p in parts)


@pytest.mark.parametrize("with_map", [False, True], ids=["no-map", "map"])
def test_a_page_of_20_results_is_under_60_kb_compressed(directory, with_map):
    client = directory.test_client()
    html = client.get(RESULTS_OF_20).get_data(as_text=True)
    assert html.count('class="center-card"') == 20
    if with_map:
        with tile_server(directory):
            raw, compressed = page_weight(client, RESULTS_OF_20)
    else:
        raw, compressed = page_weight(client, RESULTS_OF_20)
    assert compressed < BUDGET, f"{compressed} bytes compressed ({raw} raw)"


def test_no_web_fonts(client):
    css = client.get("/static/site.css")
    with css:
        assert b"@font-face" not in css.get_data()
    assert b"fonts." not in client.get("/").get_data()


@pytest.mark.parametrize("path", ["/", "/rehab/texas", "/contact"])
def test_leaflet_only_on_pages_with_a_map(directory, path):
    with tile_server(directory):
        html = directory.test_client().get(path).get_data(as_text=True)
    assert "leaflet" not in html
