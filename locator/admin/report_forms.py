"""The admin's forms for visitors' reports: how a center's reports are resolved."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from locator.inbox.listing_reports import RESOLUTIONS
from locator.web.form_fields import strip_text


class ResolveReportsForm(FlaskForm):
    """Which of a center's open reports an action answers, and the action."""

    reports = SelectMultipleField("Reports this answers", coerce=int, validate_choice=False)
    resolution = StringField(
        "What did you do?",
        validators=[InputRequired(message="Choose what you did about the reports.")],
    )
    reason = StringField(
        "Reason for unpublishing",
        filters=[strip_text],
        validators=[Length(max=300, message="Keep the reason to 300 characters.")],
    )

    def validate_resolution(self, field) -> None:
        """One of the offered resolutions."""
        if field.data not in RESOLUTIONS:
            raise ValidationError("Choose what you did about the reports.")

    def validate_reason(self, field) -> None:
        """Unpublishing needs a reason, as on the listing's own page."""
        if self.resolution.data == "unpublished" and not field.data:
            raise ValidationError("Say why the listing comes off the site, e.g. “Closed”.")

    def validate_reports(self, field) -> None:
        """An edit or a dismissal answers the reports ticked (unpublishing answers them all)."""
        if self.resolution.data != "unpublished" and not field.data:
            raise ValidationError("Tick the reports this answers.")
