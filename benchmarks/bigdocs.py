"""Expensive inputs within the limits (issue 11, item 16): parse and template
derivation against python-docx opening the same file, in one process.

    python3 benchmarks/bigdocs.py                       # every input, 3 rounds
    python3 benchmarks/bigdocs.py --only tables-1200,text-7mb --rounds 1
    python3 benchmarks/bigdocs.py --profile tables-1200 # cProfile of parse and derive

Inputs are made from the shipped originals (see ``_bigdocs_inputs``) in a
temporary folder (``--keep DIR`` keeps them there). For each input, in turn
within each round: ``docx.Document(path)`` (python-docx opening it: the zip
and every XML part parsed), ``formkit.read.parse.parse_file(path)`` and, with
``--derive`` (default on), the template derivation of ``Filler(form, path)``
(its cache cleared first). Figures: median wall seconds over rounds, the
median CPU seconds, their ratio to python-docx's, and the peak RSS each task
added to the process (VmHWM reset through /proc/self/clear_refs before it,
minus VmRSS at its start; Linux only, else "—"). Progress on stderr, a
Markdown table on stdout.
"""
from __future__ import annotations

import argparse
import cProfile
import ctypes
import gc
import io
import pstats
import re
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for where in (str(HERE), str(ROOT)):  # this checkout's formkit first
    if where not in sys.path:
        sys.path.insert(0, where)

import _bigdocs_inputs as make  # noqa: E402

FORMS = ROOT / "forms"
BUILDERS: dict[str, tuple[str, Callable[[bytes], bytes]]] = {
    "original-1-2": ("esao-1-2", lambda o: o),
    "original-3-1": ("esao-3-1", lambda o: o),
    "tables-1200": ("esao-1-2", lambda o: make.tables(o, 1200)),
    "tables-1200-3-1": ("esao-3-1", lambda o: make.tables(o, 1200)),
    "body-x100": ("esao-1-2", lambda o: make.body(o, 100)),
    "long-paragraph-2M": ("esao-1-2", lambda o: make.long_paragraph(o, 2_000_000)),
    "runs-100k": ("esao-1-2", lambda o: make.many_runs(o, 100_000)),
    "nested-60": ("esao-1-2", lambda o: make.nested(o, 60, 30)),
    "paragraphs-16k": ("esao-1-2", lambda o: make.many_paragraphs(o, 16_000)),
    "text-7mb": ("esao-1-2", lambda o: make.text(o, 7_400_000)),
    "text-7mb-no-labels": ("esao-1-2", lambda o: make.without_tables(make.text(o, 7_400_000))),
    "box-then-text-1mb": ("esao-1-2", lambda o: make.box_first(make.without_tables(make.text(o, 1_000_000)))),
    "box-then-text-7mb": ("esao-1-2", lambda o: make.box_first(make.without_tables(make.text(o, 7_400_000)))),
}


@dataclass
class Measure:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    outcome: str = ""


def _status(key: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    m = re.search(rf"{key}:\s+(\d+) kB", text)
    return int(m.group(1)) if m else None


def _settle() -> None:
    """Collect garbage and give freed memory back, so RSS starts low."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to VmRSS
    except OSError:
        pass


def measure(run: Callable[[], str], into: Measure) -> None:
    _settle()
    start_rss = _status("VmRSS")
    wall, cpu = time.perf_counter(), time.process_time()
    into.outcome = run()
    gc.collect(0)  # what the task left to the collector (a paused collector defers it) is its cost
    into.wall.append(time.perf_counter() - wall)
    into.cpu.append(time.process_time() - cpu)
    peak = _status("VmHWM")
    if peak is not None and start_rss is not None:
        into.peak_mb.append((peak - start_rss) / 1024)


def task_docx(path: Path) -> Callable[[], str]:
    import docx

    def run() -> str:
        docx.Document(str(path))
        return "opened"
    return run


def task_docx_walk(path: Path) -> Callable[[], str]:
    """python-docx's open and walk, as benchmarks/_parse.py's PythonDocxWalk:
    the text of every body paragraph and every table cell, nested tables too."""
    import docx

    from _parse import _walk_table

    def run() -> str:
        d = docx.Document(str(path))
        n = sum(len(p.text) for p in d.paragraphs) + sum(_walk_table(t) for t in d.tables)
        return f"{n:,} characters"
    return run


def task_parse(path: Path) -> Callable[[], str]:
    from formkit.read.parse import parse_file

    def run() -> str:
        result = parse_file(path)
        return result.form or f"error {result.error.code if result.error else '?'}"
    return run


def task_derive(path: Path, form_id: str) -> Callable[[], str]:
    from formkit import forms
    from formkit.fill import template
    from formkit.errors import FormkitError
    from formkit.fill.filler import Filler

    form = forms.load(form_id)

    def run() -> str:
        template._derive_cached.cache_clear()
        try:
            Filler(form, path)
        except FormkitError as exc:
            return f"error {exc.code}"
        return "derived"
    return run


def build_inputs(folder: Path, names: list[str]) -> dict[str, tuple[Path, str]]:
    out = {}
    for name in names:
        form, builder = BUILDERS[name]
        path = folder / f"{name}.docx"
        if not path.exists():
            print(f"building {name}", file=sys.stderr)
            path.write_bytes(builder((FORMS / form / "original.docx").read_bytes()))
        out[name] = (path, form)
    return out


def xml_mb(path: Path) -> float:
    with zipfile.ZipFile(path) as zf:
        return zf.getinfo("word/document.xml").file_size / 2**20


def _ratio(a: list[float], b: list[float]) -> str:
    return f"{statistics.median(a) / statistics.median(b):.1f}×" if a and b else "—"


def _fig(m: Measure | None) -> str:
    """``wall (cpu) / peak MB`` medians."""
    if m is None or not m.wall:
        return "—"
    peak = f"{statistics.median(m.peak_mb):.0f}" if m.peak_mb else "—"
    return f"{statistics.median(m.wall):.3f} ({statistics.median(m.cpu):.3f}) / {peak}"


def report(inputs: dict[str, tuple[Path, str]], results: dict[tuple[str, str], Measure]) -> str:
    head = ("| input | .docx MB | XML MB | python-docx s (cpu) / MB | parse s (cpu) / MB | parse ÷ python-docx "
            "| derive s (cpu) / MB | derive ÷ python-docx | parse result | parse peak ÷ XML "
            "| python-docx walk s (cpu) | parse ÷ python-docx walk |")
    lines = [head, "|" + "---|" * (head.count(" | ") + 1)]
    for name, (path, _) in inputs.items():
        base = results.get((name, "docx"))
        cells = [name, f"{path.stat().st_size / 2**20:.2f}", f"{xml_mb(path):.1f}", _fig(base)]
        for kind in ("parse", "derive"):
            m = results.get((name, kind))
            ratio = f"{_ratio(m.wall, base.wall)} ({_ratio(m.cpu, base.cpu)} cpu)" if m and base else "—"
            cells += [_fig(m), ratio]
        parsed = results.get((name, "parse"))
        cells.append(parsed.outcome if parsed else "—")
        xml = xml_mb(path)
        cells.append(f"{statistics.median(parsed.peak_mb) / xml:.1f}×" if parsed and parsed.peak_mb and xml else "—")
        walk = results.get((name, "walk"))
        cells.append(_fig(walk).split(" / ")[0])
        cells.append(f"{_ratio(parsed.wall, walk.wall)} ({_ratio(parsed.cpu, walk.cpu)} cpu)" if parsed and walk else "—")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def profile(path: Path, form: str) -> None:
    for title, run in (("parse_file", task_parse(path)), ("template derivation", task_derive(path, form))):
        run()  # warm: imports, form definitions
        prof = cProfile.Profile()
        prof.runcall(run)
        for key in ("tottime", "cumulative"):
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(20)
            print(f"### {title} of {path.name}, by {key}\n```\n{buf.getvalue().strip()}\n```\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="comma-separated input names: " + ", ".join(BUILDERS))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-derive", dest="derive", action="store_false")
    ap.add_argument("--walk", action="store_true",
                    help="also time python-docx's open + walk over every paragraph and cell (the issue 17 baseline)")
    ap.add_argument("--keep", type=Path, help="build (and keep) the inputs in this folder")
    ap.add_argument("--profile", metavar="NAME", help="profile parse and derivation of one input instead")
    args = ap.parse_args(argv)
    names = args.only.split(",") if args.only else [args.profile] if args.profile else list(BUILDERS)
    unknown = [n for n in names if n not in BUILDERS]
    if unknown:
        ap.error(f"unknown input(s): {', '.join(unknown)}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        inputs = build_inputs(folder, names)
        if args.profile:
            profile(*inputs[args.profile])
            return 0
        results: dict[tuple[str, str], Measure] = {}
        tasks: list[tuple[str, str, Callable[[], str]]] = []
        for name, (path, form) in inputs.items():
            tasks += [(name, "docx", task_docx(path)), (name, "parse", task_parse(path))]
            if args.walk:
                tasks.append((name, "walk", task_docx_walk(path)))
            if args.derive:
                tasks.append((name, "derive", task_derive(path, form)))
        for _, _, run in tasks[:3]:
            run()  # warm-up: imports, form definitions, the shipped original
        for rnd in range(args.rounds):
            for name, kind, run in tasks if rnd % 2 == 0 else reversed(tasks):
                measure(run, results.setdefault((name, kind), Measure()))
                m = results[(name, kind)]
                print(f"round {rnd + 1} {name} {kind}: {m.wall[-1]:.2f} s, "
                      f"{m.peak_mb[-1] if m.peak_mb else 0:.0f} MB, {m.outcome}", file=sys.stderr)
        print(report(inputs, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
