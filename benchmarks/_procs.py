"""Whole-process measurements: CLI start-up and peak memory.

Each command runs under ``_rss.py`` (a separate interpreter that times its
child and reads ``RUSAGE_CHILDREN``), with ``PYTHONPATH`` set to the formkit
being benchmarked and the work folder as its current directory.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

RSS = Path(__file__).resolve().with_name("_rss.py")


@dataclass(slots=True)
class Run:
    """One timed process: wall and CPU seconds, peak RSS in MiB."""

    wall_s: float
    cpu_s: float
    rss_mb: float


def child_env(formkit_root: Path, pycache: Path) -> dict[str, str]:
    """The environment for measured commands: this formkit first on the path,
    and bytecode cached in ``pycache`` (PYTHONDONTWRITEBYTECODE dropped), so
    the untimed warm-up runs compile every module once and the timed runs
    start as they would after a normal install, whatever this shell sets."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(formkit_root)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    for name in ("PYTHONSTARTUP", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run ``cmd`` once under the RSS wrapper; fail loudly if it failed."""
    out = subprocess.run([sys.executable, str(RSS), "--", *cmd], cwd=cwd, env=env,
                         capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    if data["returncode"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {data['returncode']}: {data['stderr']}")
    return Run(data["wall_s"], data["cpu_s"], data["maxrss_kb"] / 1024)


def console_script() -> Path | None:
    """The ``formkit`` console script beside this interpreter (not a pyenv
    shim, whose own start-up would be measured), else on PATH."""
    beside = Path(sys.executable).with_name("formkit")
    if beside.exists():
        return beside
    found = shutil.which("formkit")
    return Path(found) if found else None


@dataclass(slots=True)
class StartupResult:
    """Medians over interleaved runs, per command label."""

    runs: dict[str, list[Run]] = field(default_factory=dict)

    def median_ms(self, label: str) -> float:
        return statistics.median(r.wall_s for r in self.runs[label]) * 1000

    def median_cpu_ms(self, label: str) -> float:
        return statistics.median(r.cpu_s for r in self.runs[label]) * 1000

    def median_rss(self, label: str) -> float:
        return statistics.median(r.rss_mb for r in self.runs[label])


def startup(commands: dict[str, list[str]], cwd: Path, env: dict[str, str], runs: int, warmup: int = 2) -> StartupResult:
    """Run every command ``warmup`` times untimed, then ``runs`` times each,
    interleaved (a, b, c, a, b, c ...) so drifts in the machine hit all alike."""
    for _ in range(warmup):
        for cmd in commands.values():
            measure(cmd, cwd, env)
    result = StartupResult({label: [] for label in commands})
    for _ in range(runs):
        for label, cmd in commands.items():
            result.runs[label].append(measure(cmd, cwd, env))
    return result


def link_corpus(sources: list[Path], folder: Path, count: int) -> Path:
    """``count`` hard links (copies where linking fails) cycling over ``sources``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        src = sources[i % len(sources)]
        target = folder / f"doc-{i:06d}.docx"
        try:
            os.link(src, target)
        except OSError:
            shutil.copyfile(src, target)
    return folder
