"""Many files into the season at once (``formkit ingest``, an upload):
received a group at a time, each group one transaction (acknowledged =
committed), parsed by the job runner, then summed up: which office each
matched, or why none."""
from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from formkit.errors import FormkitError
from formkit.season.store.blobs import sync_blobs
from formkit.season.store.db import Store
from formkit.season.store.intake import MAX_FILE_BYTES, Received, receive_many
from formkit.season.store.jobs import MIN_PER_WORKER, Runner
from formkit.season.store.models import Office, Parse, Receipt, User
from formkit.season.store.people import current_season

MAX_FILES = 1000  # per upload or zip
MAX_ZIP_BYTES = 500 * 1024 * 1024  # uncompressed, all members together
DOCUMENT_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm", ".doc", ".rtf", ".odt")


@dataclass(frozen=True)
class Outcome:
    """What became of one file: its receipt, office and form, or why not."""

    name: str
    receipt_id: int | None = None
    office: str | None = None
    form: str | None = None
    note: str = ""
    error: str | None = None  # code: the file could not be received or read
    duplicate: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and self.office is not None


def zip_members(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """The Word documents inside a .zip (folders flattened; hidden files,
    Word's "~$" owner files and anything else skipped), within the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FormkitError("corrupt", "the .zip archive cannot be opened", name) from None
    picked = [i for i in infos if i.filename.lower().endswith(DOCUMENT_SUFFIXES)
              and not any(p.startswith((".", "~$", "__MACOSX")) for p in i.filename.replace("\\", "/").split("/"))]
    if len(picked) > MAX_FILES or sum(i.file_size for i in picked) > MAX_ZIP_BYTES:
        raise FormkitError("too-large", f"the .zip holds more than {MAX_FILES} documents or {MAX_ZIP_BYTES // 2**20} MB", name)
    for info in picked:
        if info.file_size > MAX_FILE_BYTES:
            raise FormkitError("too-large", f"{info.filename} is over the {MAX_FILE_BYTES // 2**20} MB limit", name)
        try:
            with archive.open(info) as fh:
                yield info.filename, fh.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
            raise FormkitError("corrupt", f"{info.filename} cannot be read from the .zip", name) from None


def receive_all(store: Store, files: Iterable[tuple[str, bytes]], *, office_code: str | None = None,
                user_id: int | None = None, batch: str | None = None, group: int = 50,
                committed: Callable[[], None] | None = None) -> list[tuple[str, Received | FormkitError]]:
    """Receive every file, committed ``group`` at a time (the caller
    acknowledges when this returns; ``committed()`` is called after each
    group, e.g. to start parsing it); a file that cannot be received is its
    error, the others go on. ``office_code`` must exist."""
    with store.session() as session:
        office = session.scalar(select(Office).where(Office.code == office_code)) if office_code else None
        if office_code and office is None:
            raise FormkitError("not-found", f"no office has the code {office_code}")
    out: list[tuple[str, Received | FormkitError]] = []
    chunk: list[tuple[str, bytes]] = []
    for name, data in _expanded(files, out):
        chunk.append((name, data))
        if len(chunk) >= group:
            out += _receive_chunk(store, chunk, office_code, user_id, batch)
            chunk = []
            if committed is not None:
                committed()
    if chunk:
        out += _receive_chunk(store, chunk, office_code, user_id, batch)
        if committed is not None:
            committed()
    return out


def _expanded(files: Iterable[tuple[str, bytes]], errors: list[tuple[str, Received | FormkitError]]
              ) -> Iterator[tuple[str, bytes]]:
    """The files, each .zip opened into its Word documents (a .zip that
    cannot be read is its error)."""
    for name, data in files:
        if not name.lower().endswith(".zip"):
            yield name, data
            continue
        try:
            yield from list(zip_members(name, data))
        except FormkitError as exc:
            errors.append((name, exc.with_file(name)))


def _receive_chunk(store: Store, chunk: list[tuple[str, bytes]], office_code: str | None, user_id: int | None,
                   batch: str | None) -> list[tuple[str, Received | FormkitError]]:
    """One transaction: the files written, flushed to disk together, then recorded."""
    with store.session() as session:
        user = session.get(User, user_id) if user_id else None
        office = session.scalar(select(Office).where(Office.code == office_code)) if office_code else None
        season = current_season(session)
        unsynced: list[Path] = []
        got = receive_many(store, session, chunk, office=office, user=user, batch=batch, season=season,
                           unsynced=unsynced)
        sync_blobs(unsynced)  # on disk before the commit says they are there
    return [(name, r.with_file(name) if isinstance(r, FormkitError) else r) for (name, _), r in zip(chunk, got)]


def outcomes(store: Store, received: list[tuple[str, Received | FormkitError]]) -> list[Outcome]:
    """What each received file became, once parsed (read a few hundred at a time)."""
    out: list[Outcome] = []
    with store.session() as session:
        codes = {office_id: code for office_id, code in session.execute(select(Office.id, Office.code))}
        for start in range(0, len(received), 500):
            out += _outcomes(session, codes, received[start:start + 500])
    return out


def _outcomes(session: Session, codes: dict[int, str],
              received: list[tuple[str, Received | FormkitError]]) -> list[Outcome]:
    got = [r for _, r in received if isinstance(r, Received)]
    receipts = {rid: (office_id, note) for rid, office_id, note in session.execute(
        select(Receipt.id, Receipt.office_id, Receipt.match_note).where(Receipt.id.in_([r.receipt_id for r in got])))}
    parses = {sha: (form, error) for sha, form, error in session.execute(
        select(Parse.sha256, Parse.form, Parse.error).where(Parse.sha256.in_({r.sha256 for r in got}),
                                                            Parse.current.is_(True)))}
    out = []
    for name, r in received:
        if isinstance(r, FormkitError):
            out.append(Outcome(name, error=r.code, note=str(r)))
            continue
        office_id, note = receipts[r.receipt_id]
        form, error = parses.get(r.sha256, (None, None))
        out.append(Outcome(r.name, r.receipt_id, codes.get(office_id) if office_id else None, form,
                           (error or {}).get("message") or note or "", (error or {}).get("code"), r.duplicate))
    return out


def ingest_paths(store: Store, paths: Iterable[str | os.PathLike[str]], *, office_code: str | None = None,
                 workers: int = 1) -> list[Outcome]:
    """``formkit ingest``: every Word document of the paths (folders walked),
    received, parsed and matched. The workers start parsing each group of
    files as soon as it is committed, while the next is received."""
    from formkit.files import read_regular
    from formkit.read.inputs import expand_inputs

    files = list(expand_inputs(paths, legacy=True))

    def read() -> Iterator[tuple[str, bytes]]:
        for path in files:
            try:
                yield os.path.basename(path), read_regular(path, MAX_FILE_BYTES, limit_name="the upload size limit")
            except FormkitError as exc:
                failed.append((os.path.basename(path), exc))

    failed: list[tuple[str, Received | FormkitError]] = []
    with Runner(store, workers, many=len(files) >= workers * MIN_PER_WORKER) as runner:
        received = receive_all(store, read(), office_code=office_code, committed=runner.feed)
        runner.finish()
    return outcomes(store, failed + received)
