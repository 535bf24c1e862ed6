"""Files into the season: received (stored once, a receipt each time an
office hands one in), parsed in the background (jobs in the database), and
matched to an office by the page header's office name.

A parse job and the parse it produces are committed together, so a crash
at any moment leaves each job either queued/running (done again after a
restart, no parse stored yet) or done with exactly one parse.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from formkit.errors import FormkitError
from formkit.season.store.blobs import blob_path, put_blob
from formkit.season.store.db import Store
from formkit.season.store.models import Blob, Correction, Job, Office, Parse, Receipt, Season, User, now
from formkit.season.store.paths import get_path
from formkit.season.store.people import audit, current_season, match_office

MAX_FILE_BYTES = 50 * 1024 * 1024  # formkit's own limit for a package (docx.package.Limits) is far below


@dataclass(frozen=True)
class Received:
    receipt_id: int
    sha256: str
    name: str
    duplicate: bool


def clean_name(name: str) -> str:
    """A received file's name as kept: the last path segment, control
    characters dropped, at most 200 characters."""
    base = name.replace("\\", "/").rpartition("/")[2]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "unnamed"
    return base[:200]


def receive(store: Store, session: Session, data: bytes, name: str, *, office: Office | None = None,
            user: User | None = None, batch: str | None = None, season: Season | None = None,
            unsynced: list[Path] | None = None) -> Received:
    """Keep ``data`` (once) and record that it was handed in; queue its
    parse unless that content was already parsed or queued. The same
    content for the same office (or not yet matched) again is a harmless
    retry: the earlier receipt is returned with ``duplicate``."""
    if len(data) > MAX_FILE_BYTES:
        raise FormkitError("too-large", f"over the {MAX_FILE_BYTES // 2**20} MB upload limit", name)
    name = clean_name(name)
    sha = put_blob(store.files, data, unsynced)
    season = season or current_season(session)
    new = session.get(Blob, sha) is None
    if new:  # new content: no receipt, parse or job can name it yet
        session.add(Blob(sha256=sha, size=len(data)))
    else:
        query = select(Receipt).where(Receipt.season_id == season.id, Receipt.sha256 == sha)
        if office is not None:
            query = query.where((Receipt.office_id == office.id) | Receipt.office_id.is_(None))
        earlier = session.scalars(query.order_by(Receipt.id)).first()
        if earlier is not None:
            if earlier.office_id is None and office is not None:
                earlier.office_id, earlier.match_note = office.id, "office given"
            return Received(earlier.id, sha, earlier.name, True)
    receipt = Receipt(season_id=season.id, sha256=sha, name=name, office_id=office.id if office else None,
                      user_id=user.id if user else None, batch=batch, match_note="office given" if office else None)
    session.add(receipt)
    session.flush()
    parsed = None if new else session.scalar(select(Parse.id).where(Parse.sha256 == sha, Parse.current.is_(True)))
    pending = None if new else session.scalar(
        select(Job.id).where(Job.sha256 == sha, Job.kind == "parse", Job.state.in_(("queued", "running"))))
    if parsed is None and pending is None:
        session.add(Job(kind="parse", sha256=sha))
    elif parsed is not None and receipt.office_id is None:
        _match(session, receipt, session.get(Parse, parsed))
    audit(session, user.name if user else "cli", "receive", f"receipt:{receipt.id}", file=name, sha256=sha,
          office=office.code if office else None)
    return Received(receipt.id, sha, name, False)


def queue_reparse(session: Session, shas: Iterable[str] | None = None) -> int:
    """Queue a new parse of the given blobs (all by default): a newer
    formkit reads them again; corrections stay and are checked."""
    if shas is None:
        shas = session.scalars(select(Blob.sha256))
    count = 0
    for sha in shas:
        session.add(Job(kind="parse", sha256=sha))
        count += 1
    return count


def recover_jobs(store: Store) -> int:
    """Put back jobs left running by a process that stopped; return how many."""
    with store.session() as session:
        result = session.execute(update(Job).where(Job.state == "running").values(state="queued", updated_at=now()))
        return int(getattr(result, "rowcount", 0) or 0)


def claim(store: Store, limit: int, kind: str = "parse") -> list[tuple[int, str]]:
    """Mark up to ``limit`` queued jobs of ``kind`` running; their ids and blobs."""
    with store.session() as session:
        query = select(Job).where(Job.state == "queued", Job.kind == kind).order_by(Job.id).limit(limit)
        if store.engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        jobs = list(session.scalars(query))
        for job in jobs:
            job.state, job.attempts, job.updated_at = "running", job.attempts + 1, now()
        return [(job.id, job.sha256) for job in jobs]


def run_jobs(store: Store, workers: int = 1, batch: int = 200, group: int = 25) -> int:
    """Parse every queued blob (``workers`` processes); return how many jobs
    ran. Parses are stored ``group`` at a time, each job's parse and its
    state in one transaction."""
    from formkit import api

    done = 0
    while claimed := claim(store, batch):
        paths = [os.fspath(blob_path(store.files, sha)) for _, sha in claimed]
        results = api.parse_files(paths, jobs=workers if len(paths) > 1 else 1)
        pending: list[tuple[int, str, Any]] = []
        for (job_id, sha), result in zip(claimed, results):
            pending.append((job_id, sha, result))
            if len(pending) >= group:
                _store_parses(store, pending)
                done, pending = done + len(pending), []
        _store_parses(store, pending)
        done += len(pending)
    return done


def _store_parses(store: Store, pending: list[tuple[int, str, Any]]) -> None:
    if not pending:
        return
    with store.session() as session:
        save_parses(session, [(sha, result) for _, sha, result in pending])
        jobs = {j.id: j for j in session.scalars(select(Job).where(Job.id.in_([job_id for job_id, _, _ in pending])))}
        for job_id, _, result in pending:
            job = jobs[job_id]
            job.state, job.updated_at = ("failed" if result.error else "done"), now()
            job.error = result.error.code if result.error else None


def _where(result: Any) -> dict[str, Any] | None:
    places = result.places() if hasattr(result, "places") else {}
    return places or None


def save_parse(session: Session, sha: str, result: Any) -> Parse:
    """Store a parse of ``sha`` as the current one (see :func:`save_parses`)."""
    return save_parses(session, [(sha, result)])[0]


def save_parses(session: Session, results: list[tuple[str, Any]]) -> list[Parse]:
    """Store each parse as its blob's current one, a few statements for the
    whole group; receipts not yet matched are matched to an office, and
    corrections whose field a parse reads differently from the value first
    parsed are flagged."""
    from formkit import __version__

    shas = [sha for sha, _ in results]
    earlier = set(session.scalars(select(Parse.sha256).where(Parse.sha256.in_(shas), Parse.current.is_(True))))
    if earlier:
        session.execute(update(Parse).where(Parse.sha256.in_(earlier), Parse.current.is_(True)).values(current=False))
    parses: list[Parse] = []
    newest: dict[str, Parse] = {}
    for sha, result in results:
        if sha in newest:  # the same file twice in one group: the later parse is the current one
            newest[sha].current = False
        env = result.as_dict()
        record = env["record"]
        office_name = record.get("office") if isinstance(record, dict) and isinstance(record.get("office"), str) else None
        parse = Parse(sha256=sha, current=True, formkit_version=__version__, form=env["form"], record=record,
                      warnings=env["warnings"], error=env["error"], where=_where(result), office_name=office_name)
        parses.append(parse)
        newest[sha] = parse
        audit(session, "system", "parse", f"sha256:{sha}", form=env["form"],
              error=env["error"]["code"] if env["error"] else None)
    session.add_all(parses)
    session.flush()
    by_sha = newest
    receipts = list(session.scalars(select(Receipt).where(Receipt.sha256.in_(shas))))
    for receipt in receipts:
        if receipt.office_id is None:
            _match(session, receipt, by_sha[receipt.sha256])
    ids = {r.id: r.sha256 for r in receipts if r.sha256 in earlier}  # a first parse has no corrections yet
    for correction in session.scalars(select(Correction).where(Correction.receipt_id.in_(ids))) if ids else ():
        record = by_sha[ids[correction.receipt_id]].record
        if get_path(record, correction.path) != correction.parsed_value and not correction.disputed:
            correction.disputed = True
            audit(session, "system", "dispute-correction", f"correction:{correction.id}", path=correction.path,
                  parsed=get_path(record, correction.path))
    return parses


def _match(session: Session, receipt: Receipt, parse: Parse | None) -> None:
    if parse is None or parse.error is not None:
        receipt.match_note = "not read: no office matched"
        return
    office = match_office(session, parse.office_name)
    if office is not None:
        receipt.office_id, receipt.match_note = office.id, "matched by the page header's office name"
    elif parse.office_name:
        receipt.match_note = f"the office named in the page header is not in the list: {parse.office_name}"
    else:
        receipt.match_note = "the page header names no office"
