"""The "report a problem with this listing" form: every rule a report meets before it is stored."""

from __future__ import annotations

from flask_babel import LazyString, format_number
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from locator.inbox.listing_reports import REPORT_KINDS
from locator.web.catalog import gettext as _
from locator.web.form_fields import PageForm, one_kind_of_line_break, optional_email, strip_text

MAX_NOTE = 1000


class ReportForm(PageForm):
    """What is wrong, an optional note, an optional email for a reply; no name asked."""

    kind = StringField(
        _l("What is wrong?"),
        validators=[InputRequired(message=_l("Choose what is wrong with the listing."))],
    )
    note = TextAreaField(
        _l("Tell us more (optional)"),
        filters=[one_kind_of_line_break],
        validators=[
            Length(
                max=MAX_NOTE,
                message=LazyString(
                    lambda: _(
                        "Keep the note to %(count)s characters.", count=format_number(MAX_NOTE)
                    )
                ),
            )
        ],
    )
    email = StringField(
        _l("Your email address, if you would like a reply (optional)"),
        filters=[strip_text],
        validators=optional_email(
            _l("Enter an email address like name@example.com, or leave it empty.")
        ),
    )
    # A honeypot: hidden from people, filled in by bots that fill in every field.
    website = StringField(_l("Leave this field empty"), filters=[strip_text])

    def validate_kind(self, field) -> None:
        """One of the offered kinds of problem."""
        if field.data not in REPORT_KINDS:
            raise ValidationError(_("Choose what is wrong with the listing."))

    @property
    def is_bot(self) -> bool:
        """True when the hidden honeypot field was filled in."""
        return bool(self.website.data)

    def error_summary(self) -> list[tuple[str, str]]:
        """(id of the field to jump to, message) for each error, in the order of the form."""
        return [(field.id, message) for field in self for message in field.errors]
