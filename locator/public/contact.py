"""The "ask to be contacted" form: shown, checked, stored, answered. Its content is never logged."""

from __future__ import annotations

from flask import Response, current_app, redirect, render_template, url_for

from locator.extensions import db, limiter
from locator.inbox.contact_requests import store_contact_request
from locator.inbox.notices import mail_enabled
from locator.jobs import enqueue
from locator.public import bp
from locator.public.contact_form import MAX_MESSAGE, MAX_NAME, ContactForm


def contact_rate_limit() -> str:
    """The per-address limit on sending the form, from the settings."""
    return current_app.config["LOCATOR_CONTACT_RATE_LIMIT"]


def counts_against_limit(response: Response) -> bool:
    """Every sending counts but one sent back to fix a mistake: nobody is punished for a typo."""
    return response.status_code != 400


def render_contact_form(form: ContactForm, status: int = 200):
    """The form page, with the retention period its consent sentence promises."""
    retention_days = current_app.config["LOCATOR_CONTACT_RETENTION_DAYS"]
    page = render_template(
        "public/contact.html",
        form=form,
        retention_days=retention_days,
        max_message=MAX_MESSAGE,
        max_name=MAX_NAME,
    )
    return page, status


@bp.get("/contact")
def contact():
    """The form for asking someone from the site's team to get in touch."""
    return render_contact_form(ContactForm())


@bp.post("/contact")
@limiter.limit(contact_rate_limit, deduct_when=counts_against_limit)
def contact_submit():
    """Check and store a request, then redirect to the confirmation (POST, redirect, GET)."""
    form = ContactForm()
    if form.is_bot:
        # Answer a bot exactly as a person, so that it learns nothing; keep nothing.
        return redirect(url_for("public.contact_sent"))
    if not form.validate():
        return render_contact_form(form, 400)
    store_contact_request(db.session, form.contact_details())
    db.session.commit()  # stored before anyone is told: a mail failure loses nothing
    if mail_enabled(current_app.config):
        enqueue("notify")
    return redirect(url_for("public.contact_sent"))


@bp.get("/contact/sent")
def contact_sent():
    """What happens next, and where to turn in the meantime."""
    return render_template("public/contact_sent.html", mail_on=mail_enabled(current_app.config))
