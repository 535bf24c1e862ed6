"""The season store: the database (models, Alembic migrations run on
opening), the files under the data folder (content-addressed by SHA-256),
and the operations the command line and the pages share (ops, parsing,
export). Imports SQLAlchemy and Alembic; parses and scores through
:mod:`formkit.api` only.
"""
