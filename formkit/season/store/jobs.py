"""The parse jobs: queued in the database, claimed (marked running), parsed
by worker processes, each job's parse and its new state committed together.

A crash at any moment leaves each job queued or running (done again after
a restart: :func:`recover_jobs`; no parse stored yet) or done with exactly
one parse. :class:`Runner` keeps one worker pool for a whole run and feeds
it as jobs are queued, so receiving files (``formkit ingest``) overlaps with
parsing them; the workers encode each result for the database
(:func:`formkit.season.store.parses.encode`), so the main process only
inserts, a group at a time.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import Future
from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select, update

from formkit.season.store.blobs import blob_path
from formkit.season.store.db import Store
from formkit.season.store.models import Job, now, table
from formkit.season.store.parses import Encoded, encode, save_encoded

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

JOBS = table(Job)
Task = list[tuple[int, str, str]]  # (job id, blob sha256, blob path) each
Done = list[tuple[int, str, Encoded]]

GROUP = 50  # parses stored per transaction, at most ...
INTERVAL = 0.5  # ... or what is in after this many seconds
TASK = 8  # jobs sent to a worker at once
CLAIM = 500  # jobs claimed at once
MIN_PER_WORKER = 8  # fewer jobs than this per worker are parsed in this process (as formkit parse does)


def recover_jobs(store: Store) -> int:
    """Put back jobs left running by a process that stopped; return how many."""
    with store.session() as session:
        result = session.execute(update(Job).where(Job.state == "running").values(state="queued", updated_at=now()))
        return int(getattr(result, "rowcount", 0) or 0)


def claim(store: Store, limit: int, kind: str = "parse") -> list[tuple[int, str]]:
    """Mark up to ``limit`` queued jobs of ``kind`` running; their ids and blobs."""
    with store.session() as session:
        query = (select(JOBS.c.id, JOBS.c.sha256).where(JOBS.c.state == "queued", JOBS.c.kind == kind)
                 .order_by(JOBS.c.id).limit(limit))
        if store.engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        jobs = [(job_id, sha) for job_id, sha in session.execute(query)]
        if jobs:
            session.execute(update(JOBS).where(JOBS.c.id.in_([job_id for job_id, _ in jobs]))
                            .values(state="running", attempts=JOBS.c.attempts + 1, updated_at=now()))
        return jobs


def parse_task(task: Task) -> Done:
    """In a worker (or this process): parse the blobs of ``task`` (legacy
    formats converted by one LibreOffice process for the task), each result
    encoded for the store."""
    from formkit import api

    results = api.parse_files([path for _, _, path in task], jobs=1, models=False)
    return [(job_id, sha, encode(result)) for (job_id, sha, _), result in zip(task, results)]


def store_done(store: Store, done: Done) -> None:
    """One transaction: the parses of ``done`` and their jobs' new states."""
    if not done:
        return
    with store.session() as session:
        save_encoded(session, [(sha, e) for _, sha, e in done])
        at = now()
        session.execute(update(JOBS).where(JOBS.c.id == bindparam("jid"))
                        .values(state=bindparam("new_state"), error=bindparam("code"), updated_at=at),
                        [{"jid": job_id, "new_state": "failed" if e.error_code else "done", "code": e.error_code}
                         for job_id, _, e in done])


class Runner:
    """Parses the queued jobs with ``workers`` processes: :meth:`feed`
    claims what is queued now and hands it out (the pool, started once, on
    the first call that has enough work, or at once with ``many``), storing
    whatever has come back; :meth:`finish` runs until nothing is queued or
    out. Used as a context manager: leaving it stops the pool (on an error,
    dropping the work not started; claimed jobs stay running for
    :func:`recover_jobs`)."""

    def __init__(self, store: Store, workers: int = 1, *, many: bool = False, group: int = GROUP,
                 interval: float = INTERVAL) -> None:
        self.store, self.workers, self.group, self.interval = store, workers, group, interval
        self.out: list[Future[Done]] = []
        self.done: Done = []
        self.count = 0
        self.stored_at = time.monotonic()
        self.stack = ExitStack()
        self.pool: ProcessPoolExecutor | None = None
        if many and workers > 1:
            self._start()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.stack.close()
        else:
            self.stack.__exit__(kind, exc, tb)

    def _start(self) -> None:
        from formkit.read.batch import worker_pool

        self.pool = self.stack.enter_context(worker_pool(self.workers))

    def feed(self) -> None:
        """Hand out every job queued now; store the results that are in."""
        while claimed := claim(self.store, CLAIM):
            tasks = [[(job_id, sha, os.fspath(blob_path(self.store.files, sha)))
                      for job_id, sha in claimed[n:n + TASK]] for n in range(0, len(claimed), TASK)]
            if self.pool is None and self.workers > 1 and len(claimed) >= self.workers * MIN_PER_WORKER:
                self._start()
            if self.pool is None:
                for task in tasks:
                    self._keep(parse_task(task))
            else:
                self.out += [self.pool.submit(parse_task, task) for task in tasks]
            if len(claimed) < CLAIM:
                break
        self._collect(block=False)

    def finish(self) -> int:
        """Parse until nothing is queued or out (what was queued meanwhile
        is claimed once the work out is done); return how many jobs ran."""
        self.feed()
        while self.out:
            while self.out:
                self._collect(block=True)
            self.feed()
        self._store()
        return self.count

    def _collect(self, block: bool) -> None:
        from concurrent.futures import FIRST_COMPLETED, wait

        if block and self.out:
            wait(self.out, timeout=self.interval, return_when=FIRST_COMPLETED)
        ready: list[Future[Done]] = []
        waiting: list[Future[Done]] = []
        for future in self.out:
            (ready if future.done() else waiting).append(future)
        self.out = waiting
        for future in ready:
            self._keep(future.result())
        if self.done and time.monotonic() - self.stored_at >= self.interval:
            self._store()

    def _keep(self, done: Done) -> None:
        self.done += done
        if len(self.done) >= self.group:
            self._store()

    def _store(self) -> None:
        store_done(self.store, self.done)
        self.count += len(self.done)
        self.done, self.stored_at = [], time.monotonic()


def run_jobs(store: Store, workers: int = 1) -> int:
    """Parse every queued blob (``workers`` processes); return how many jobs ran."""
    with Runner(store, workers) as runner:
        return runner.finish()
