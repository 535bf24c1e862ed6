"""The fuzzer cannot rot, and every crash it found stays fixed (or visibly known).

* ``benchmarks/fuzz.py``'s loop runs for a few seconds in this process (crash
  inputs kept in memory, nothing written to the repository);
* ``benchmarks/fuzz_data.py``'s loop (bulk rows, fill records, score and
  report inputs) likewise;
* every input saved under ``tests/fuzz_regressions/`` is replayed through the
  target its name gives (``parse-...`` through ``parse_file``,
  ``derive-<form>-...`` through ``Filler(form, path)`` and a render,
  ``rows-``/``record-``/``report-<form>-...`` through fuzz_data's readers) and
  must not crash. Those that still do are xfail(strict=True) below, each with the
  bug it shows; when a fix lands its xfail turns into an XPASS failure: delete
  the entry from KNOWN.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REGRESSIONS = ROOT / "tests" / "fuzz_regressions"


def _load(name: str):  # type: ignore[no-untyped-def]
    """benchmarks/<name>.py as a module (fuzz_data imports fuzz by its plain name)."""
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


fuzz = _load("fuzz")
fuzz_data = _load("fuzz_data")
DATA_SUFFIXES = (".csv", ".jsonl", ".xlsx", ".json", ".yaml")

# file-name prefix -> the bug it shows (still open)
KNOWN: dict[str, str] = {}  # "file-name prefix": "BUG: ..." for each saved crash still open; all are fixed


def known_bug(path: Path) -> str | None:
    return next((bug for prefix, bug in KNOWN.items() if path.name.startswith(prefix)), None)


def cases() -> list[object]:
    out = []
    for path in sorted(p for p in REGRESSIONS.iterdir() if p.suffix in (".docx", *DATA_SUFFIXES)):
        bug = known_bug(path)
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


def test_the_fuzz_loop_runs() -> None:
    stats = fuzz.fuzz(5.0, seed=7, out_dir=None, timeout=10.0)
    assert stats.inputs >= 20, stats.summary()
    assert stats.by_target.get("parse", 0) > 0
    assert "input(s) tried" in stats.summary()


def test_the_mutators_change_their_input() -> None:
    import random

    rng = random.Random(3)
    seed = next(s for s in fuzz.corpus() if s.name.endswith("over-dots.docx"))
    mutated = {fuzz.mutate_xml(rng, seed.data)[0] for _ in range(10)}
    mutated |= {fuzz.mutate_bytes(rng, seed.data, seed.data)[0] for _ in range(10)}
    assert seed.data not in mutated and len(mutated) >= 15


def test_the_data_fuzz_loop_runs() -> None:
    stats = fuzz_data.fuzz(5.0, seed=7, out_dir=None, timeout=10.0)
    assert stats.inputs >= 20, stats.summary()
    assert {"rows", "record", "report"} <= set(stats.by_target), stats.by_target


def test_every_regression_has_its_story() -> None:
    for path in (p for p in REGRESSIONS.iterdir() if p.suffix in (".docx", *DATA_SUFFIXES)):
        assert path.with_suffix(".txt").exists(), f"{path.name}: no .txt saying how it was found"
        assert path.stat().st_size < 200_000, f"{path.name}: keep regression inputs small"


@pytest.mark.parametrize("path", cases())
def test_saved_crash_input_no_longer_crashes(path: Path) -> None:
    crash = fuzz.replay(path) if path.suffix == ".docx" else fuzz_data.replay(path)
    assert crash is None, f"{crash.target} {crash.kind} {crash.detail} {crash.where}\n{crash.report[-2000:]}"
