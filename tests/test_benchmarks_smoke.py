"""Smoke run of the performance benchmarks (benchmarks/bench.py --quick).

Runs the whole benchmark with tiny sizes in a subprocess and checks that the
report has every row with numbers in it, so the benchmarks cannot rot when
formkit changes. It asserts nothing about speed: timings belong to the
benchmark itself (run by hand), never to the tests.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
FORMS = ("esao-1-2", "esao-3-1")
# rows that may be skipped, with the reason the report must then give
OPTIONAL = {
    "formkit parse --jobs 2": "no --jobs",
    "docx2python": "not installed",
    "start-up: formkit parse 1 file (console script)": "no formkit console script",
}
NUMBER = re.compile(r"^[0-9][0-9,]*(\.[0-9]+)?$")


def _labels() -> dict[str, str]:
    sys.path.insert(0, str(BENCH))
    try:
        import bench

        return dict(bench.LABELS)
    finally:
        sys.path.remove(str(BENCH))


def _rows(report: str) -> list[list[str]]:
    """The cells of the results table (the first table after the header)."""
    lines = report.split("### Targets")[0].splitlines()
    body = [line for line in lines if line.startswith("| ") and not line.startswith("| section")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in body]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One quick run of the whole benchmark, shared by the tests below."""
    tmp_path = tmp_path_factory.mktemp("bench")
    out = tmp_path / "latest.md"
    cmd = [sys.executable, str(BENCH / "bench.py"), "--quick", "--sizes", "3", "--memory-files", "20",
           "--startup-runs", "2", "--output", str(out)]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-4000:]
    assert out.read_text(encoding="utf-8") == done.stdout
    return done.stdout


def test_quick_benchmark_reports_every_row(report: str) -> None:
    assert "- command: `python benchmarks/bench.py --quick" in report
    for item in ("- date: ", "- machine: ", "- Python ", "lxml ", "docxtpl ", "python-docx ", "docx2python "):
        assert item in report
    rows = _rows(report)
    assert all(len(r) == 9 for r in rows), rows
    labels = _labels()
    per_form = [label for key, label in labels.items() if not label.startswith("start-up")]
    expected = [(label, form) for form in FORMS for label in per_form]
    expected += [(label, "esao-1-2" if "formkit" in label else "—") for label in labels.values() if label.startswith("start-up")]
    found = {(r[1], r[2]): r for r in rows}
    for label, form in expected:
        row = found.get((label, form))
        assert row is not None, f"row missing: {label} ({form})"
        if row[7].startswith("skipped: "):
            assert label in OPTIONAL and OPTIONAL[label] in row[7], row
            continue
        assert NUMBER.match(row[4]) and NUMBER.match(row[5]) and NUMBER.match(row[6]), row
    memory = [r for r in rows if r[0] == "memory"]
    assert [r[3] for r in memory] == ["2", "20"]
    assert all(NUMBER.match(r[4]) and NUMBER.match(r[8]) for r in memory), memory


def test_quick_benchmark_reports_every_target(report: str) -> None:
    targets = report.split("### Targets", 1)[1].split("### How measured")[0]  # both tables
    for phrase in ("bulk fill (1 job) vs zip-copy floor", "batch parse (1 job) vs python-docx walk",
                   "batch parse (1 job) vs zip+lxml floor", "bulk fill --jobs 2 vs --jobs 1",
                   "batch parse --jobs 2 vs --jobs 1", "start-up for one file", "peak RSS of formkit parse",
                   "flat memory"):
        assert phrase in targets, phrase
    verdicts = [line.rsplit(" | ", 1)[1] for line in targets.splitlines() if line.startswith("| ") and "verdict" not in line]
    assert verdicts and all(re.search(r"\*\*(met|NOT met)\*\*|not measured: ", v) for v in verdicts), verdicts


def test_quick_benchmark_reports_the_bulk_and_start_up_targets(report: str) -> None:
    """Issue 17's section: bulk with read-back against the docxtpl loop and
    --no-verify, --jobs 2 against --jobs 1 (whole processes), start-up."""
    section = report.split("### Targets (issue 17: bulk")[1].split("### How measured")[0]
    lines = [line for line in section.splitlines() if line.startswith("| ") and "verdict" not in line]
    for phrase in ("vs the docxtpl loop, whole process", "÷ bulk --no-verify", "--jobs 2 vs --jobs 1, whole process",
                   "start-up for one file (python -m formkit)"):
        (line,) = [line for line in lines if phrase in line]
        assert re.search(r"\| [0-9.]+× .*\*\*(met|NOT met)\*\*", line), line
    rows = {r[1]: r for r in _rows(report) if r[0] == "bulk process"}
    assert len(rows) == 4 and all(NUMBER.match(r[4]) and NUMBER.match(r[6]) and r[3] == "5" for r in rows.values()), rows
