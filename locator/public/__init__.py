"""Pages for people looking for treatment, each in English and in Spanish (under /es)."""

from locator.web.i18n import BilingualBlueprint

bp = BilingualBlueprint("public", __name__)

# Each module registers its routes on bp.
from locator.public import (  # noqa: E402
    articles,  # noqa: F401
    contact,  # noqa: F401
    helpline,  # noqa: F401
    privacy,  # noqa: F401
    report_problem,  # noqa: F401
    site_search_view,  # noqa: F401
    views,  # noqa: F401
)
