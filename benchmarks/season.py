"""Benchmarks of the season app (``formkit serve``), run by hand:

    python3 benchmarks/season.py                 # 245 offices x 15 forms, 1,000 files ingested
    python3 benchmarks/season.py --files 200     # a shorter run
    python3 benchmarks/season.py --only ingest --rounds 3   # the ingest figure alone, 3 pairs

- tracker: the tracker page for 245 offices x 15 forms (every cell filled:
  2 real forms and 13 more form ids in the season, rows written straight
  into a SQLite store), median of --requests renders through the app
  (Flask's test client: the app and the database, no network), wall and
  CPU time (the CPU figure moves less with the load of other work);
- review: a real document's review page, median the same way, its page
  images rendered beforehand (the cache the page is served from);
- ingest: ``formkit ingest`` of --files distinct filled documents against
  ``formkit parse`` of the same files to JSON Lines, both with --jobs
  workers, in this process one after the other (--rounds pairs, each
  ingest into a new store); the ratio is the figure (the median of the
  pairs' ratios). Beside it, CPU seconds per file: this process's own
  (reading, hashing, writing, the database; for parse, writing the
  lines) and the workers' (parsing), from the operating system's
  accounting (resource.getrusage: the workers are counted once the pool
  has ended).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from formkit import api  # noqa: E402


def build_season(data: Path, offices: int, forms: int) -> tuple[object, int]:
    from formkit.season.store import intake, people
    from formkit.season.store.db import open_store
    from formkit.season.store.models import Blob, Level, Office, Parse, Receipt

    store = open_store(data)
    form_ids = ["esao-1-2", "esao-3-1"] + [f"form-{n:02}" for n in range(3, forms + 1)]
    with store.session() as s:
        people.add_user(s, "admin", "admin-password", "admin", chair=True)
        season = people.current_season(s)
        season.forms = form_ids
        for n in range(offices):
            s.add(Office(code=f"O{n:03}", name=f"สำนักงานเขตพื้นที่การศึกษา {n}", key=f"k{n}"))
    sample = (ROOT / "samples/esao-1-2/office-copy.docx").read_bytes()
    with store.session() as s:
        real = intake.receive(store, s, sample, "office-copy.docx")
    intake.run_jobs(store)
    with store.session() as s:
        parsed = s.query(Parse).filter(Parse.sha256 == real.sha256).one()
        record, warnings = parsed.record, parsed.warnings
        ids = [o.id for o in s.query(Office).order_by(Office.id)]
        for n, office in enumerate(ids):
            for form in form_ids:
                sha = hashlib.sha256(f"{office}/{form}".encode()).hexdigest()
                s.add(Blob(sha256=sha, size=1))
                s.add(Receipt(season_id=season.id, sha256=sha, name=f"{form}-{n}.docx", office_id=office))
                s.add(Parse(sha256=sha, formkit_version="bench", form=form, record=record,
                            warnings=warnings if n % 7 == 0 else []))
                s.add(Level(season_id=season.id, office_id=office, form=form, level=n % 5 + 1, basis="rubric"))
    with store.session() as s:
        receipt_id = s.query(Receipt).filter(Receipt.sha256 == real.sha256).one().id
        s.query(Receipt).filter(Receipt.id == receipt_id).update({"office_id": ids[0]})
    return store, receipt_id


def median_ms(client: object, path: str, requests: int) -> tuple[float, float]:
    """Median wall and CPU (user + system of this process) milliseconds of a page."""
    times, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        answer = client.get(path)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert answer.status_code == 200, answer.status_code
    return statistics.median(times) * 1000, statistics.median(cpu) * 1000


def pages(tmp: Path, requests: int) -> tuple[tuple[float, float], float]:
    from formkit.season.web.app import create_app

    store, receipt_id = build_season(tmp / "pages", 245, 15)
    app = create_app(store, start_worker=False)  # type: ignore[arg-type]
    client = app.test_client()
    client.get("/login")
    with client.session_transaction() as session:
        token = session["csrf"]
    client.post("/login", data={"name": "admin", "password": "admin-password", "csrf": token})
    page = client.get("/").text
    assert page.count("<tr>") >= 245, "the tracker does not list every office"
    from formkit.season.store import render
    from formkit.season.store.models import Receipt

    with store.session() as s:  # type: ignore[attr-defined]
        sha = s.get(Receipt, receipt_id).sha256
    render.render_one(store, sha)  # type: ignore[arg-type]
    assert f"/pages/{sha}/1.png" in client.get(f"/receipt/{receipt_id}").text, "the review shows no page image"
    return median_ms(client, "/", requests), median_ms(client, f"/receipt/{receipt_id}", requests)[0]


def make_returns(folder: Path, files: int) -> list[str]:
    folder.mkdir()
    for n in range(files):
        data = api.fill_bytes("esao-1-2", {"level": n % 5 + 1, "process": f"โครงการที่ {n}: อบรมบุคลากร {n % 37} ครั้ง"})
        (folder / f"office-{n:04}.docx").write_bytes(bytes(data))
    return sorted(str(p) for p in folder.iterdir())


class Timed:
    """Wall seconds and CPU seconds of this process and of its children (ended) over a block."""

    def __enter__(self) -> "Timed":
        self.start = (time.perf_counter(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN))
        return self

    def __exit__(self, *exc: object) -> None:
        wall, own, children = self.start
        self.wall = time.perf_counter() - wall
        self.own = cpu(resource.RUSAGE_SELF) - own
        self.children = cpu(resource.RUSAGE_CHILDREN) - children


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def ingest_vs_parse(tmp: Path, files: int, jobs: int, rounds: int) -> list[tuple[Timed, Timed]]:
    from formkit.read.batch import run_parse
    from formkit.season.store.batch import ingest_paths
    from formkit.season.store.db import open_store

    folder = tmp / "returned"
    paths = make_returns(folder, files)
    warm = tmp / "warm"  # the modules both import, loaded before the timed runs (start-up is not the figure)
    warm.mkdir()
    for path in paths[:4]:
        (warm / Path(path).name).write_bytes(Path(path).read_bytes())
    run_parse(sorted(str(p) for p in warm.iterdir()), None, str(tmp / "warm.jsonl"), "jsonl", jobs=1)
    ingest_paths(open_store(tmp / "ingest-warm"), [warm], workers=1)
    pairs = []
    for n in range(rounds):
        with Timed() as parse:
            run_parse(paths, None, str(tmp / "parsed.jsonl"), "jsonl", jobs=jobs)
        store = open_store(tmp / f"ingest-{n}")
        with Timed() as ingest:
            found = ingest_paths(store, [folder], workers=jobs)
        store.close()
        assert len(found) == files and all(o.error is None for o in found)
        pairs.append((parse, ingest))
    return pairs


def ingest_rows(pairs: list[tuple[Timed, Timed]], files: int, jobs: int) -> str:
    def per_file_ms(values: list[float]) -> str:
        return f"{statistics.median(values) / files * 1000:.2f} ms"

    parses, ingests = [p for p, _ in pairs], [i for _, i in pairs]
    ratio = statistics.median(i.wall / p.wall for p, i in pairs)
    ratios = ", ".join(f"{i.wall / p.wall:.2f}" for p, i in pairs)
    return (f"| formkit parse, {files} files, --jobs {jobs} | {statistics.median(p.wall for p in parses):.1f} s | |\n"
            f"| formkit ingest, same files | {statistics.median(i.wall for i in ingests):.1f} s ({ratio:.2f}x parse; "
            f"pairs: {ratios}) | <= 1.3x |\n"
            f"| parse CPU per file: main process / workers | {per_file_ms([p.own for p in parses])} / "
            f"{per_file_ms([p.children for p in parses])} | |\n"
            f"| ingest CPU per file: main process / workers | {per_file_ms([i.own for i in ingests])} / "
            f"{per_file_ms([i.children for i in ingests])} | main < 0.3x workers |\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="parse/ingest pairs (the median ratio is reported)")
    parser.add_argument("--only", choices=["pages", "ingest"], help="run one part only")
    args = parser.parse_args()
    rows = ""
    with tempfile.TemporaryDirectory(prefix="formkit-season-bench-") as tmp:
        if args.only != "ingest":
            tracker, review = pages(Path(tmp), args.requests)
            rows += (f"| tracker page, 245 offices x 15 forms (median of {args.requests}) | {tracker[0]:.0f} ms | < 100 ms |\n"
                     f"| the same, CPU time (user + system) | {tracker[1]:.0f} ms | |\n"
                     f"| review page (median of {args.requests}) | {review:.0f} ms | < 150 ms |\n")
        if args.only != "pages":
            rows += ingest_rows(ingest_vs_parse(Path(tmp), args.files, args.jobs, args.rounds), args.files, args.jobs)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"| measure | result | target |\n|---|---|---|\n{rows}"
          f"\nload average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
