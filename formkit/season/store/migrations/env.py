"""Alembic's environment: runs on the connection the store hands over
(``config.attributes["connection"]``), never on a URL of its own. Imported
outside a migration run (a test importing every module), it does nothing."""
from __future__ import annotations

from alembic import context

from formkit.season.store.models import Base


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if getattr(context, "config", None) is not None:
    run()
