"""Coverage: what share of the national items a local document carries out, and what it adds."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .align import Alignment, Grade


@dataclass(frozen=True)
class Coverage:
    total: int
    full: tuple[int, ...]
    partial: tuple[int, ...]
    uncovered: tuple[int, ...]
    local_only: tuple[int, ...]
    by_topic: dict[str, tuple[int, float]]  # topic -> (national items, ratio)

    @property
    def ratio(self) -> float:
        """(full + 0.5 x partial) / total, as DESIGN.md defines it."""
        return (len(self.full) + 0.5 * len(self.partial)) / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, object]:
        return {"total": self.total, "full": list(self.full), "partial": list(self.partial),
                "uncovered": list(self.uncovered), "ratio": round(self.ratio, 4)}


def whole_percent(ratio: float) -> int:
    """A ratio as a whole percentage, halves up (as the report's JavaScript rounds): 0.125 -> 13, 2/3 -> 67.
    (The epsilon keeps 0.145 * 100 = 14.499999999999998 from rounding down.)"""
    return math.floor(ratio * 100 + 0.5 + 1e-9)


def percent(ratio: float) -> str:
    """Coverage as every output prints it, `67%`; `yigai check` gates on this printed value."""
    return f"{whole_percent(ratio)}%"


def _ratio(full: int, partial: int, total: int) -> float:
    return (full + 0.5 * partial) / total


def coverage(alignment: Alignment) -> Coverage:
    """Grades per national item (its best pair's), local-only items and per-topic coverage."""
    grades = alignment.grades
    paired_local = {p.local for p in alignment.pairs}
    full: list[int] = []
    partial: list[int] = []
    uncovered: list[int] = []
    # per topic, [items, full, partial]: counted in the one pass over the grades (a matrix asks this of every
    # column: a list of grades per topic and a count over each took twice as long), the grades compared as plain
    # names (Grade.FULL is looked up through the enum's class, and hashing one is a call)
    topics: dict[str, list[int]] = {}
    topic_of = alignment.topics
    is_full, is_partial = Grade.FULL, Grade.PARTIAL
    for index, grade in grades.items():
        counts = topics.get(topic := topic_of.get(index) or "其他")
        if counts is None:
            counts = topics[topic] = [0, 0, 0]
        counts[0] += 1
        if grade is is_full:
            full.append(index)
            counts[1] += 1
        elif grade is is_partial:
            partial.append(index)
            counts[2] += 1
        else:
            uncovered.append(index)
    return Coverage(
        total=len(grades),
        full=tuple(full),
        partial=tuple(partial),
        uncovered=tuple(uncovered),
        local_only=tuple(i.index for i in alignment.local.items if i.index not in paired_local),
        by_topic={t: (n, _ratio(n_full, n_partial, n)) for t, (n, n_full, n_partial) in topics.items()},
    )
