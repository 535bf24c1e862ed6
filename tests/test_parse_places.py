"""Where each field was found survives a batch parsed by worker processes
(the season stores it beside each record)."""
from __future__ import annotations

import shutil
from pathlib import Path

from formkit.read.batch import parse_files
from tests.conftest import ROOT


def test_worker_results_keep_where_each_field_was_found(tmp_path: Path) -> None:
    sources = [ROOT / "samples" / "esao-1-2" / "over-dots.docx", ROOT / "samples" / "esao-3-1" / "one-work.docx"]
    files = []
    for n in range(20):  # enough files for two workers to be used
        source = sources[n % 2]
        files.append(tmp_path / f"{n:02d}-{source.name}")
        shutil.copyfile(source, files[-1])
    alone = {r.file: r.places() for r in parse_files(files, jobs=1)}
    shared = list(parse_files(files, jobs=2))
    assert all(r.located is None for r in shared)  # made in a worker: no document model came back
    assert {r.file: r.places() for r in shared} == alone
    assert all("level" in places for places in alone.values())
