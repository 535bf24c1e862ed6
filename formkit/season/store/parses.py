"""Parse results into the store: each a new current row of its blob, the
receipts not yet matched matched to an office by the page header's office
name, and corrections the new reading disagrees with flagged.

A result is first :func:`encode`\\ d (in the worker process that parsed it:
its JSON columns as text, the office name folded), so the process that
writes to the database only inserts; a group of results is a few
statements, whatever its size.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from formkit.season.store.models import (
    Audit, Correction, JSONText, Office, Parse, Receipt, encode_json, now, parse_flags, table,
)
from formkit.season.store.paths import get_path
from formkit.season.store.people import audit, office_key

RECEIPTS = table(Receipt)


@dataclass(frozen=True, slots=True)
class Encoded:
    """A parse result as the ``parses`` table keeps it: the envelope's
    JSON columns already encoded, the office named in the page header and
    its folded key (what :class:`Office` rows are looked up by)."""

    form: str | None
    record: str
    warnings: str
    error: str
    where: str
    office_name: str | None
    office_key: str | None
    error_code: str | None
    failed: bool = False  # the tracker's flags (models.parse_flags)
    warned: bool = False

    def record_value(self) -> Any:
        return json.loads(self.record)


def encode(result: Any) -> Encoded:
    """A parse result (:class:`formkit.read.parse.ParseResult`) encoded for the store."""
    env = result.as_dict()
    record = env["record"]
    office = record.get("office") if isinstance(record, dict) else None
    office_name = office if isinstance(office, str) else None
    places = result.places() if hasattr(result, "places") else {}
    return Encoded(env["form"], encode_json(record), encode_json(env["warnings"]), encode_json(env["error"]),
                   encode_json(places or None), office_name,
                   office_key(office_name) if office_name and office_name.strip() else None,
                   env["error"]["code"] if env["error"] else None, *parse_flags(env["error"], env["warnings"]))


def office_keys(session: Session) -> dict[str, int]:
    """Every office's folded name -> its id (the first office of a name)."""
    keys: dict[str, int] = {}
    for key, office_id in session.execute(select(Office.key, Office.id).order_by(Office.id)):
        keys.setdefault(key, office_id)
    return keys


def match(keys: dict[str, int], failed: bool, office_name: str | None, key: str | None) -> tuple[int | None, str]:
    """The office a receipt is matched to by its parse (``failed``: the
    parse has an error), and the note that says how or why not."""
    if failed:
        return None, "not read: no office matched"
    office_id = keys.get(key) if key else None
    if office_id is not None:
        return office_id, "matched by the page header's office name"
    if office_name:
        return None, f"the office named in the page header is not in the list: {office_name}"
    return None, "the page header names no office"


def save_parse(session: Session, sha: str, result: Any) -> None:
    """Store a parse of ``sha`` as its current one (see :func:`save_parses`)."""
    save_parses(session, [(sha, result)])


def save_parses(session: Session, results: Sequence[tuple[str, Any]]) -> None:
    """Store each parse (a result or its :class:`Encoded`) as its blob's
    current one, in the session's transaction."""
    save_encoded(session, [(sha, r if isinstance(r, Encoded) else encode(r)) for sha, r in results])


def save_encoded(session: Session, results: Sequence[tuple[str, Encoded]]) -> None:
    """Store each parse as its blob's current one (the later of the same
    blob twice), an audit row each; match the blobs' receipts not yet
    matched; flag the corrections a re-parse disagrees with."""
    from formkit import __version__

    if not results:
        return
    shas = list(dict.fromkeys(sha for sha, _ in results))
    parses = table(Parse)
    earlier = set(session.scalars(select(parses.c.sha256).where(parses.c.sha256.in_(shas), parses.c.current.is_(True))))
    if earlier:
        session.execute(update(parses).where(parses.c.sha256.in_(earlier), parses.c.current.is_(True))
                        .values(current=False))
    last = {sha: n for n, (sha, _) in enumerate(results)}
    at = now()
    session.execute(insert(parses), [
        {"sha256": sha, "current": last[sha] == n, "formkit_version": __version__, "form": e.form,
         "record": JSONText(e.record), "warnings": JSONText(e.warnings), "error": JSONText(e.error),
         "where": JSONText(e.where), "office_name": e.office_name, "parsed_at": at,
         "failed": e.failed, "warned": e.warned}
        for n, (sha, e) in enumerate(results)])
    session.execute(insert(table(Audit)), [
        {"at": at, "actor": "system", "action": "parse", "target": f"sha256:{sha}",
         "details": {"form": e.form, "error": e.error_code}, "note": None} for sha, e in results])
    newest = {sha: results[n][1] for sha, n in last.items()}
    _match_receipts(session, newest)
    if earlier:  # a first parse has no corrections yet
        _flag_corrections(session, {sha: newest[sha] for sha in earlier})


def _match_receipts(session: Session, newest: dict[str, Encoded]) -> None:
    """Match each receipt of these blobs that has no office yet."""
    waiting = list(session.execute(select(RECEIPTS.c.id, RECEIPTS.c.sha256).where(
        RECEIPTS.c.sha256.in_(list(newest)), RECEIPTS.c.office_id.is_(None))))
    if not waiting:
        return
    keys = office_keys(session)
    rows = []
    for receipt_id, sha in waiting:
        e = newest[sha]
        office_id, note = match(keys, e.error_code is not None, e.office_name, e.office_key)
        rows.append({"rid": receipt_id, "oid": office_id, "note": note})
    session.execute(update(RECEIPTS).where(RECEIPTS.c.id == bindparam("rid"))
                    .values(office_id=bindparam("oid"), match_note=bindparam("note")), rows)


def _flag_corrections(session: Session, newest: dict[str, Encoded]) -> None:
    """A correction whose field the new parse reads differently from the
    value first parsed is disputed (and audited)."""
    ids = {rid: sha for rid, sha in session.execute(
        select(RECEIPTS.c.id, RECEIPTS.c.sha256).where(RECEIPTS.c.sha256.in_(list(newest))))}
    records: dict[str, Any] = {}
    corrections: Iterable[Correction] = session.scalars(select(Correction).where(Correction.receipt_id.in_(ids))) \
        if ids else ()
    for correction in corrections:
        sha = ids[correction.receipt_id]
        if sha not in records:
            records[sha] = newest[sha].record_value()
        parsed = get_path(records[sha], correction.path)
        if parsed != correction.parsed_value and not correction.disputed:
            correction.disputed = True
            audit(session, "system", "dispute-correction", f"correction:{correction.id}", path=correction.path,
                  parsed=parsed)
