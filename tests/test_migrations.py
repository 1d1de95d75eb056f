"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from locator.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [
            d
            for d in compare_metadata(context, db.metadata)
            # Search indexes made by raw SQL in migrations are not models' business.
            if not (d[0] in ("remove_table", "remove_index") and "search" in str(d[1]))
        ]
    assert differences == []
