"""``formkit bulk`` as whole processes, against a docxtpl user's script (issue 17).

Over N esao-1-2 records (default 600), four commands run in turn, each a
whole process under ``_rss.py`` (start-up, reading the records, template
derivation, every document and the final flush included), after one untimed
run of each over 3 records (bytecode compiled):

* ``formkit bulk esao-1-2 RECORDS.jsonl -o DIR --jobs 1``: each document read
  back before it is written (the default);
* the same with ``--no-verify``;
* the same with ``--jobs 2``;
* ``python benchmarks/_fill.py docxtpl ...``: what a docxtpl user writes, a new
  ``DocxTemplate`` per record over formkit's derived template saved as a file.

Issue 17's targets from them: read-back on at least 10x the docxtpl loop and
within 3x of ``--no-verify``, ``--jobs 2`` at least 1.8x ``--jobs 1``; and the
start-up target (one file parsed within 1.5x of ``import lxml.etree, click``),
from bench.py's start-up rows.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import _inputs
import _procs
from _report import Row, Target

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LABELS = {
    "p_bulk1": "process: formkit bulk --jobs 1",
    "p_bulk1nv": "process: formkit bulk --jobs 1 --no-verify",
    "p_bulk2": "process: formkit bulk --jobs 2",
    "p_docxtpl": "process: docxtpl loop script (python benchmarks/_fill.py docxtpl)",
}


def ratio(label: str, a: float, b: float) -> str:
    return f"{a / b:.2f}× {label}"


def bench(n: int, rounds: int, work: Path, photos: dict[str, bytes],
          log: Callable[[str], None]) -> tuple[_procs.StartupResult, list[Row]]:
    """``formkit bulk`` over ``n`` esao-1-2 records as whole processes
    (read-back on and off, --jobs 1 and 2) against a docxtpl user's script
    doing the same, interleaved rounds, medians (issue 17)."""
    import formkit
    from formkit import forms
    from formkit.fill.filler import Filler

    form = "esao-1-2"
    inputs = _inputs.prepare(work, ROOT / "samples", form, n, sorted(photos))
    warm = _inputs.write_jsonl(work / f"process-{form}-warm.jsonl", inputs.records[:3])
    template = work / f"template-{form}.docx"
    template.write_bytes(Filler(forms.load(form)).template.docx())
    env = _procs.child_env(Path(formkit.__file__).resolve().parent.parent, work / "pycache")

    def commands(data: Path, out: Path) -> dict[str, list[str]]:
        bulk = [sys.executable, "-m", "formkit", "bulk", form, str(data), "--name", "{row}.docx"]
        return {
            "p_bulk1": [*bulk, "-o", str(out / "verify-1"), "--jobs", "1"],
            "p_bulk1nv": [*bulk, "-o", str(out / "no-verify-1"), "--jobs", "1", "--no-verify"],
            "p_bulk2": [*bulk, "-o", str(out / "verify-2"), "--jobs", "2"],
            "p_docxtpl": [sys.executable, str(HERE / "_fill.py"), "docxtpl", form, str(template), str(data),
                          str(out / "docxtpl")],
        }

    log(f"bulk processes: {rounds} round(s) over {n} {form} records")
    _procs.startup(commands(warm, work / "process-warm"), work, env, runs=0, warmup=1)  # bytecode compiled
    result = _procs.startup(commands(inputs.jsonl, work / "process"), work, env, rounds, warmup=0)
    ms = {key: result.median_ms(key) / n for key in LABELS}
    cpu = {key: result.median_cpu_ms(key) / n for key in LABELS}
    versus = {
        "p_bulk1": [f"{ms['p_docxtpl'] / ms['p_bulk1']:.1f}× the docxtpl loop's throughput",
                    ratio("--no-verify", ms["p_bulk1"], ms["p_bulk1nv"])],
        "p_bulk1nv": [f"{ms['p_docxtpl'] / ms['p_bulk1nv']:.1f}× the docxtpl loop's throughput"],
        "p_bulk2": [f"{ms['p_bulk1'] / ms['p_bulk2']:.2f}× the --jobs 1 throughput",
                    f"{ms['p_docxtpl'] / ms['p_bulk2']:.1f}× the docxtpl loop's throughput"],
        "p_docxtpl": [],
    }
    rows = [Row("bulk process", label, form, n, ms[key], versus[key], result.median_rss(key), cpu_ms=cpu[key])
            for key, label in LABELS.items()]
    return result, rows


def targets(process: _procs.StartupResult | None, startup_ms: dict[str, float],
            startup_cpu: dict[str, float]) -> list[Target]:
    """Issue 17's bulk and start-up targets (whole processes)."""
    out: list[Target] = []
    if process is not None:
        med, cpu = process.median_ms, process.median_cpu_ms
        out += [
            Target("bulk with read-back (--jobs 1) vs the docxtpl loop, whole process: speed-up",
                   med("p_docxtpl") / med("p_bulk1"), 10.0, True, cpu=cpu("p_docxtpl") / cpu("p_bulk1")),
            Target("bulk with read-back ÷ bulk --no-verify (--jobs 1), whole process: time",
                   med("p_bulk1") / med("p_bulk1nv"), 3.0, False, cpu=cpu("p_bulk1") / cpu("p_bulk1nv")),
            Target("bulk with read-back --jobs 2 vs --jobs 1, whole process: throughput",
                   med("p_bulk1") / med("p_bulk2"), 1.8, True),
        ]
    bare, bare_cpu = startup_ms.get("bare"), startup_cpu.get("bare")
    for key, what in (("module", "python -m formkit"), ("script", "formkit console script")):
        ms, cpu_ms = startup_ms.get(key), startup_cpu.get(key)
        out.append(Target(f"start-up for one file ({what}) ÷ bare import", ms / bare if ms and bare else None, 1.5,
                          False, why_missing="no console script", cpu=cpu_ms / bare_cpu if cpu_ms and bare_cpu else None))
    return out
