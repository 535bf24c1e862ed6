"""Timing in rounds: every task of a group warmed up, then timed in turn.

A group is the tasks whose ratios are reported together (formkit and its
baselines over the same inputs). All run in this one process, interleaved
round by round, the order reversed every other round, so a slow spell of the
machine hits every task of the group; ``gc.collect()`` before each run.
The figures kept per round are the batch's wall time and its CPU time (user +
system of this process and of the child processes it reaped during the batch,
e.g. ``--jobs`` workers), each divided by its documents; the reported figures
are the medians over rounds. On a shared machine CPU time is the steadier of
the two (it does not count waiting for a core), but it leaves out waiting for
the disk (fsync) and says nothing about parallel speed-up.
"""
from __future__ import annotations

import gc
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


class Task(Protocol):
    """Anything that processes its whole batch (or a warm-up slice) once."""

    def run(self, warm: bool = False) -> None: ...


@dataclass(slots=True)
class Timings:
    """Seconds per document, one figure per round, for each task of a group."""

    n: int
    per_doc: dict[str, list[float]] = field(default_factory=dict)
    cpu_per_doc: dict[str, list[float]] = field(default_factory=dict)

    def ms(self, key: str) -> float:
        """Median wall-clock milliseconds per document."""
        return statistics.median(self.per_doc[key]) * 1000

    def cpu_ms(self, key: str) -> float:
        """Median CPU milliseconds per document."""
        return statistics.median(self.cpu_per_doc[key]) * 1000


def cpu_seconds() -> float:
    """User + system time of this process (process_time: a fine clock, not
    os.times()'s 10 ms ticks) and of its reaped children (getrusage, µs)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def time_group(tasks: dict[str, Task], n: int, rounds: int, log: Callable[[str], None] = lambda _: None) -> Timings:
    """Warm every task up, then time ``rounds`` interleaved batches of ``n`` documents."""
    for key, task in tasks.items():
        log(f"warm-up {key}")
        task.run(warm=True)
    out = Timings(n, {key: [] for key in tasks}, {key: [] for key in tasks})
    order = list(tasks)
    for r in range(rounds):
        for key in order if r % 2 == 0 else reversed(order):
            gc.collect()
            cpu, start = cpu_seconds(), time.perf_counter()
            tasks[key].run()
            elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            out.per_doc[key].append(elapsed / n)
            out.cpu_per_doc[key].append(cpu / n)
            log(f"round {r + 1}/{rounds} {key}: {elapsed / n * 1000:.2f} ms/doc")
    return out
