"""The season database's tables (SQLAlchemy 2 declarative models).

Nothing is overwritten: a parse result is a new row (``current`` moves to
it), a correction keeps the parsed value beside the corrected one, every
judgment and correction names the upload (SHA-256) it was made on, and
every change is an :class:`Audit` row. Files are stored once, by content
(:class:`Blob`); each time one is handed in is a :class:`Receipt`. A change
of these models is a new migration under migrations/versions.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, cast

from sqlalchemy import (
    JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint, event, false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class JSONText(str):
    """A JSON column's value already encoded (by the worker process that
    parsed the file): :func:`dump_json` writes it as it is."""


def dump_json(value: Any) -> str:
    """How the engine encodes a JSON column's value (``json_serializer``):
    :class:`JSONText` as it is, anything else with :func:`json.dumps`."""
    return value if isinstance(value, JSONText) else json.dumps(value)


def encode_json(value: Any) -> JSONText:
    """``value`` encoded once, compact, for a JSON column (what
    :func:`json.loads` reads back is ``value``)."""
    return JSONText(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


ROLES = ("admin", "reviewer")
JOB_STATES = ("queued", "running", "done", "failed")


class Season(Base):
    __tablename__ = "seasons"
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    forms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    deadline: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Office(Base):
    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(500), index=True)  # the name as report_model.office_key folds it
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    chair: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # cannot sign in; sessions end


class Blob(Base):
    """A file's content, once: DATA/files/<sha[:2]>/<sha>."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Receipt(Base):
    """A file handed in for an office: its original name, who brought it, when."""

    __tablename__ = "receipts"
    __table_args__ = (UniqueConstraint("season_id", "sha256", "office_id", name="uq_receipt_once"),
                      # the tracker's scan of a season in order, from the index alone
                      Index("ix_receipts_tracker", "season_id", "received_at", "id", "office_id", "sha256"))
    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"))
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), nullable=True, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    batch: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    match_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Parse(Base):
    """One parse of a blob; re-parsing adds a row and moves ``current``.
    ``failed`` (an error) and ``warned`` (any warning) are set from
    ``error`` and ``warnings`` whenever the row is written (see
    :func:`_parse_flags`): with ``form`` they are all the tracker reads,
    from the index ``ix_parses_tracker`` alone, never the row with its
    record."""

    __tablename__ = "parses"
    __table_args__ = (Index("ix_parses_tracker", "sha256", "current", "form", "failed", "warned"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    formkit_version: Mapped[str] = mapped_column(String(40))
    form: Mapped[str | None] = mapped_column(String(100), nullable=True)
    record: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    where: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    office_name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    parsed_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    failed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    warned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


@event.listens_for(Parse, "before_insert")
@event.listens_for(Parse, "before_update")
def _parse_flags(mapper: Any, connection: Any, parse: Parse) -> None:
    parse.failed, parse.warned = parse_flags(parse.error, parse.warnings)


def parse_flags(error: Any, warnings: Any) -> tuple[bool, bool]:
    """A parse's tracker flags (``failed``, ``warned``) from its error and
    warnings: set by the listener above on the ORM's writes and by the
    store's bulk inserts, which no listener sees."""
    return error is not None, bool(warnings)


class Correction(Base):
    """A field corrected on one upload; the parsed value is kept beside it.
    ``disputed``: a later parse reads the field differently from the value
    that was corrected."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(300))
    parsed_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Judgment(Base):
    """One reviewer's done/clear answers on one upload; the chair marks one final."""

    __tablename__ = "judgments"
    __table_args__ = (UniqueConstraint("receipt_id", "user_id", name="uq_judgment_per_reviewer"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    done: Mapped[list[Any]] = mapped_column(JSON)
    clear: Mapped[list[Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Level(Base):
    """The final level per office and form, as last scored from the store."""

    __tablename__ = "levels"
    __table_args__ = (UniqueConstraint("season_id", "office_id", "form", name="uq_level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    form: Mapped[str] = mapped_column(String(100))
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    basis: Mapped[str | None] = mapped_column(String(40), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Audit(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class Job(Base):
    """Background work (a parse of a blob); its state in the database, so a
    restart finds what was queued or left running and does it."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class OfficeLink(Base):
    """An office's private link for one season. The token is never stored:
    it is the HMAC of ``nonce`` under the data folder's secret, and only its
    SHA-256 is kept, so a copy of the database alone opens no page. A
    reissue revokes the link and adds a new row (the history stays)."""

    __tablename__ = "office_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    deadline: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # the office's extended deadline


class Pick(Base):
    """The committee's choice of the receipt that counts for an office and
    form, instead of the newest. Removing it returns to the newest; each
    pick and unpick is an :class:`Audit` row (who, when, why)."""

    __tablename__ = "picks"
    __table_args__ = (UniqueConstraint("season_id", "office_id", "form", name="uq_pick"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    form: Mapped[str] = mapped_column(String(100))
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


def table(model: type[Base]) -> Table:
    """A model's table, for Core statements (bulk inserts and updates)."""
    return cast(Table, model.__table__)
