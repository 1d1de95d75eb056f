"""Alembic environment: runs on the connection that locator.database hands it."""

from alembic import context

from locator import models  # noqa: F401  (registers the tables on the metadata)
from locator.extensions import db

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=db.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
