"""The committee's work on a received file: corrections (the parsed value
kept beside the corrected one, with a reason) and judgments (each
reviewer's done/clear answers; the chair marks one final). Each names the
upload (SHA-256) it was made on, and each is audited."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from formkit.season.store.models import Correction, Judgment, Parse, Receipt, User, now
from formkit.season.store.paths import get_path, has_path, set_path
from formkit.season.store.people import audit


class ReviewError(ValueError):
    """A correction or judgment that cannot be taken, with the reason to show."""


def current_parse(session: Session, sha: str) -> Parse | None:
    return session.scalar(select(Parse).where(Parse.sha256 == sha, Parse.current.is_(True)))


def coerce(parsed: Any, value: Any) -> Any:
    """A value typed in a form, as the parsed value's type: a level stays a
    number, a box true/false, an empty text None."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if isinstance(parsed, bool):
        if text.casefold() in ("true", "1", "yes", "ใช่", "x"):
            return True
        if text.casefold() in ("false", "0", "no", "ไม่", ""):
            return False
        raise ReviewError("a box is true or false")
    if isinstance(parsed, int) or (parsed is None and text.isdigit() and len(text) < 6):
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise ReviewError("a whole number is needed") from None
    if isinstance(parsed, list) and all(isinstance(v, str) for v in parsed):
        return [line.strip() for line in text.splitlines() if line.strip()]
    return value if text else None


def correct(session: Session, receipt: Receipt, path: str, value: Any, reason: str, user: User | None) -> Correction:
    """Correct the field ``path`` of the receipt's current parse."""
    if not reason.strip():
        raise ReviewError("a correction needs a reason")
    parse = current_parse(session, receipt.sha256)
    if parse is None or parse.record is None:
        raise ReviewError("this file has no record to correct")
    from formkit import api

    form = api.open_form(parse.form or "")
    if not has_path(parse.record, path) and path.split(".")[0] not in {f.name for f in form.fields}:
        raise ReviewError(f"the form has no field {path}")
    parsed = get_path(parse.record, path)
    value = coerce(parsed, value)
    try:
        set_path(parse.record, path, value)
    except KeyError:
        raise ReviewError(f"the field {path} cannot be set") from None
    correction = Correction(receipt_id=receipt.id, sha256=receipt.sha256, path=path, parsed_value=parsed, value=value,
                            reason=reason.strip(), user_id=user.id if user else None)
    session.add(correction)
    session.flush()
    audit(session, user.name if user else "cli", "correct", f"receipt:{receipt.id}", note=reason.strip(), path=path,
          parsed=parsed, value=value, sha256=receipt.sha256)
    return correction


def corrections_of(session: Session, receipt_id: int) -> list[Correction]:
    return list(session.scalars(select(Correction).where(Correction.receipt_id == receipt_id).order_by(Correction.id)))


def corrected_record(record: dict[str, Any] | None, corrections: list[Correction]) -> dict[str, Any] | None:
    """The record with each field's newest correction applied (the parsed record is not changed)."""
    if record is None:
        return None
    out = record
    for c in corrections:  # oldest first: the newest wins
        try:
            out = set_path(out, c.path, c.value)
        except KeyError:
            continue
    return out


def considerations(form_id: str | None) -> int:
    """How many considerations the committee judges for this form (0: none)."""
    from formkit import api

    if not form_id:
        return 0
    rubric = api.open_form(form_id).rubric
    return len(rubric.get("considerations") or []) if rubric.get("kind") == "judgments" else 0


def judge(session: Session, receipt: Receipt, user: User, done: list[bool], clear: list[bool], note: str = "") -> Judgment:
    """Record (or replace) ``user``'s judgment of the receipt's file."""
    parse = current_parse(session, receipt.sha256)
    count = considerations(parse.form if parse else None)
    if not count:
        raise ReviewError("the committee does not judge this form")
    if len(done) != count or len(clear) != count:
        raise ReviewError(f"{count} done and {count} clear answers are needed")
    judgment = session.scalar(select(Judgment).where(Judgment.receipt_id == receipt.id, Judgment.user_id == user.id))
    if judgment is None:
        judgment = Judgment(receipt_id=receipt.id, user_id=user.id, sha256=receipt.sha256, done=[], clear=[])
        session.add(judgment)
    judgment.done, judgment.clear, judgment.note = [bool(d) for d in done], [bool(c) for c in clear], note
    judgment.sha256, judgment.updated_at = receipt.sha256, now()
    session.flush()
    audit(session, user.name, "judge", f"receipt:{receipt.id}", note=note or None, done=judgment.done,
          clear=judgment.clear, sha256=receipt.sha256)
    return judgment


def mark_final(session: Session, judgment: Judgment, chair: User) -> None:
    """The chair marks ``judgment`` as the final one for its file."""
    if not chair.chair:
        raise ReviewError("only the chair marks the final judgment")
    for other in session.scalars(select(Judgment).where(Judgment.receipt_id == judgment.receipt_id)):
        other.final = other.id == judgment.id
    audit(session, chair.name, "mark-final", f"receipt:{judgment.receipt_id}", judgment=judgment.id)


def judgments_of(session: Session, receipt_id: int) -> list[Judgment]:
    return list(session.scalars(select(Judgment).where(Judgment.receipt_id == receipt_id).order_by(Judgment.id)))


def differences(judgments: list[Judgment]) -> set[tuple[str, int]]:
    """(answer, consideration index) where the reviewers' answers differ."""
    out = set()
    for key in ("done", "clear"):
        columns = zip(*(getattr(j, key) for j in judgments))
        out |= {(key, n) for n, column in enumerate(columns) if len(set(column)) > 1}
    return out
