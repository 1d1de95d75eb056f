"""Reading pages and sending their forms back, as a browser would."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def text(response) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)


def csrf_token(source: FlaskClient | str, path: str = "/contact") -> str:
    """The CSRF token of the first form on a page, as a browser would send it back.

    `source` is a test client (the page at `path` is fetched) or a page's HTML already read.
    """
    if isinstance(source, str):
        page, where = source, "the page"
    else:
        response = source.get(path)
        page, where = text(response), f"{path} ({response.status_code})"
    match = TOKEN.search(page)
    assert match, f"no CSRF token on {where}"
    return match.group(1)


def post_form(client: FlaskClient, path: str, token_page: str, **fields):
    """POST a form with the CSRF token from `token_page`, as the page's button would."""
    return client.post(path, data={"csrf_token": csrf_token(client, token_page), **fields})
