"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import dataclasses
import gc
import statistics
import time
from collections.abc import Callable


@dataclasses.dataclass
class Result:
    name: str
    ours_s: float
    floor_s: float
    goal: float
    runs: int
    note: str = ""
    absolute: bool = False  # the goal is a limit on ``ours_s`` in seconds, not on the ratio

    @property
    def ratio(self) -> float:
        return self.ours_s / self.floor_s if self.floor_s > 0 else float("inf")

    @property
    def met(self) -> bool:
        return self.ours_s <= self.goal if self.absolute else self.ratio <= self.goal

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "ours_s": round(self.ours_s, 4),
            "floor_s": round(self.floor_s, 4),
            "ratio": round(self.ratio, 3),
            "goal": self.goal,
            "goal_is_seconds": self.absolute,
            "met": self.met,
            "runs": self.runs,
            "note": self.note,
        }


def median_time(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None) -> float:
    """Median wall time of ``fn`` over ``runs`` runs; ``setup`` runs untimed before each."""
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(
    name: str,
    ours: Callable[[], object],
    floor: Callable[[], object],
    *,
    goal: float,
    runs: int,
    setup: Callable[[], object] | None = None,
    note: str = "",
) -> Result:
    """Interleave our runs and the floor's so that machine load hits both alike."""
    ours_times, floor_times = [], []
    for _ in range(runs):
        floor_times.append(median_time(floor, 1, setup))
        ours_times.append(median_time(ours, 1, setup))
    return Result(name, statistics.median(ours_times), statistics.median(floor_times), goal, runs, note)
