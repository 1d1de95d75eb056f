"""The "ask to be contacted" form: every rule a request must meet before it is stored."""

from __future__ import annotations

import phonenumbers
from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from locator.inbox.contact_requests import BEST_TIME_LABELS, FOR_WHOM_LABELS, ContactDetails
from locator.web.catalog import gettext as _
from locator.web.form_fields import PageForm, one_kind_of_line_break, optional_email, strip_text

MAX_NAME = 120
MAX_PHONE_INPUT = 40
MAX_MESSAGE = 2000
# The US and the territories that share its +1 numbering and its helplines.
US_REGIONS = {"US", "PR", "GU", "VI", "AS", "MP"}
REACH_MESSAGE = _l("Give a phone number or an email address (or both), so that we can reach you.")


def us_phone_display(text: str) -> str | None:
    """The number in its US display form, e.g. "(512) 555-0123", or None if it is not a US one."""
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.region_code_for_number(number) not in US_REGIONS:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class ContactForm(PageForm):
    """A request to be contacted: a way to reach the person, when, for whom, and consent."""

    name = StringField(
        _l("Your name (optional)"),
        filters=[strip_text],
        validators=[
            Length(
                max=MAX_NAME, message=_l("Keep the name to %(count)s characters.", count=MAX_NAME)
            )
        ],
    )
    phone = StringField(_l("Phone number"), filters=[strip_text])
    email = StringField(
        _l("Email address"),
        filters=[strip_text],
        validators=optional_email(_l("Enter an email address like name@example.com.")),
    )
    # Plain fields rendered as a select and radios by the template, checked against the labels.
    best_time = StringField(_l("Best time to reach you"), default="any time")
    best_time_choices = tuple(BEST_TIME_LABELS.items())
    for_whom = StringField(_l("Who is the help for?"))
    for_whom_choices = tuple(FOR_WHOM_LABELS.items())
    message = TextAreaField(
        _l("Anything you would like us to know (optional)"), filters=[one_kind_of_line_break]
    )
    consent = BooleanField(
        _l("I agree to how my details are used"),
        validators=[
            DataRequired(
                message=_l(
                    "Tick the box to agree, so that we may keep your details and contact you."
                )
            )
        ],
    )
    # A honeypot: hidden from people, filled in by bots that fill in every field.
    website = StringField(_l("Leave this field empty"), filters=[strip_text])

    def validate_phone(self, field: Field) -> None:
        """A US number, with its area code."""
        if not field.data:
            return
        if len(field.data) > MAX_PHONE_INPUT or us_phone_display(field.data) is None:
            raise ValidationError(
                _("Enter a US phone number with its area code, like (512) 555-0123.")
            )

    def validate_best_time(self, field: Field) -> None:
        """One of the offered times."""
        if field.data not in BEST_TIME_LABELS:
            raise ValidationError(_("Choose a time of day from the list."))

    def validate_for_whom(self, field: Field) -> None:
        """Me, or someone I care about."""
        if field.data not in FOR_WHOM_LABELS:
            raise ValidationError(_("Choose who the help is for."))

    def validate_message(self, field: Field) -> None:
        """At most MAX_MESSAGE characters, counted here rather than trusted to the browser."""
        length = len(field.data or "")
        if length > MAX_MESSAGE:
            raise ValidationError(
                _(
                    "Keep the message to %(count)s characters; it has %(length)s. "
                    "You can tell us more when we talk.",
                    count=format_number(MAX_MESSAGE),
                    length=format_number(length),
                )
            )

    def validate(self, extra_validators=None) -> bool:
        """The field rules, then the form's own: a phone number or an email address."""
        fields_valid = super().validate(extra_validators)
        if not self.phone.data and not self.email.data:
            self.form_errors.append(str(REACH_MESSAGE))
            return False
        return fields_valid

    @property
    def is_bot(self) -> bool:
        """True when the hidden honeypot field was filled in."""
        return bool(self.website.data)

    def error_summary(self) -> list[tuple[str, str]]:
        """(id of the field to jump to, message) for each error, in the order of the form."""
        summary = [("phone", message) for message in self.form_errors]
        for field in self:
            summary.extend((field.id, message) for message in field.errors)
        return summary

    def contact_details(self) -> ContactDetails:
        """The validated values, normalized for storage."""
        return ContactDetails(
            name=self.name.data,
            phone=us_phone_display(self.phone.data) if self.phone.data else "",
            email=self.email.data,
            best_time=self.best_time.data,
            for_whom=self.for_whom.data,
            message=self.message.data,
            consent=bool(self.consent.data),
        )
