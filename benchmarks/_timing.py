"""Timing in rounds: every task of a group warmed up, then timed in turn.

A group is the tasks whose ratios are reported together (formkit and its
baselines over the same inputs). All run in this one process, interleaved
round by round, the order reversed every other round, so a slow spell of the
machine hits every task of the group; ``gc.collect()`` before each run.
The figure kept per round is the batch's wall time divided by its documents;
the reported figure is the median over rounds.
"""
from __future__ import annotations

import gc
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

    def ms(self, key: str) -> float:
        """Median milliseconds per document."""
        return statistics.median(self.per_doc[key]) * 1000


def time_group(tasks: dict[str, Task], n: int, rounds: int, log: Callable[[str], None] = lambda _: None) -> Timings:
    """Warm every task up, then time ``rounds`` interleaved batches of ``n`` documents."""
    for key, task in tasks.items():
        log(f"warm-up {key}")
        task.run(warm=True)
    out = Timings(n, {key: [] for key in tasks})
    order = list(tasks)
    for r in range(rounds):
        for key in order if r % 2 == 0 else reversed(order):
            gc.collect()
            start = time.perf_counter()
            tasks[key].run()
            elapsed = time.perf_counter() - start
            out.per_doc[key].append(elapsed / n)
            log(f"round {r + 1}/{rounds} {key}: {elapsed / n * 1000:.2f} ms/doc")
    return out
