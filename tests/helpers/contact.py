"""Sending the contact form with valid answers, changed where a test says."""

from __future__ import annotations

from tests.helpers.forms import csrf_token

VALID = {
    "name": "Ana Ruiz",
    "phone": "512 555 0123",
    "email": "ana.ruiz@example.org",
    "best_time": "evening",
    "for_whom": "someone",
    "message": "My brother needs help with opioids.",
    "consent": "y",
    "website": "",
}


def send(client, **changes):
    """POST the form with VALID values changed by `changes` (None leaves a field out)."""
    data = {**VALID, **changes, "csrf_token": csrf_token(client, "/contact")}
    return client.post("/contact", data={k: v for k, v in data.items() if v is not None})
