"""What the admin tests share: reading a form's CSRF token, signing in, reading a page."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ADMIN_PASSWORD = "correct horse battery staple"


def text(response) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the first form on a page, as a browser would send it back."""
    response = client.get(path)
    match = TOKEN.search(text(response))
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str, next_path: str | None = None):
    """Fill in and send the sign-in form; returns the response (not followed)."""
    path = "/admin/sign-in" + (f"?next={next_path}" if next_path is not None else "")
    token = csrf_token(client, "/admin/sign-in")
    return client.post(path, data={"email": email, "password": password, "csrf_token": token})


def post_form(client: FlaskClient, path: str, token_page: str, **fields):
    """POST a form with the CSRF token from `token_page`, as the page's button would."""
    return client.post(path, data={"csrf_token": csrf_token(client, token_page), **fields})
