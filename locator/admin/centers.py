"""The listings table and the edit form of one listing."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from wtforms import SelectChoice

from locator.admin import bp
from locator.admin.auth import signed_in_admin
from locator.admin.center_changes import EDITABLE_FIELDS, save_center_edit
from locator.admin.forms import (
    FACILITY_TYPES,
    ActionForm,
    CenterForm,
    CenterSearchForm,
    UnpublishForm,
)
from locator.admin.pagination import paginate, requested_page
from locator.admin.queries import CenterFilters, center_sources, centers_query
from locator.extensions import db
from locator.importers.overrides import disagreements
from locator.models import Center, utcnow
from locator.taxonomy import current_taxonomy

PUBLISHED_CHOICE = {"": None, "yes": True, "no": False}


def center_filters(form: CenterSearchForm) -> CenterFilters:
    """The listings table's filters, from its validated form."""
    return CenterFilters(
        name=form.q.data,
        city=form.city.data,
        state=form.state.data or "",
        source=form.source.data or "",
        published=PUBLISHED_CHOICE[form.published.data or ""],
        unplaced=form.unplaced.data,
        stale=form.stale.data,
    )


@bp.get("/centers")
def centers():
    """All listings, narrowed by name, place, source and state of care, 50 a page."""
    form = CenterSearchForm(request.args)
    sources = center_sources(db.session)
    form.source.choices = [SelectChoice("", "Any source"), *map(SelectChoice, sources)]
    page_number = requested_page(request.args)
    if not form.validate():
        return render_template("admin/centers.html", form=form, page=None), 400
    query = centers_query(center_filters(form), utcnow().date())
    page = paginate(db.session, query, page_number)
    return render_template("admin/centers.html", form=form, page=page)


def center_form_data(center: Center) -> dict:
    """A listing's values as the edit form shows them."""
    data = {field: getattr(center, field) for field in EDITABLE_FIELDS}
    for field in ("latitude", "longitude"):
        data[field] = "" if data[field] is None else repr(data[field])
    data["last_verified"] = center.last_verified.isoformat() if center.last_verified else ""
    data["services"] = [service.code for service in center.services]
    return data


def edit_values(form: CenterForm) -> dict:
    """The validated form as listing values (numbers, a date and a flag where due)."""
    values = {field: form[field].data for field in EDITABLE_FIELDS}
    values["latitude"], values["longitude"] = form.coordinates()
    values["last_verified"] = (
        date.fromisoformat(form.last_verified.data) if form.last_verified.data else None
    )
    return values


def service_choices(center: Center) -> list[str]:
    """The taxonomy's codes, then any other code the listing has (kept from an import)."""
    codes = list(current_taxonomy().services)
    return codes + [s.code for s in center.services if s.code not in current_taxonomy().services]


def render_edit_page(center: Center, form: CenterForm, status: int = 200, **forms):
    """The edit page with its action forms; `notice` explains a refused action."""
    return render_template(
        "admin/center_edit.html",
        center=center,
        form=form,
        service_groups=current_taxonomy().grouped(choice.value for choice in form.services.choices),
        unpublish_form=forms.get("unpublish_form") or UnpublishForm(formdata=None),
        action_form=ActionForm(formdata=None),
        notice=forms.get("notice"),
        disagreements=disagreements(center.overrides),
    ), status


def edit_form(center: Center) -> CenterForm:
    """The edit form bound to the request on POST, or filled from the listing on GET."""
    form = CenterForm(data=center_form_data(center))
    form.services.choices = [SelectChoice(code) for code in service_choices(center)]
    if center.facility_type not in FACILITY_TYPES:  # a type an import brought: keep it choosable
        form.facility_type.choices = [
            *form.facility_type.choices,
            SelectChoice(center.facility_type),
        ]
    return form


@bp.route("/centers/<int:center_id>/edit", methods=["GET", "POST"])
def edit_center(center_id: int):
    """Edit a listing's fields and services, saved in one transaction with its audit entry."""
    center = db.get_or_404(Center, center_id)
    form = edit_form(center)
    if not form.validate_on_submit():
        return render_edit_page(center, form, 400 if request.method == "POST" else 200)
    entry = save_center_edit(
        db.session, center, edit_values(form), form.services.data, signed_in_admin()
    )
    db.session.commit()
    flash("Changes saved." if entry else "Nothing was changed.", "success")
    return redirect(url_for("admin.edit_center", center_id=center_id), 303)
