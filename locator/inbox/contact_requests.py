"""Requests to be contacted: store one, purge old ones. No views, no logging of their content."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from locator.models import ContactRequest, utcnow

# Stored values and the labels people and admins see.
# Lazy: each page says them in its own language (the stored value is the key).
BEST_TIME_LABELS = {
    "morning": _l("Morning"),
    "afternoon": _l("Afternoon"),
    "evening": _l("Evening"),
    "any time": _l("Any time"),
}
FOR_WHOM_LABELS = {
    "me": _l("Me"),
    "someone": _l("Someone I care about"),
}

AGE_PATTERN = re.compile(r"^\s*(\d{1,6})\s*([dh])\s*$", re.IGNORECASE)
# Beyond a century the age means nothing, and timedelta would overflow long before int does.
MAX_AGE = timedelta(days=36_500)


@dataclass(frozen=True)
class ContactDetails:
    """What a person gave on the contact form, already validated and normalized."""

    name: str
    phone: str
    email: str
    best_time: str
    for_whom: str
    message: str
    consent: bool


def store_contact_request(session: Session, details: ContactDetails) -> ContactRequest:
    """Add a request to the session (the caller commits)."""
    request = ContactRequest(
        name=details.name,
        phone=details.phone,
        email=details.email,
        best_time=details.best_time,
        for_whom=details.for_whom,
        message=details.message,
        consent=details.consent,
    )
    session.add(request)
    return request


def purge_contact_requests(
    session: Session, older_than: timedelta, now: datetime | None = None
) -> int:
    """Delete requests created more than `older_than` ago; return how many (the caller commits)."""
    cutoff = (now or utcnow()) - older_than
    result = session.execute(
        sa.delete(ContactRequest).where(ContactRequest.created_at < cutoff),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0


def parse_age(text: str) -> timedelta:
    """Turn "30d" or "12h" into a timedelta; ValueError with a plain message otherwise."""
    match = AGE_PATTERN.match(text or "")
    if not match:
        raise ValueError(
            f"{text!r} is not an age: write a number of days or hours, like 30d or 12h."
        )
    amount, unit = int(match.group(1)), match.group(2).lower()
    if amount < 1:
        raise ValueError("The age must be at least 1 hour or 1 day.")
    age = timedelta(days=amount) if unit == "d" else timedelta(hours=amount)
    if age > MAX_AGE:
        raise ValueError(f"The age must be at most {MAX_AGE.days} days.")
    return age


def describe_age(age: timedelta) -> str:
    """ "30 days" or "12 hours", as an age was given."""
    if age.days and not age.seconds:
        return f"{age.days} day{'s' if age.days != 1 else ''}"
    hours = age // timedelta(hours=1)
    return f"{hours} hour{'s' if hours != 1 else ''}"
