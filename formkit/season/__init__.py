"""The season app: an assessment season in a database, reviewed in the browser.

store (the season database: SQLAlchemy models, Alembic migrations shipped
in the package, content-addressed files under the data folder, the
operations every face shares), web (the Flask pages of ``formkit serve``)
and commands (the ``serve``, ``offices``, ``users``, ``ingest``, ``export``
and ``season`` commands, defined when formkit/cli.py runs one of them). A
face like the command line: it parses and scores through :mod:`formkit.api`
only, and nothing below it imports it. Flask and SQLAlchemy are loaded only
here, so every other command starts without them.
"""
from __future__ import annotations

MISSING_EXTRA = (
    "formkit serve needs the season extra: pip install 'formkit[season]' "
    "(and 'formkit[postgres]' for a PostgreSQL --db URL)"
)
