"""The sources of the listings, and removing one whole source (POST + CSRF, audited)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from locator.admin import bp
from locator.admin.auth import signed_in_admin
from locator.admin.confirm import confirmation_page
from locator.extensions import db
from locator.importers.contributions import matched_counts
from locator.importers.remove import removal_counts, remove_source, source_counts


@bp.get("/sources")
def sources():
    """Every source with its number of listings."""
    counts = source_counts(db.session)
    counts.update({name: 0 for name in matched_counts(db.session) if name not in counts})
    counts = sorted(counts.items())
    return render_template("admin/sources.html", counts=counts)


def _explanation(count: int, matched: int) -> str:
    centers = "1 center" if matched == 1 else f"{matched} centers"
    also = f", and its services leave {centers} that other sources list too" if matched else ""
    return (
        f"Its {count} listings leave the public site and the database at once{also}. The audit "
        "log records the removal; an import of the source's file brings them back."
    )


@bp.route("/sources/<path:source>/remove", methods=["GET", "POST"])
def remove_listing_source(source: str):
    """Say how many listings would go and ask to confirm; then delete them all."""
    count, matched = removal_counts(db.session, source)
    if not count + matched:
        abort(404)
    page = confirmation_page(
        title=f"Remove the source {source}?",
        explanation=_explanation(count, matched),
        action=url_for("admin.remove_listing_source", source=source),
        cancel=url_for("admin.sources"),
    )
    if page is not None:
        return page
    remove_source(db.session, source, signed_in_admin())
    db.session.commit()
    flash(f"Removed the {count} listings of {source}.", "success")
    return redirect(url_for("admin.sources"), 303)
