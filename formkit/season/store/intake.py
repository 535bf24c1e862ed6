"""Files into the season: received (stored once, a receipt each time an
office hands one in), parsed in the background (jobs in the database:
:mod:`formkit.season.store.jobs`), and matched to an office by the page
header's office name (:mod:`formkit.season.store.parses`).

A parse job and the parse it produces are committed together, so a crash
at any moment leaves each job either queued/running (done again after a
restart, no parse stored yet) or done with exactly one parse.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from formkit.errors import FormkitError
from formkit.season.store.blobs import put_blob, sync_blobs
from formkit.season.store.db import Store
from formkit.season.store.jobs import JOBS, claim, recover_jobs, run_jobs
from formkit.season.store.models import Audit, Blob, Job, Office, Parse, Receipt, Season, User, now, table
from formkit.season.store.parses import RECEIPTS, match, office_keys, save_parse, save_parses
from formkit.season.store.people import current_season, office_key

__all__ = ["MAX_FILE_BYTES", "Receipt", "Received", "claim", "clean_name", "queue_reparse", "receive", "receive_many",
           "recover_jobs", "run_jobs", "save_parse", "save_parses"]

BLOBS = table(Blob)
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
    """Keep ``data`` (once) and record that it was handed in (see
    :func:`receive_many`); a file over the limit raises ``too-large``."""
    (got,) = receive_many(store, session, [(name, data)], office=office, user=user, batch=batch, season=season,
                          unsynced=unsynced)
    if isinstance(got, FormkitError):
        raise got
    return got


def receive_many(store: Store, session: Session, files: Sequence[tuple[str, bytes]], *, office: Office | None = None,
                 user: User | None = None, batch: str | None = None, season: Season | None = None,
                 unsynced: list[Path] | None = None) -> list[Received | FormkitError]:
    """Keep each file's content (once, written before the database names
    it) and record that it was handed in, a few statements for them all;
    queue a parse of content not already parsed or queued. The same content
    for the same office (or not yet matched) again is a harmless retry: the
    earlier receipt is returned with ``duplicate``. A file over the limit is
    its error (nothing of it written). With ``unsynced``, the new files are
    not flushed to disk here but added to the list, for
    :func:`~formkit.season.store.blobs.sync_blobs` before the commit."""
    season = season or current_season(session)
    written: list[Path] = [] if unsynced is None else unsynced
    out: list[Received | FormkitError | None] = [None] * len(files)
    kept: list[tuple[int, str, str]] = []
    sizes: dict[str, int] = {}
    for n, (name, data) in enumerate(files):
        if len(data) > MAX_FILE_BYTES:
            out[n] = FormkitError("too-large", f"over the {MAX_FILE_BYTES // 2**20} MB upload limit", name)
            continue
        sha = put_blob(store.files, data, written)
        kept.append((n, sha, clean_name(name)))
        sizes[sha] = len(data)
    if unsynced is None:
        sync_blobs(written)  # on disk before the commit says they are there
    if kept:
        _Recording(session, season.id, set(sizes), office, user, batch).run(kept, sizes, out)
    return [got for got in out if got is not None]


class _Recording:
    """The database's side of :func:`receive_many`: what is known of the
    files' content, read once; the new rows, written a table at a time."""

    def __init__(self, session: Session, season_id: int, shas: set[str], office: Office | None, user: User | None,
                 batch: str | None) -> None:
        self.session, self.season_id, self.office, self.user, self.batch = session, season_id, office, user, batch
        self.known = set(session.scalars(select(BLOBS.c.sha256).where(BLOBS.c.sha256.in_(shas))))
        # per blob, its receipts in order: [receipt id or the new row's dict, office id, name]
        self.receipts: dict[str, list[list[Any]]] = {}
        for rid, sha, office_id, rname in session.execute(
                select(RECEIPTS.c.id, RECEIPTS.c.sha256, RECEIPTS.c.office_id, RECEIPTS.c.name)
                .where(RECEIPTS.c.season_id == season_id, RECEIPTS.c.sha256.in_(self.known)).order_by(RECEIPTS.c.id)):
            self.receipts.setdefault(sha, []).append([rid, office_id, rname])
        parses = table(Parse)
        self.parsed = {sha: (error is not None, office_name) for sha, office_name, error in session.execute(
            select(parses.c.sha256, parses.c.office_name, parses.c.error)
            .where(parses.c.sha256.in_(self.known), parses.c.current.is_(True)))}
        self.pending = set(session.scalars(select(JOBS.c.sha256).where(
            JOBS.c.sha256.in_(self.known), JOBS.c.kind == "parse", JOBS.c.state.in_(("queued", "running")))))
        self.new_blobs: list[str] = []
        self.new_receipts: list[dict[str, Any]] = []
        self.moved: list[int] = []  # earlier receipts now given the office
        self.queue: list[str] = []  # blobs whose parse is queued

    def run(self, kept: list[tuple[int, str, str]], sizes: dict[str, int],
            out: list[Received | FormkitError | None]) -> None:
        picks = [(n, sha, name, self._one(sha, name)) for n, sha, name in kept]
        at = now()
        if self.new_blobs:
            self.session.execute(insert(BLOBS), [{"sha256": sha, "size": sizes[sha], "stored_at": at}
                                                 for sha in self.new_blobs])
        if self.new_receipts:
            ids = self.session.scalars(insert(RECEIPTS).returning(RECEIPTS.c.id, sort_by_parameter_order=True),
                                       [{**row, "received_at": at} for row in self.new_receipts]).all()
            for row, rid in zip(self.new_receipts, ids):
                row["id"] = rid
        if self.moved and self.office is not None:
            self.session.execute(update(RECEIPTS).where(RECEIPTS.c.id.in_(self.moved))
                                 .values(office_id=self.office.id, match_note="office given"))
        if self.queue:
            self.session.execute(insert(JOBS), [{"kind": "parse", "sha256": sha, "state": "queued", "attempts": 0,
                                                 "created_at": at, "updated_at": at} for sha in self.queue])
        actor, code = self.user.name if self.user else "cli", self.office.code if self.office else None
        audits = []
        for n, sha, name, (ref, shown, duplicate) in picks:
            rid = ref["id"] if isinstance(ref, dict) else ref
            out[n] = Received(rid, sha, shown, duplicate)
            if not duplicate:
                audits.append({"at": at, "actor": actor, "action": "receive", "target": f"receipt:{rid}",
                               "details": {"file": name, "sha256": sha, "office": code}, "note": None})
        if audits:
            self.session.execute(insert(table(Audit)), audits)

    def _one(self, sha: str, name: str) -> tuple[Any, str, bool]:
        """One file: the receipt it gets (an id, or the new row), that
        receipt's name, and whether it is a retry of an earlier one."""
        office_id = self.office.id if self.office else None
        new = sha not in self.known
        self.known.add(sha)
        if new:  # new content: no receipt, parse or job can name it yet
            self.new_blobs.append(sha)
        else:
            for entry in self.receipts.get(sha, ()):
                if office_id is None or entry[1] in (None, office_id):
                    if entry[1] is None and office_id is not None:
                        self._give_office(entry, office_id)
                    return entry[0], entry[2], True
        row: dict[str, Any] = {"season_id": self.season_id, "sha256": sha, "name": name, "office_id": office_id,
                               "user_id": self.user.id if self.user else None, "batch": self.batch,
                               "match_note": "office given" if self.office else None}
        self.receipts.setdefault(sha, []).append([row, office_id, name])
        parsed = self.parsed.get(sha)
        if parsed is None and sha not in self.pending:
            self.queue.append(sha)
            self.pending.add(sha)
        elif parsed is not None and office_id is None:
            row["office_id"], row["match_note"] = self._match(*parsed)
        self.new_receipts.append(row)
        return row, name, False

    def _give_office(self, entry: list[Any], office_id: int) -> None:
        entry[1] = office_id
        if isinstance(entry[0], dict):
            entry[0]["office_id"], entry[0]["match_note"] = office_id, "office given"
        else:
            self.moved.append(entry[0])

    def _match(self, failed: bool, office_name: str | None) -> tuple[int | None, str]:
        key = office_key(office_name) if office_name and office_name.strip() else None
        if not hasattr(self, "keys"):
            self.keys = office_keys(self.session)
        return match(self.keys, failed, office_name, key)


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
