"""Shared fixtures: the repository root and LibreOffice.

In CI (CI=true) a missing LibreOffice fails the tests that need it; on a
developer machine they are skipped with the command that installs it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# the YAML cache of this run (formkit.yamlcache), inherited by every process
# the tests start: nothing is written to the user's own cache folder
if "FORMKIT_CACHE_DIR" not in os.environ:
    import atexit
    import tempfile

    os.environ["FORMKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="formkit-test-cache-")
    atexit.register(shutil.rmtree, os.environ["FORMKIT_CACHE_DIR"], True)


@pytest.fixture(scope="session")
def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        message = "LibreOffice is missing: bash tests/run.sh installs it (apt-get install libreoffice-writer-nogui)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def convert(soffice: str, files: list[Path], target: str, outdir: Path, profile: Path) -> list[Path]:
    """Convert ``files`` with one headless LibreOffice run (a throw-away profile)."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    ext = target.split(":")[0]
    out = [outdir / f"{f.stem}.{ext}" for f in files]
    missing = [p for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return out


def expected_samples() -> list[Path]:
    """The expected-JSON files of the samples: a .json with a .docx beside it
    (record-*.json files are fill inputs, not expectations)."""
    return sorted(p for p in (ROOT / "samples").glob("*/*.json") if p.with_suffix(".docx").exists())


def sample_dirs() -> list[Path]:
    """The folders of filled samples of the shipped forms (samples/<form>/),
    each with an expected JSON per document. samples/learn/ holds forms that
    are not shipped (a blank original of each), so it is not among them."""
    return sorted({p.parent for p in expected_samples()})


@pytest.fixture(scope="session")
def chromium() -> str:
    """Headless Chromium for the HTML report's browser test; fails in CI
    (CI=true) when missing, skips on a developer machine."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Chromium is missing: bash tests/run.sh installs it (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _program(names: tuple[str, ...], package: str) -> str:
    """A word processor of the client matrix (tests/test_clients.py): fails
    in CI (CI=true) when missing, skips on a developer machine."""
    path = next((p for p in map(shutil.which, names) if p), None)
    if path is None:
        message = f"{names[0]} is missing: bash tests/run.sh installs it (apt-get install {package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def abiword() -> str:
    return _program(("abiword",), "abiword")


@pytest.fixture(scope="session")
def pandoc() -> str:
    return _program(("pandoc",), "pandoc")


@pytest.fixture(scope="session")
def calligraconverter() -> str:
    return _program(("calligraconverter",), "calligrawords")
