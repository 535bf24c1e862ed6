#!/usr/bin/env python3
"""Fuzz formkit's data readers: ``python benchmarks/fuzz_data.py --minutes 10 --seed N``.

The companion of ``benchmarks/fuzz.py`` (which mutates Word documents) for
everything else a user hands formkit:

* ``rows``: bulk's data files, ``.csv`` (UTF-8, Windows-874), ``.jsonl`` and
  ``.xlsx``, read row by row with :func:`formkit.fill.tabular.read_rows`, and a
  row that validates is filled (one render) as ``bulk`` would;
* ``record``: fill's one-record files, ``.json`` and ``.yaml``, read with
  :func:`formkit.fill.records.read_record`, then filled;
* ``report``: parse and score results (``.json``/``.jsonl``) read by ``score``
  and ``report``: :func:`formkit.score.scoring.load_inputs`, scored, then the report's
  HTML page and workbook made.

Seeds are the samples' data files, an ``.xlsx`` made from a bulk CSV, and
parse and score results of the samples. Mutations are byte-level (flips,
cuts, repeats, splices) and structural: deep nesting, huge numbers, control
and surrogate characters, unbalanced quotes, YAML anchors and aliases, a
spreadsheet sheet or shared-string table grown wide. A registered
:class:`formkit.errors.FormkitError` (or a row error) is fine; an exception,
an unregistered code, an input over ``--timeout`` or a memory jump is a crash,
saved under ``tests/fuzz_regressions/`` as ``<target>-<kind>-...-<sha8>.<ext>``
with a ``.txt`` beside it (replayed by ``tests/test_fuzz_smoke.py``).
"""
from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from fuzz import REGRESSIONS, Crash, Slow, Stats, _innermost_formkit_frame, _peak_mb, check_error, time_limit  # noqa: E402

from formkit.errors import FormkitError  # noqa: E402

TARGETS = {".csv": "rows", ".jsonl": "rows", ".xlsx": "rows", ".json": "record", ".yaml": "record"}
ODD = ("\x00", "\x07", "\x1b", "\ufffe", "\uffff", "\ud800", '"', "'", "\\", "{", "[", "&", "*", ":",
       "\r", "\n", "\t", ",", ";", "=", "\u0e4d\u0e32", "๕", "\u200b", "\ufeff", "-", "%", "#", "!!python/object:x")


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes
    suffix: str
    target: str
    form: str


def _xlsx_from_csv(path: Path) -> bytes:
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _results(form: str) -> tuple[bytes, bytes]:
    """Parse results of the form's samples (JSON Lines) and their scores."""
    from formkit.read.parse import parse_file
    from formkit.score.scoring import score_items

    results = [parse_file(str(p)).as_dict() for p in sorted((ROOT / "samples" / form).glob("*.docx"))[:4]]
    scored = score_items(results, None)
    lines = [json.dumps(r, ensure_ascii=False) for r in results]
    scores = [json.dumps(s.as_dict(), ensure_ascii=False) for s in scored.scores]
    return "\n".join(lines).encode(), "\n".join(scores).encode()


def corpus() -> list[Seed]:
    seeds: list[Seed] = []
    for form in ("esao-1-2", "esao-3-1"):
        folder = ROOT / "samples" / form
        for path in sorted(folder.iterdir()):
            target = TARGETS.get(path.suffix)
            if target and (path.name.startswith(("bulk", "record-"))):
                seeds.append(Seed(str(path.relative_to(ROOT)), path.read_bytes(), path.suffix, target, form))
        bulk = folder / "bulk.csv"
        if bulk.exists():
            seeds.append(Seed(f"{bulk.relative_to(ROOT)} as .xlsx", _xlsx_from_csv(bulk), ".xlsx", "rows", form))
        parsed, scored = _results(form)
        seeds.append(Seed(f"parse results of samples/{form}", parsed, ".jsonl", "report", form))
        seeds.append(Seed(f"score results of samples/{form}", scored, ".jsonl", "report", form))
    return seeds


# -- mutations ----------------------------------------------------------------------

def _bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return b"\x00", "empty -> NUL"
    i = rng.randrange(len(data))
    kind = rng.choice(["flip", "cut", "repeat", "insert", "truncate"])
    if kind == "flip":
        return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1:], f"flip at {i}"
    if kind == "cut":
        j = min(len(data), i + rng.randint(1, 64))
        return data[:i] + data[j:], f"cut {i}:{j}"
    if kind == "repeat":
        j = min(len(data), i + rng.randint(1, 200))
        times = rng.choice([2, 10, 100, 1000])
        return data[:i] + data[i:j] * times + data[j:], f"repeat {i}:{j} x{times}"
    if kind == "insert":
        odd = rng.choice(ODD).encode("utf-8", "surrogatepass")
        return data[:i] + odd * rng.choice([1, 1, 3, 50]) + data[i:], f"insert {odd!r} at {i}"
    return data[:i], f"truncate at {i}"


def _structure(rng: random.Random, seed: Seed) -> tuple[bytes, str]:
    data = seed.data
    text = data.decode("utf-8", "replace")
    if seed.suffix == ".xlsx":
        return _xlsx(rng, data)
    choice = rng.choice(["nest", "number", "control", "quote", "alias", "long"])
    at = rng.randrange(len(text) + 1)
    if choice == "nest":
        depth = rng.choice([50, 1000, 100_000])
        opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
        return (text[:at] + opener * depth + "1" + closer * depth + text[at:]).encode(), f"nest x{depth}"
    if choice == "number":
        return (text[:at] + "9" * rng.choice([20, 5000, 100_000]) + text[at:]).encode(), "huge number"
    if choice == "control":
        ch = rng.choice(["\\u0007", "\\u0000", "\\ud800", "\\uffff", "\x07", "\x0b"])
        return (text[:at] + ch + text[at:]).encode("utf-8", "surrogatepass"), f"control {ch!r}"
    if choice == "quote":
        return (text[:at] + '"' + text[at:]).encode(), "unbalanced quote"
    if choice == "alias":
        bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
            f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
        return (bomb + text).encode(), "YAML alias bomb"
    return (text[:at] + "ก" * rng.choice([10_000, 1_000_000]) + text[at:]).encode(), "long text"


def _xlsx(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Grow or break the first sheet or the shared strings of a workbook."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    sheet = next((n for n in members if n.startswith("xl/worksheets/")), None)
    if sheet is None:
        return data, "no sheet"
    xml = members[sheet].decode()
    choice = rng.choice(["wide", "tall", "ref", "strings", "cell"])
    if choice == "wide":
        cells = "".join(f'<c r="{_column(n)}1" t="inlineStr"><is><t>x</t></is></c>' for n in range(1, 20_000, 7))
        xml = xml.replace("<sheetData>", f"<sheetData><row r=\"1\">{cells}</row>", 1)
    elif choice == "tall":
        xml = xml.replace("</sheetData>", '<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>')
    elif choice == "ref":
        xml = xml.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>', 1)
    elif choice == "strings":
        members["xl/sharedStrings.xml"] = (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + "<si><t>" + "x" * 1000 + "</t></si>" * 1 + "<si><t>y</t></si>" * 50_000 + "</sst>").encode()
    else:
        xml = xml.replace("<v>", "<v>" + rng.choice(["1e999", "-", "NaN", "\x07", "=1+1"]), 1)
    members[sheet] = xml.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue(), f"xlsx {choice}"


def _column(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def mutate(rng: random.Random, seed: Seed) -> tuple[bytes, list[str]]:
    data, steps = seed.data, []
    for _ in range(rng.choice([1, 1, 2, 3])):
        data, step = _structure(rng, seed) if rng.random() < 0.4 else _bytes(rng, data)
        steps.append(step)
    return data, steps


# -- targets --------------------------------------------------------------------------

def _fill_one(form: Any, record: dict[str, Any]) -> None:
    from formkit.fill.filler import Filler

    Filler(form).render(record, io.BytesIO())


def run_rows(path: Path, form_id: str) -> None:
    from formkit import forms
    from formkit.fill.tabular import read_rows

    form = forms.load(form_id)
    for n, row in enumerate(read_rows(path, form)):
        if row.error is None and row.record is not None and n < 3:
            _fill_one(form, row.record)


def run_record(path: Path, form_id: str) -> None:
    from formkit import forms
    from formkit.fill.records import read_record

    form = forms.load(form_id)
    _fill_one(form, read_record(path, form))


def run_report(path: Path, form_id: str) -> None:
    import datetime as dt

    from formkit.score.report_html import render_html
    from formkit.score.report_model import group_offices, to_row
    from formkit.score.report_xlsx import xlsx_bytes
    from formkit.score.scoring import load_inputs, score_items

    items = load_inputs([str(path)], io.StringIO())
    offices = group_offices([to_row(s, i.get("record")) for s, i in zip(score_items(items, None).scores, items)])
    render_html(offices, "fuzz", "th", None, dt.datetime.now())
    xlsx_bytes(offices, "th")


RUNNERS: dict[str, Callable[[Path, str], None]] = {"rows": run_rows, "record": run_record, "report": run_report}


def run_target(target: str, data: bytes, suffix: str, form: str, folder: Path, timeout: float,
               memory_mb: float) -> Crash | None:
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    before = _peak_mb()
    try:
        with time_limit(timeout):
            RUNNERS[target](path, form)
    except Slow:
        return Crash(target, "slow", "", "", f"still running after {timeout:.0f} s (stopped)")
    except FormkitError as exc:
        return check_error(target, exc)
    except BaseException as exc:  # noqa: BLE001 - that is the point
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Crash(target, "crash", type(exc).__name__, _innermost_formkit_frame(exc.__traceback__),
                     "".join(traceback.format_exception(exc)))
    finally:
        path.unlink(missing_ok=True)
    grown = _peak_mb() - before
    if grown > memory_mb:
        return Crash(target, "memory", "", "", f"peak RSS grew by {grown:.0f} MB on this input")
    return None


def save(crash: Crash, data: bytes, seed: Seed, steps: list[str], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{crash.target}-{seed.form}-{crash.file_stem(data)[len(crash.target) + 1:]}"
    path = out_dir / f"{stem}{seed.suffix}"
    path.write_bytes(data)
    report = crash.report.splitlines()
    if len(report) > 80:
        report = [*report[:20], f"... ({len(report) - 60} lines left out) ...", *report[-40:]]
    (out_dir / f"{stem}.txt").write_text(
        f"target: {crash.target}\nform: {seed.form}\nkind: {crash.kind}\ndetail: {crash.detail}\n"
        f"where: {crash.where}\nfrom: {seed.name}\nmutations: {'; '.join(steps)}\n\n" + "\n".join(report) + "\n",
        "utf-8")
    return path


def fuzz(seconds: float, seed: int, out_dir: Path | None = REGRESSIONS, timeout: float = 10.0,
         memory_mb: float = 400.0, log: Callable[[str], None] | None = None) -> Stats:
    rng = random.Random(seed)
    seeds = corpus()
    stats = Stats()
    start = time.monotonic()
    found: dict[tuple[str, str, str, str], tuple[Crash, bytes, Seed, list[str]]] = {}
    with tempfile.TemporaryDirectory(prefix="formkit-fuzz-data-") as tmp:
        while time.monotonic() - start < seconds:
            base = rng.choice(seeds)
            data, steps = mutate(rng, base)
            crash = run_target(base.target, data, base.suffix, base.form, Path(tmp), timeout, memory_mb)
            stats.inputs += 1
            stats.by_target[base.target] = stats.by_target.get(base.target, 0) + 1
            if crash is not None:
                known = found.get(crash.signature)
                if known is None or len(data) < len(known[1]):
                    found[crash.signature] = (crash, data, base, [f"seed {seed}", *steps])
                    stats.crashes[crash.signature] = (crash, data, steps)
                    if log and known is None:
                        log(f"CRASH {crash.target} {crash.kind} {crash.detail} {crash.where} <- {base.name}: "
                            f"{'; '.join(steps)}")
    stats.seconds = time.monotonic() - start
    if out_dir is not None:
        for crash, data, base, steps in found.values():
            stats.saved.append(save(crash, data, base, steps, out_dir))
    return stats


def replay(path: Path, timeout: float = 30.0, memory_mb: float = 1000.0) -> Crash | None:
    """Run a saved input (``<target>-<form>-...<ext>``) through its target."""
    from formkit import forms

    target, _, rest = path.name.partition("-")
    form = next(f.id for f in forms.load_all() if rest.startswith(f"{f.id}-"))
    with tempfile.TemporaryDirectory(prefix="formkit-replay-") as tmp:
        return run_target(target, path.read_bytes(), path.suffix, form, Path(tmp), timeout, memory_mb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=REGRESSIONS)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--memory-mb", type=float, default=400.0)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    log = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    stats = fuzz(args.minutes * 60, args.seed, args.out, args.timeout, args.memory_mb, log)
    print(stats.summary())
    for saved in stats.saved:
        print(f"saved {saved}")
    print(f"minutes run: {stats.seconds / 60:.1f}; inputs tried: {stats.inputs}; crashes found: {len(stats.crashes)}")
    return 1 if stats.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
