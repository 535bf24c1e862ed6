"""The committee picks which upload counts for an office and form: the
newest counts unless a :class:`Pick` names another. A pick stands when the
office uploads again; unpicking returns to the newest. Both are audited."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from formkit.season.store.models import Parse, Pick, Receipt, User
from formkit.season.store.people import audit


class PickError(ValueError):
    """A pick that cannot be taken, with the reason to show."""


def form_of(session: Session, receipt: Receipt) -> str | None:
    """The form the receipt's current parse read (None while queued or failed)."""
    return session.scalar(select(Parse.form).where(Parse.sha256 == receipt.sha256, Parse.current.is_(True)))


def picks_of(session: Session, season_id: int) -> dict[tuple[int, str], int]:
    """(office id, form) -> the picked receipt's id, for the season."""
    return {(p.office_id, p.form): p.receipt_id
            for p in session.scalars(select(Pick).where(Pick.season_id == season_id))}


def pick(session: Session, receipt: Receipt, office_id: int, form: str, user: User | None, reason: str = "") -> Pick:
    """Make ``receipt`` the one that counts for (its season, office, form)."""
    if receipt.office_id is None or receipt.office_id != office_id:
        raise PickError("the file is not one of this office's uploads")
    if not form or form_of(session, receipt) != form:
        raise PickError("the file is not an upload of this form")
    found = session.scalar(select(Pick).where(Pick.season_id == receipt.season_id, Pick.office_id == office_id,
                                              Pick.form == form))
    if found is None:
        found = Pick(season_id=receipt.season_id, office_id=office_id, form=form, receipt_id=receipt.id)
        session.add(found)
    found.receipt_id, found.user_id, found.reason = receipt.id, user.id if user else None, reason.strip()
    session.flush()
    audit(session, user.name if user else "cli", "pick", f"receipt:{receipt.id}", note=reason.strip() or None,
          office_id=office_id, form=form, sha256=receipt.sha256)
    return found


def unpick(session: Session, season_id: int, office_id: int, form: str, user: User | None, reason: str = "") -> bool:
    """The newest upload counts again; False when nothing was picked."""
    found = session.scalar(select(Pick).where(Pick.season_id == season_id, Pick.office_id == office_id,
                                              Pick.form == form))
    if found is None:
        return False
    audit(session, user.name if user else "cli", "unpick", f"receipt:{found.receipt_id}",
          note=reason.strip() or None, office_id=office_id, form=form)
    session.delete(found)
    session.flush()
    return True


@dataclass
class Upload:
    """One upload in an office's history of a form, and whether it counts."""

    receipt: Receipt
    newest: bool
    counts: bool


def history(session: Session, receipt: Receipt) -> tuple[list[Upload], Pick | None]:
    """The office's uploads of the receipt's form in its season, oldest first,
    and the pick when there is one."""
    form = form_of(session, receipt)
    if receipt.office_id is None or not form:
        return [], None
    rows = list(session.scalars(
        select(Receipt).join(Parse, (Parse.sha256 == Receipt.sha256) & Parse.current.is_(True))
        .where(Receipt.season_id == receipt.season_id, Receipt.office_id == receipt.office_id, Parse.form == form)
        .order_by(Receipt.received_at, Receipt.id)))
    chosen = session.scalar(select(Pick).where(Pick.season_id == receipt.season_id,
                                               Pick.office_id == receipt.office_id, Pick.form == form))
    counting = chosen.receipt_id if chosen else (rows[-1].id if rows else None)
    return [Upload(r, i == len(rows) - 1, r.id == counting) for i, r in enumerate(rows)], chosen
