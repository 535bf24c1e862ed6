"""formkit.parse: inputs that are not regular files never block a command.

A FIFO given to ``parse`` or ``inspect`` must be refused after a stat, never
opened for reading (``open`` on a FIFO waits for a writer forever). Each
command runs in a subprocess with a timeout, so a regression fails here
instead of hanging the test run.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 10
FIFO_MESSAGE = "this is a named pipe (FIFO), not a regular file"


def _formkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m formkit ARGS`` from this checkout; TimeoutExpired when it hangs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FORMKIT_SOFFICE": str(cwd / "no-soffice")}
    return subprocess.run([sys.executable, "-m", "formkit", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "f.docx"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("convert", ["--convert", "--no-convert"])
def test_parse_refuses_a_fifo(fifo: Path, convert: str) -> None:
    proc = _formkit("parse", convert, str(fifo), cwd=fifo.parent)
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)
    assert result["error"]["code"] == "not-found"
    assert FIFO_MESSAGE in result["error"]["message"]
    assert str(fifo) in result["error"]["message"]


def test_parse_batch_goes_on_past_a_fifo(fifo: Path) -> None:
    good = ROOT / "forms" / "esao-1-2" / "original.docx"
    proc = _formkit("parse", "--jobs", "2", str(fifo), str(good), cwd=fifo.parent)
    assert proc.returncode == 1, proc.stderr
    results = {r["file"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert results[str(fifo)]["error"]["code"] == "not-found"
    assert results[str(good)]["form"] == "esao-1-2"
    assert results[str(good)]["error"] is None


def test_inspect_refuses_a_fifo(fifo: Path) -> None:
    proc = _formkit("inspect", str(fifo), cwd=fifo.parent)
    assert proc.returncode == 1, proc.stderr
    assert f"error: not-found: {FIFO_MESSAGE}" in proc.stdout


def test_legacy_sniffing_never_opens_a_fifo(fifo: Path) -> None:
    code = "import sys; from formkit.parse import legacy_format; print(legacy_format(sys.argv[1]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True,
                          env=env, timeout=TIMEOUT)
    assert proc.stdout.strip() == "None", proc.stderr


@pytest.mark.xfail(raises=subprocess.TimeoutExpired, strict=True,
                   reason="template.derive reads the original without a stat")
def test_fill_refuses_an_original_that_is_a_fifo(fifo: Path) -> None:
    record = ROOT / "samples" / "esao-1-2" / "record-1.json"
    out = fifo.parent / "out.docx"
    proc = _formkit("fill", "esao-1-2", str(record), "-o", str(out), "--original", str(fifo), cwd=fifo.parent)
    assert proc.returncode == 1
    assert FIFO_MESSAGE in proc.stderr
    assert not out.exists()
