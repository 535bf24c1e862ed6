"""Opening the season store: the data folder, the database engine, the
migrations (run on every open, so a newer formkit upgrades an older store
first), the session secret.

The data folder holds ``season.db`` (the SQLite database, unless ``--db``
names another), ``files/`` (every received file once, by SHA-256) and
``secret`` (the key that signs session cookies; never in the database, so a
copy of the database alone signs nothing).
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from formkit.errors import FormkitError
from formkit.season.store.models import dump_json

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass
class Store:
    """An open store: ``engine``, ``files`` (the blob folder) and ``data``."""

    data: Path
    engine: Engine
    factory: sessionmaker[Session]

    @property
    def files(self) -> Path:
        return self.data / "files"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on an exception."""
        with self.factory.begin() as session:
            yield session

    def secret(self) -> bytes:
        return read_secret(self.data)

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; a crash keeps committed writes
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(data: Path, url: str | None) -> Engine:
    if url is None:
        url = f"sqlite:///{(data / 'season.db').resolve()}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True, json_serializer=dump_json)
    except ModuleNotFoundError as exc:
        raise FormkitError("not-found", f"the database driver is missing ({exc.name}): pip install 'formkit[postgres]'") from None
    except Exception as exc:  # noqa: BLE001 - a malformed URL
        raise FormkitError("not-found", f"--db {url!r} is not a database URL ({exc})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` (all of them by default)."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def read_secret(data: Path) -> bytes:
    """The data folder's secret, made on first use (readable by its owner only)."""
    path = data / "secret"
    if not path.exists():
        fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(path.with_suffix(".tmp"), path)
    return bytes.fromhex(path.read_text("ascii").strip())


def open_store(data: str | os.PathLike[str], url: str | None = None) -> Store:
    """Open (creating on first use) the store of the data folder ``data``,
    migrated to the newest schema."""
    folder = Path(data)
    try:
        (folder / "files").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FormkitError("cannot-write", f"the data folder {folder} cannot be made ({exc.strerror})") from None
    engine = make_engine(folder, url)
    try:
        upgrade(engine)
    except FormkitError:
        raise
    except Exception as exc:  # noqa: BLE001 - the database cannot be reached or opened
        engine.dispose()
        raise FormkitError("not-found", f"the season database cannot be opened: {type(exc).__name__}: {exc}") from None
    read_secret(folder)
    return Store(folder, engine, sessionmaker(engine, expire_on_commit=False))
