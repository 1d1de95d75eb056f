"""The search form, shared by the pages and the API (bound to the query string, no CSRF)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.validators import Length, ValidationError

from locator.web.params import MAX_PAGE, ParameterError, page_message, whole_number

RADIUS_CHOICES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS = 25


def _whole_number(field: Field, minimum: int, maximum: int, message: str) -> int:
    try:
        return whole_number(field.data, minimum, maximum, message)
    except ParameterError as error:
        raise ValidationError(str(error)) from None


class SearchForm(FlaskForm):
    """`location`, `radius` and `page` of a search; `service` values are read apart."""

    class Meta:
        csrf = False  # a GET search changes nothing, and its URL must be shareable

    location = StringField(
        _l("ZIP code, city or address"),
        validators=[Length(max=200, message=_l("Keep the location under 200 characters."))],
    )
    radius = StringField(_l("Within"), default=str(DEFAULT_RADIUS))
    page = StringField(_l("Page"), default="1")

    def validate_radius(self, field: Field) -> None:
        """Only the radius choices the form offers."""
        first = ", ".join(str(r) for r in RADIUS_CHOICES[:-1])
        message = _(
            "Choose a radius of %(first)s or %(last)s miles.", first=first, last=RADIUS_CHOICES[-1]
        )
        value = _whole_number(field, 0, 10_000, message)
        if value not in RADIUS_CHOICES:
            raise ValidationError(message)

    def validate_page(self, field: Field) -> None:
        """A page number from 1."""
        _whole_number(field, 1, MAX_PAGE, page_message())

    @property
    def radius_miles(self) -> int:
        """The validated radius."""
        return int((self.radius.data or "").strip(" \t") or DEFAULT_RADIUS)

    @property
    def page_number(self) -> int:
        """The validated page."""
        return int((self.page.data or "").strip(" \t") or 1)
