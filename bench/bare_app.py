"""The yardstick: a bare Flask app that renders 20 rows of HTML with Jinja, and nothing else.

Served by gunicorn in the same run as the app, so that the results page's requests per
second can be read as a share of what Flask and Jinja alone manage on this machine.
"""

from __future__ import annotations

from random import Random

from flask import Flask, render_template


def _rows() -> list[dict]:
    """Twenty made-up rows shaped like a page of results."""
    rng = Random(1)
    return [
        {
            "name": f"Sample Center {i}",
            "street": f"{rng.randrange(100, 9900)} Main St",
            "city": "Austin",
            "state": "TX",
            "zip": "78701",
            "phone": f"(512) 555-01{i:02d}",
            "miles": round(rng.uniform(0.1, 25), 1),
            "services": ["Outpatient", "Medicaid", "Spanish"],
        }
        for i in range(20)
    ]


def create_app() -> Flask:
    """The bare app: one page of 20 rows."""
    app = Flask(__name__)
    rows = _rows()

    @app.get("/rows")
    def rows_page():
        """Twenty rows through a Jinja template."""
        return render_template("bare_rows.html", rows=rows)

    return app
