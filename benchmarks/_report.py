"""The report: environment header, the results table and the issue's targets."""
from __future__ import annotations

import datetime as _dt
import importlib.metadata
import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = ("lxml", "docxtpl", "python-docx", "docx2python", "Jinja2", "click")


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _git(root: Path) -> str:
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "formkit"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return f"{head}{' + uncommitted changes in formkit/' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"


def environment(argv: list[str], formkit_root: Path, workdir: Path) -> list[str]:
    """Lines describing the run: command, date, machine, versions."""
    from lxml import etree

    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    libxml = ".".join(map(str, etree.LIBXML_VERSION))
    versions = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    return [
        f"- command: `{' '.join(['python', *argv])}`",
        f"- date: {_dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- machine: {nproc} CPU(s) ({_cpu_model()}), {_ram()} RAM, {platform.platform()}",
        f"- Python {platform.python_version()} ({sys.executable})",
        f"- {versions}; libxml2 {libxml}",
        f"- formkit from {formkit_root} at {_git(formkit_root)}",
        f"- work folder: {workdir}; load average at start: {load()}",
    ]


def load() -> str:
    """The 1, 5 and 15 minute load averages (other work on the machine skews timings)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


@dataclass(slots=True)
class Row:
    """One line of the results table."""

    section: str
    task: str
    form: str = ""
    n: int | None = None
    ms: float | None = None
    ratios: list[str] = field(default_factory=list)
    rss_mb: float | None = None
    skipped: str = ""
    cpu_ms: float | None = None

    def cells(self) -> list[str]:
        docs_s = f"{1000 / self.ms:,.1f}" if self.ms else "—"
        ms = f"{self.ms:.2f}" if self.ms is not None else "—"
        cpu = f"{self.cpu_ms:.2f}" if self.cpu_ms is not None else "—"
        ratio = "; ".join(self.ratios) if not self.skipped else f"skipped: {self.skipped}"
        return [self.section, self.task, self.form or "—", f"{self.n:,}" if self.n else "—", ms, docs_s, cpu,
                ratio or "—", f"{self.rss_mb:.1f}" if self.rss_mb is not None else "—"]


HEADER = ["section", "task", "form", "N", "ms/doc (median)", "docs/s", "CPU ms/doc", "time ratio (÷ baseline, same run)",
          "peak RSS MiB"]


def table(rows: list[Row]) -> list[str]:
    """The rows as a Markdown table."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return lines


@dataclass(slots=True)
class Target:
    """One of the issue's targets, as measured."""

    name: str
    measured: float | None
    limit: float
    higher_is_better: bool
    unit: str = "×"
    why_missing: str = ""
    cpu: float | None = None

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        return self.measured >= self.limit if self.higher_is_better else self.measured <= self.limit

    def cells(self) -> list[str]:
        if self.measured is None:
            return [self.name, "—", self._limit(), f"not measured: {self.why_missing}"]
        value = f"{self.measured:.2f}{self.unit}" + (f" (CPU time: {self.cpu:.2f}{self.unit})" if self.cpu else "")
        if self.met:
            room = self.measured / self.limit if self.higher_is_better else self.limit / self.measured
            verdict = f"**met** ({room:.2f}× margin)"
        else:
            gap = self.limit / self.measured if self.higher_is_better else self.measured / self.limit
            verdict = f"**NOT met**: off by {gap:.2f}× ({(gap - 1) * 100:.0f}%)"
        return [self.name, value, self._limit(), verdict]

    def _limit(self) -> str:
        return f"{'≥' if self.higher_is_better else '≤'} {self.limit:g}{self.unit}"


def targets_table(targets: list[Target]) -> list[str]:
    head = ["target", "measured", "limit", "verdict"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(t.cells()) + " |" for t in targets]
    return lines
