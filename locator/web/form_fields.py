"""What the forms share: input clean-up filters and the optional email address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Email, Length, Optional

from locator.web.catalog import form_catalog

MAX_EMAIL = 254


class PageForm(FlaskForm):
    """A form of the public pages: WTForms' own messages in the page's language, from a
    catalog read once per process."""

    class Meta:
        def get_translations(self, form):
            """The page language's catalog of WTForms messages (None: English)."""
            return form_catalog()


def strip_text(value: str | None) -> str:
    """The typed text without surrounding white space ("" for nothing)."""
    return (value or "").strip()


def one_kind_of_line_break(value: str | None) -> str:
    """Stripped text with CRLF and CR read as one line break, as the person typed it."""
    return strip_text(value).replace("\r\n", "\n").replace("\r", "\n")


def optional_email(format_message: object) -> list:
    """Validators of an email field that may stay empty; `format_message` for a malformed one."""
    return [
        Optional(),
        Length(
            max=MAX_EMAIL,
            message=_l("Keep the email address to %(count)s characters.", count=MAX_EMAIL),
        ),
        Email(
            message=format_message,
            check_deliverability=False,  # no DNS look-up: nothing leaves the server
        ),
    ]
