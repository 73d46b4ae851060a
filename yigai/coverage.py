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
    by_grade: dict[Grade, list[int]] = {Grade.FULL: [], Grade.PARTIAL: [], Grade.NONE: []}
    # per topic, [items, full, partial]: counted in the one pass over the grades (a matrix asks this of every
    # column; a list of grades per topic and a count over each cost a tenth of aligning a short document)
    topics: dict[str, list[int]] = {}
    topic_of = alignment.topics
    for index, grade in grades.items():
        by_grade[grade].append(index)
        counts = topics.get(topic := topic_of.get(index) or "其他")
        if counts is None:
            counts = topics[topic] = [0, 0, 0]
        counts[0] += 1
        if grade is not Grade.NONE:
            counts[1 if grade is Grade.FULL else 2] += 1
    return Coverage(
        total=len(grades),
        full=tuple(by_grade[Grade.FULL]),
        partial=tuple(by_grade[Grade.PARTIAL]),
        uncovered=tuple(by_grade[Grade.NONE]),
        local_only=tuple(i.index for i in alignment.local.items if i.index not in paired_local),
        by_topic={t: (n, _ratio(full, partial, n)) for t, (n, full, partial) in topics.items()},
    )
