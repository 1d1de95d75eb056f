"""What the admin tests share: the test password and signing in."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.helpers.forms import csrf_token

ADMIN_PASSWORD = "correct horse battery staple"


def sign_in(client: FlaskClient, email: str, password: str, next_path: str | None = None):
    """Fill in and send the sign-in form; returns the response (not followed)."""
    path = "/admin/sign-in" + (f"?next={next_path}" if next_path is not None else "")
    token = csrf_token(client, "/admin/sign-in")
    return client.post(path, data={"email": email, "password": password, "csrf_token": token})
