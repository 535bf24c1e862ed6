"""The offices' private links: one per office and season.

A link's token is ``HMAC-SHA256(secret, nonce)`` (256 bits, URL-safe), where
``nonce`` is ``secrets.token_urlsafe(32)`` and ``secret`` the data folder's
key (never in the database). The database keeps the nonce and the token's
SHA-256 only: a copy of the database alone opens no office page, yet the
admin (who has the data folder) can write the links out again. Revoking
sets ``revoked_at``; reissuing revokes and adds a new row, so the history
stays. The office's deadline is the season's unless the admin extended it
for that office (kept on the link, carried over on a reissue).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from formkit.season.store.db import Store
from formkit.season.store.models import Office, OfficeLink, Season, now
from formkit.season.store.people import audit, current_season

TOKEN_CHARS = 43  # 256 bits, URL-safe base64 without padding
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Access:
    """What an office token opens: that office, that season, its deadline."""

    office_id: int
    office_code: str
    office_name: str
    season_id: int
    link_id: int
    deadline: datetime | None

    def open(self, at: datetime | None = None) -> bool:
        return self.deadline is None or (at or now()) <= self.deadline


def token_of(secret: bytes, nonce: str) -> str:
    digest = hmac.new(secret, nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def active_link(session: Session, office_id: int, season_id: int) -> OfficeLink | None:
    return session.scalar(select(OfficeLink).where(
        OfficeLink.office_id == office_id, OfficeLink.season_id == season_id,
        OfficeLink.revoked_at.is_(None)).order_by(OfficeLink.id.desc()).limit(1))


def issue(session: Session, secret: bytes, office: Office, season: Season, *, actor: str = "system") -> str:
    """A new link for ``office`` (any active one is revoked); its token."""
    old = active_link(session, office.id, season.id)
    deadline = None
    if old is not None:
        old.revoked_at, deadline = now(), old.deadline
    nonce = secrets.token_urlsafe(32)
    token = token_of(secret, nonce)
    link = OfficeLink(season_id=season.id, office_id=office.id, nonce=nonce, token_hash=token_hash(token),
                      deadline=deadline)
    session.add(link)
    session.flush()
    audit(session, actor, "reissue-link" if old else "issue-link", f"office:{office.code}", link=link.id)
    return token


def revoke(session: Session, office: Office, season: Season, *, actor: str = "system") -> bool:
    link = active_link(session, office.id, season.id)
    if link is None:
        return False
    link.revoked_at = now()
    audit(session, actor, "revoke-link", f"office:{office.code}", link=link.id)
    return True


def extend(session: Session, office: Office, season: Season, until: datetime | None, *,
           actor: str = "system") -> bool:
    """The office's own deadline (None: the season's again)."""
    link = active_link(session, office.id, season.id)
    if link is None:
        return False
    link.deadline = until
    audit(session, actor, "extend-deadline", f"office:{office.code}", until=until.isoformat() if until else None)
    return True


def links_table(session: Session, secret: bytes, base_url: str = DEFAULT_BASE_URL,
                *, actor: str = "system") -> list[dict[str, str]]:
    """code, name, link of every office for the current season; an office
    without an active link is issued one."""
    season = current_season(session)
    rows = []
    for office in session.scalars(select(Office).order_by(Office.code)):
        link = active_link(session, office.id, season.id)
        token = token_of(secret, link.nonce) if link is not None else issue(session, secret, office, season,
                                                                             actor=actor)
        rows.append({"code": office.code, "name": office.name, "link": link_url(base_url, token)})
    return rows


def link_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/o/{token}"


def resolve(session: Session, token: str) -> Access | None:
    """The office a token opens, or None (unknown, revoked, malformed)."""
    if len(token) != TOKEN_CHARS or not all(c.isascii() and (c.isalnum() or c in "-_") for c in token):
        return None
    link = session.scalar(select(OfficeLink).where(OfficeLink.token_hash == token_hash(token)))
    if link is None or link.revoked_at is not None:
        return None
    office, season = session.get(Office, link.office_id), session.get(Season, link.season_id)
    if office is None or season is None:
        return None
    deadline = link.deadline or season.deadline
    if link.deadline is not None and season.deadline is not None:
        deadline = max(link.deadline, season.deadline)
    return Access(office.id, office.code, office.name, season.id, link.id, deadline)


def links_csv(store: Store, base_url: str = DEFAULT_BASE_URL) -> tuple[str, int]:
    """The links table as CSV text (cells escaped as every export's) and its row count."""
    import io

    from formkit.output import write_csv

    with store.session() as session:
        rows = links_table(session, store.secret(), base_url, actor="cli")
    buf = io.StringIO()
    write_csv(rows, buf, ["code", "name", "link"])
    return buf.getvalue(), len(rows)
