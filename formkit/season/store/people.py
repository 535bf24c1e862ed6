"""Users (hashed passwords), offices (imported from CSV or XLSX), the
season itself, and the audit log every change writes to."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from formkit.errors import FormkitError
from formkit.season.store.models import ROLES, Audit, Office, Season, User, now

# scrypt's cost: 16 MiB of memory per hash (RFC 7914's interactive figure)
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(stored: str, password: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(digest) // 2, maxmem=2**26)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def audit(session: Session, actor: str, action: str, target: str, note: str | None = None, **details: Any) -> None:
    session.add(Audit(actor=actor, action=action, target=target, details=details, note=note))


def add_user(session: Session, name: str, password: str, role: str, *, chair: bool = False,
             actor: str = "system") -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if not name.strip() or len(name) > 100:
        raise ValueError("a user name is 1 to 100 characters")
    _check_password(password)
    user = User(name=name.strip(), password_hash=hash_password(password), role=role, chair=chair)
    session.add(user)
    session.flush()
    audit(session, actor, "add-user", f"user:{user.name}", role=role, chair=chair)
    return user


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise ValueError("a password has at least 8 characters")


def _user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise ValueError(f"there is no user {name!r}")
    return user


def set_password(session: Session, name: str, password: str, *, actor: str) -> User:
    """A new password for the user ``name`` (at least 8 characters); the
    user's sessions end (a session carries the tail of the hash). Audited."""
    _check_password(password)
    user = _user(session, name)
    user.password_hash = hash_password(password)
    audit(session, actor, "reset-password", f"user:{user.name}")
    return user


def set_disabled(session: Session, name: str, disabled: bool, *, actor: str) -> User:
    """Disable the user ``name`` (no sign-in; open sessions stop working at
    the next request) or enable it again. An admin cannot disable themself,
    nor the last enabled admin. Audited."""
    user = _user(session, name)
    if disabled and user.name == actor:
        raise ValueError("you cannot disable your own account")
    if disabled and user.role == "admin" and user.disabled_at is None and session.scalar(
            select(func.count()).select_from(User).where(User.role == "admin", User.disabled_at.is_(None))) == 1:
        raise ValueError("the last admin cannot be disabled")
    if disabled != (user.disabled_at is not None):
        user.disabled_at = now() if disabled else None
        audit(session, actor, "disable-user" if disabled else "enable-user", f"user:{user.name}")
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        verify_password(hash_password("x" * 8), password)  # the same time whether the user exists or not
        return None
    right = verify_password(user.password_hash, password)
    return user if right and user.disabled_at is None else None


def current_season(session: Session) -> Season:
    """The newest season; the first is made on first use (this fiscal year,
    Buddhist Era, with every known form)."""
    season = session.scalar(select(Season).order_by(Season.id.desc()).limit(1))
    if season is None:
        from formkit import forms

        today = datetime.now()
        year = today.year + 543 + (1 if today.month >= 10 else 0)  # the Thai fiscal year starts on 1 October
        season = Season(fiscal_year=year, forms=[f.id for f in forms.load_all()])
        session.add(season)
        session.flush()
        audit(session, "system", "add-season", f"season:{season.id}", fiscal_year=year)
    return season


YEARS = (2500, 2700)  # Buddhist Era: 1957 to 2157
SEASON_PROBLEMS = {
    "fiscal_year": "Enter the fiscal year as a Buddhist Era year from 2500 to 2700, such as 2570",
    "deadline": "Enter the deadline as a real date, such as 2027-03-31, or leave it empty",
    "forms": "Choose at least one form",
    "unknown-form": "Choose only forms from the list",
}


class SeasonInvalid(ValueError):
    """A change of the season that is refused: ``problems`` maps each field
    (``fiscal_year``, ``deadline``, ``forms``) to the message of
    :data:`SEASON_PROBLEMS` (English; the pages translate it); the string
    names every problem with the value that caused it."""

    def __init__(self, problems: dict[str, str], details: list[str]) -> None:
        super().__init__("; ".join(details))
        self.problems = problems


def parse_deadline(text: str) -> datetime | None:
    """``YYYY-MM-DD`` (the whole day counts: until 23:59:59) or
    ``YYYY-MM-DDTHH:MM``; empty or ``none`` is no deadline. ValueError otherwise."""
    text = text.strip()
    if not text or text.lower() == "none":
        return None
    when = datetime.fromisoformat(text)
    if len(text) <= 10:
        when = datetime.combine(when.date(), time(23, 59, 59))
    return when


def check_season(*, fiscal_year: int | None = None, form_ids: list[str] | None = None) -> SeasonInvalid | None:
    """What is wrong with a season change (None: nothing), every field checked."""
    from formkit import forms

    problems: dict[str, str] = {}
    details: list[str] = []
    if fiscal_year is not None and not YEARS[0] <= fiscal_year <= YEARS[1]:
        problems["fiscal_year"] = SEASON_PROBLEMS["fiscal_year"]
        details.append(f"fiscal year {fiscal_year}: a Buddhist Era year from {YEARS[0]} to {YEARS[1]} is needed")
    for form_id in form_ids or []:
        try:
            forms.load_id(form_id)
        except FormkitError as exc:
            problems["forms"] = SEASON_PROBLEMS["unknown-form"]
            details.append(f"form {form_id!r}: {exc.message}")
    if form_ids is not None and not form_ids:
        problems["forms"] = SEASON_PROBLEMS["forms"]
        details.append("at least one form is needed")
    return SeasonInvalid(problems, details) if problems else None


def set_season(session: Session, actor: str, *, fiscal_year: int | None = None, deadline: datetime | None = None,
               clear_deadline: bool = False, form_ids: list[str] | None = None) -> Season:
    """Change the current season: its fiscal year (Buddhist Era), its
    deadline (``clear_deadline`` removes it) and the forms in play (each a
    known form id), the one way the command line and the admin's page
    change it. Every value is checked before any is set (raises
    :class:`SeasonInvalid`); what changed is one audit row."""
    refused = check_season(fiscal_year=fiscal_year, form_ids=form_ids)
    if refused is not None:
        raise refused
    season = current_season(session)
    changes: dict[str, Any] = {}
    if fiscal_year is not None and fiscal_year != season.fiscal_year:
        season.fiscal_year = changes["fiscal_year"] = fiscal_year
    if (clear_deadline or deadline is not None) and season.deadline != (None if clear_deadline else deadline):
        season.deadline = None if clear_deadline else deadline
        changes["deadline"] = season.deadline.isoformat() if season.deadline else None
    if form_ids is not None and list(dict.fromkeys(form_ids)) != list(season.forms):
        season.forms = changes["forms"] = list(dict.fromkeys(form_ids))
    if changes:
        audit(session, actor, "set-season", f"season:{season.id}", **changes)
    return season


def office_key(name: str) -> str:
    from formkit.score.report_model import office_key as fold

    return fold(name)


def _table_rows(path: Path) -> list[list[Any]]:
    from formkit.fill.csvfile import Broken, csv_rows
    from formkit.fill.tabular import xlsx_rows

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = xlsx_rows(path)
    else:
        rows = csv_rows(path)
    out = []
    for number, cells in rows:
        if isinstance(cells, Broken):
            raise FormkitError("bad-data", f"row {number}: {cells.problem}", str(path))
        out.append(["" if c is None else str(c).strip() for c in cells])
    return out


def import_offices(session: Session, path: str | Path, actor: str = "system") -> tuple[int, int]:
    """Offices from a CSV or XLSX file of ``code,name[,email]`` (a header row
    naming ``code`` is skipped); an existing code is updated. Returns (added,
    updated). A row without a code or a name raises ``bad-data`` naming it."""
    from formkit.text import normalize

    rows = _table_rows(Path(path))
    if rows and rows[0] and rows[0][0].casefold() in ("code", "รหัส"):
        rows = rows[1:]
    added = updated = 0
    seen: set[str] = set()
    for number, cells in enumerate(rows, 2):
        cells = cells + ["", "", ""]
        code, name, email = cells[0], normalize(cells[1]).strip(), cells[2] or None
        if not any(cells):
            continue
        if not code or not name:
            raise FormkitError("bad-data", f"row {number}: an office needs a code and a name", str(path))
        if code in seen:
            raise FormkitError("bad-data", f"row {number}: the code {code} appears twice", str(path))
        seen.add(code)
        office = session.scalar(select(Office).where(Office.code == code))
        if office is None:
            session.add(Office(code=code, name=name, key=office_key(name), email=email))
            added += 1
        elif (office.name, office.email) != (name, email):
            office.name, office.key, office.email = name, office_key(name), email
            updated += 1
    audit(session, actor, "import-offices", f"file:{Path(path).name}", added=added, updated=updated)
    return added, updated


def match_office(session: Session, name: str | None) -> Office | None:
    if not name or not name.strip():
        return None
    return session.scalar(select(Office).where(Office.key == office_key(name)))
