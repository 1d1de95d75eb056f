"""The admin area's forms: sign-in, listing search, listing edit and the one-button actions."""

from __future__ import annotations

import math
import re
from datetime import date
from urllib.parse import urlsplit

import phonenumbers
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from locator.admin.account_store import MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH
from locator.geo import AREAS
from locator.models.center_fields import FIELD_WIDTHS
from locator.web.form_fields import strip_text

FACILITY_TYPES = {
    "substance_use": "Substance use treatment",
    "mental_health": "Mental health treatment",
    "both": "Substance use and mental health treatment",
}
STATE_CHOICES = [SelectChoice(abbr, f"{name} ({abbr})") for abbr, name in AREAS.items()]
ZIP_PATTERN = re.compile(r"^[0-9]{5}$")  # ASCII only: "\d" takes fullwidth digits too
PHONE_MESSAGE = "Enter a US phone number with its area code, such as (512) 555-0100."


def _limit(maximum: int) -> Length:
    return Length(max=maximum, message=f"Keep this to {maximum} characters.")


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-button actions (publish, delete...)."""


class SignInForm(FlaskForm):
    """Email and password."""

    email = EmailField(
        "Email",
        filters=[strip_text],
        validators=[DataRequired(message="Enter your email."), _limit(MAX_EMAIL_LENGTH)],
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(message="Enter your password."), _limit(MAX_PASSWORD_LENGTH)],
    )


class CodeForm(FlaskForm):
    """The six-digit code of an authenticator app (two-step sign-in)."""

    code = StringField(
        "Code from your authenticator app",
        filters=[lambda value: "".join((value or "").split())],
        validators=[DataRequired(message="Enter the 6-digit code."), _limit(10)],
    )


class UnpublishForm(FlaskForm):
    """Why a listing is taken off the public site (kept on the listing and in the audit log)."""

    reason = StringField(
        "Reason for unpublishing",
        filters=[strip_text],
        validators=[
            DataRequired(message="Say why the listing is unpublished, e.g. 'Closed'."),
            _limit(FIELD_WIDTHS["unpublished_reason"]),
        ],
    )


def _center_text(label: str, name: str) -> StringField:
    """A text field of a center, as wide as its column."""
    return StringField(label, filters=[strip_text], validators=[_limit(FIELD_WIDTHS[name])])


def _phone_field(label: str) -> StringField:
    return _center_text(label, "phone")


def _check_phone(field: Field) -> None:
    if not field.data:
        return
    try:
        number = phonenumbers.parse(field.data, "US")
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_MESSAGE) from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(PHONE_MESSAGE)


def _coordinate(field: Field, limit: int, name: str) -> float | None:
    if not field.data:
        return None
    message = f"Enter the {name} as a number from -{limit} to {limit}, such as 30.2672."
    try:
        value = float(field.data)
    except ValueError:
        raise ValidationError(message) from None
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise ValidationError(message)
    return value


class CenterForm(FlaskForm):
    """Every editable field of a listing, with its services.

    The view sets `services.choices` (the taxonomy's codes and the listing's other codes).
    """

    name1 = StringField(
        "Name",
        filters=[strip_text],
        validators=[
            DataRequired(message="Enter the center's name."),
            _limit(FIELD_WIDTHS["name1"]),
        ],
    )
    name2 = _center_text("Second name or program", "name2")
    street1 = _center_text("Street address", "street1")
    street2 = _center_text("Address line 2", "street2")
    city = _center_text("City", "city")
    state = SelectField(
        "State",
        choices=STATE_CHOICES,
        invalid_choice_message="Choose a state, DC or Puerto Rico from the list.",
    )
    zip = StringField("ZIP code", filters=[strip_text])
    county = _center_text("County", "county")
    phone = _phone_field("Main phone")
    intake1 = _phone_field("Intake phone")
    intake2 = _phone_field("Second intake phone")
    hotline = _phone_field("Hotline")
    website = _center_text("Website", "website")
    latitude = StringField("Latitude", filters=[strip_text])
    longitude = StringField("Longitude", filters=[strip_text])
    facility_type = SelectField(
        "Facility type",
        choices=[SelectChoice(value, label) for value, label in FACILITY_TYPES.items()],
        invalid_choice_message="Choose a facility type from the list.",
    )
    published = BooleanField("Published (shown on the public site)")
    last_verified = StringField("Last verified", filters=[strip_text])
    services = SelectMultipleField(
        "Services",
        choices=[],
        invalid_choice_message="Choose services from the list.",
    )

    def validate_zip(self, field: Field) -> None:
        """Five digits, or empty."""
        if field.data and not ZIP_PATTERN.match(field.data):
            raise ValidationError("Enter a 5-digit ZIP code, such as 78701.")

    def validate_phone(self, field: Field) -> None:
        """A US phone number (an extension may follow), or empty."""
        _check_phone(field)

    validate_intake1 = validate_intake2 = validate_hotline = validate_phone

    def validate_website(self, field: Field) -> None:
        """An http or https address with a host, or empty."""
        if not field.data:
            return
        message = "Enter a web address that starts with https:// or http://."
        try:
            parts = urlsplit(field.data)
            hostname = parts.hostname  # reading it checks a bracketed host such as "[::1]"
        except ValueError:  # "http://[" (an unclosed bracket) can't be split
            raise ValidationError(message) from None
        if parts.scheme.lower() not in {"http", "https"} or not hostname:
            raise ValidationError(message)
        if any(ch.isspace() for ch in field.data):
            raise ValidationError("A web address has no spaces.")

    def validate_latitude(self, field: Field) -> None:
        """From -90 to 90, or empty."""
        _coordinate(field, 90, "latitude")

    def validate_longitude(self, field: Field) -> None:
        """From -180 to 180, or empty."""
        _coordinate(field, 180, "longitude")

    def validate_last_verified(self, field: Field) -> None:
        """A date written YYYY-MM-DD, not in the future, or empty."""
        if not field.data:
            return
        try:
            day = date.fromisoformat(field.data)
        except ValueError:
            raise ValidationError("Enter the date as YYYY-MM-DD, such as 2026-05-01.") from None
        if day > date.today():
            raise ValidationError("The date can't be in the future.")

    def validate(self, extra_validators=None) -> bool:
        """Field rules, then: both coordinates or neither, and no published listing unplaced."""
        if not super().validate(extra_validators):
            return False
        has_latitude, has_longitude = bool(self.latitude.data), bool(self.longitude.data)
        if has_latitude != has_longitude:
            missing = self.longitude if has_latitude else self.latitude
            missing.errors.append("Give both latitude and longitude, or neither.")
            return False
        if self.published.data and not has_latitude:
            self.published.errors.append(
                "A listing without coordinates can't be published: add its latitude and "
                "longitude first, or untick Published."
            )
            return False
        return True

    def coordinates(self) -> tuple[float | None, float | None]:
        """The validated latitude and longitude (both None when left empty)."""
        return _coordinate(self.latitude, 90, "latitude"), _coordinate(
            self.longitude, 180, "longitude"
        )


class CenterSearchForm(FlaskForm):
    """The filters of the listings table, bound to the query string (a GET changes nothing).

    The view sets `source.choices` from the sources in the database.
    """

    class Meta:
        csrf = False

    q = StringField("Name contains", filters=[strip_text], validators=[_limit(200)])
    city = _center_text("City", "city")
    state = SelectField(
        "State",
        choices=[SelectChoice("", "Any state"), *STATE_CHOICES],
        default="",
        invalid_choice_message="Choose a state from the list.",
    )
    source = SelectField(
        "Source", choices=[], default="", invalid_choice_message="Choose a source from the list."
    )
    published = SelectField(
        "Published",
        choices=[
            SelectChoice("", "Published or not"),
            SelectChoice("yes", "Published only"),
            SelectChoice("no", "Unpublished only"),
        ],
        default="",
        invalid_choice_message="Choose from the list.",
    )
    unplaced = BooleanField("Unplaced only (no coordinates)")
    stale = BooleanField("Not verified for over a year")
