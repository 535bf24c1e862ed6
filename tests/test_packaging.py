"""formkit as users install it: the wheel works from any folder, with the forms inside.

The sdist and the wheel are built (``python -m build``) and checked
(``twine check``); the wheel goes into a fresh virtual environment and runs
from a folder outside the checkout: ``formkit forms`` lists the shipped forms
from inside the installed package, the README's main job (fill a form, parse
it back) works, and a form of an office's own, kept in a folder named by
``FORMKIT_FORMS``, is found by its id.
"""
from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


def test_setup_cfg_lists_every_package() -> None:
    """setup.cfg names its packages one by one (forms/ is mapped into the
    package as formkit._forms, which find: cannot see): none may be missing."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    listed = set(cfg["options"]["packages"].split())
    folders = {".".join(p.relative_to(ROOT).parts) for p in [ROOT / "formkit", *(ROOT / "formkit").rglob("*")]
               if p.is_dir() and p.name != "__pycache__" and any(p.glob("*.py")) | any(p.glob("*.yaml"))}
    assert folders | {"formkit._forms"} == listed
    assert cfg["options"]["package_dir"].split() == ["formkit._forms", "=", "forms"]


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "FORMKIT_FORMS")}
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env={**clean, **(env or {})})
    assert proc.returncode == 0, f"{args}: {proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean copy of the checkout: no build/ or egg-info of its own."""
    src = tmp_path_factory.mktemp("src") / "formkit"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__",
                                                             ".mypy_cache", ".pytest_cache", ".hypothesis"))
    return src


@pytest.fixture(scope="module")
def dist(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    src = source
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(src)], src)
    _run([sys.executable, "-m", "twine", "check", "--strict", *map(str, sorted(out.iterdir()))], out)
    return out


def test_the_distributions_carry_the_forms(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    shipped = {p.relative_to(ROOT / "forms").as_posix() for p in (ROOT / "forms").glob("*/*")}
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert {f"formkit/_forms/{s}" for s in shipped} <= names
    assert {"formkit/data/glyphs.yaml", "formkit/data/learn.yaml", "formkit/data/report.html",
            "formkit/py.typed"} <= names
    with tarfile.open(sdist) as tf:
        members = {m.name.split("/", 1)[1] for m in tf.getmembers() if "/" in m.name}
    assert {f"forms/{s}" for s in shipped} <= members


def test_the_wheel_works_outside_the_checkout(dist: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    (wheel,) = dist.glob("*.whl")
    _run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)], tmp_path)
    formkit = [str(env_dir / "bin" / "formkit")]
    work = tmp_path / "work"
    work.mkdir()
    listed = [line.split("\t") for line in _run([*formkit, "forms"], work).splitlines() if "\t" in line]
    assert [row[0] for row in listed] == ["esao-1-2", "esao-3-1"]
    assert all("site-packages/formkit/_forms/" in row[3] for row in listed)

    record = ROOT / "samples" / "esao-3-1" / "record-1.json"
    shutil.copytree(ROOT / "samples" / "esao-3-1" / "photos", work / "photos")
    shutil.copy(record, work / "record.json")
    _run([*formkit, "fill", "esao-3-1", "record.json", "-o", "filled.docx"], work)
    _run([*formkit, "parse", "filled.docx", "-o", "parsed.json"], work)
    parsed = json.loads((work / "parsed.json").read_text("utf-8"))
    assert parsed["form"] == "esao-3-1" and parsed["error"] is None
    assert parsed["record"]["works"][0]["title"] == json.loads(record.read_text("utf-8"))["works"][0]["title"]

    office = tmp_path / "office-forms"
    shutil.copytree(ROOT / "samples" / "learn" / "esao-1-3", office / "esao-1-3")
    learned = office / "our-own"
    _run([*formkit, "learn", str(ROOT / "forms" / "esao-1-2" / "original.docx"), "--id", "our-own",
          "-o", str(learned)], work)
    env = {"FORMKIT_FORMS": str(office)}
    ids = [line.split("\t")[0] for line in _run([*formkit, "forms"], work, env).splitlines() if "\t" in line]
    assert ids == ["esao-1-2", "esao-1-3", "esao-3-1", "our-own"]
    _run([*formkit, "fill", "esao-1-3", str(ROOT / "samples" / "learn" / "esao-1-3" / "records" / "full.json"),
          "-o", "ours.docx"], work, env)
    assert '"form": "esao-1-3"' in _run([*formkit, "parse", "ours.docx"], work, env)
    assert "our-own: every anchor found" in _run([*formkit, "check", "our-own"], work, env)


def test_pipx_install_of_the_source(source: Path, tmp_path: Path) -> None:
    """``pipx install .``: pipx builds the source in an isolated environment of
    its own and puts the console script on its bin folder; from any folder,
    ``formkit forms`` finds the shipped forms and the main job runs."""
    home = {"PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin"),
            "PIPX_MAN_DIR": str(tmp_path / "man")}
    _run([sys.executable, "-m", "pipx", "install", str(source)], tmp_path, home)
    formkit = [str(tmp_path / "bin" / "formkit")]
    work = tmp_path / "work"
    work.mkdir()
    listed = [line.split("\t") for line in _run([*formkit, "forms"], work).splitlines() if "\t" in line]
    assert [row[0] for row in listed] == ["esao-1-2", "esao-3-1"]
    assert all(str(tmp_path / "pipx") in row[3] for row in listed)
    record = ROOT / "samples" / "esao-1-2" / "record-1.json"
    _run([*formkit, "fill", "esao-1-2", str(record), "-o", "filled.docx"], work)
    _run([*formkit, "parse", "filled.docx", "-o", "parsed.json"], work)
    parsed = json.loads((work / "parsed.json").read_text("utf-8"))
    assert parsed["form"] == "esao-1-2" and parsed["error"] is None
