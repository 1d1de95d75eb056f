"""The admin area at /admin: sign-in, listings, contact requests and the audit log.

Every view of this blueprint needs a signed-in, active admin (see `auth.require_admin`), except
the sign-in page itself. Importing `locator.admin.audit` (as the importers do) loads no views:
the view modules are imported by `init_app`, so they may import the importers in turn. A new
page module (such as `imports.py`) does `from locator.admin import bp`, defines its routes and
is added to the list in `init_app`; the guard covers it without more.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, static_folder="static", static_url_path="/static")


def init_app(app: Flask) -> None:
    """Load the views, set up sign-in and register the blueprint at /admin."""
    from locator.admin import (  # noqa: F401  (each module registers its routes on bp)
        accounts,
        audit_log,
        auth,
        center_actions,
        centers,
        contact_requests,
        dashboard,
        exports,
        geocoding,
        import_runs,
        imports,
        reports,
        sources,
        two_step,
    )

    auth.init_login(app)
    app.register_blueprint(bp, url_prefix="/admin")
