"""What changed between two lists of one jurisdiction (last year's and this year's, or a draft and its redraft).

The alignment engine is run both ways (old as the reference, then new as the reference) and the two sets of
pairs are pooled, so neither list is privileged. Then every item of each side gets one change kind:

- `kept`: one counterpart carries the same task (reworded or not);
- `strengthened` / `weakened`: kept, with a target raised or lowered, or a deadline moved earlier or later;
- `merged`: the task now shares a new item with other old tasks (or survives as one measure of a new item);
- `split`: one old task became several new items;
- `dropped`: an old task with no counterpart; `new`: a new task with no counterpart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from .align import Grade, Pair, align
from .model import Document
from .promises import Departments
from .strength import DeadlineVerdict, PairStrength, TargetVerdict, pair_strength
from .vocab import Vocabulary


class Change(str, Enum):
    KEPT = "kept"
    STRENGTHENED = "strengthened"
    WEAKENED = "weakened"
    MERGED = "merged"
    SPLIT = "split"
    DROPPED = "dropped"
    NEW = "new"


@dataclass(frozen=True)
class Link:
    """An old item and a new item that carry the same task (full) or share one measure (partial)."""

    old: int
    new: int
    grade: Grade
    score: float
    old_sentence: str
    new_sentence: str


@dataclass(frozen=True)
class ItemChange:
    """What became of one item: its kind, its counterparts on the other side, and what moved."""

    side: str  # "old" or "new"
    index: int
    change: Change
    counterparts: tuple[int, ...]
    reworded: bool = False
    details: tuple[str, ...] = ()  # 超过500个 → 超过600个 (stricter); deadline 2023年底前 → 2024年6月底前 (later)

    def as_dict(self) -> dict[str, object]:
        return {"side": self.side, "index": self.index, "change": self.change.value,
                "counterparts": list(self.counterparts), "reworded": self.reworded, "details": list(self.details)}


@dataclass(frozen=True)
class Diff:
    old: Document
    new: Document
    links: tuple[Link, ...]
    old_items: tuple[ItemChange, ...]
    new_items: tuple[ItemChange, ...]
    strengths: dict[tuple[int, int], PairStrength] = field(default_factory=dict)

    def count(self, change: Change) -> int:
        return sum(c.change is change for c in self.old_items) + sum(
            c.change is change for c in self.new_items if change in (Change.NEW,))

    def of_old(self, index: int) -> ItemChange:
        return self.old_items[index - 1]

    def of_new(self, index: int) -> ItemChange:
        return self.new_items[index - 1]


def _links(old: Document, new: Document, vocabulary: Vocabulary) -> tuple[Link, ...]:
    """The pairs of both alignments, old x new, each with its better grade and score."""
    best: dict[tuple[int, int], Link] = {}

    def keep(pair: Pair, key: tuple[int, int], old_sentence: str, new_sentence: str) -> None:
        held = best.get(key)
        rank = (pair.grade is Grade.FULL, pair.score)
        if held is None or rank > (held.grade is Grade.FULL, held.score):
            best[key] = Link(key[0], key[1], pair.grade, pair.score, old_sentence, new_sentence)

    for pair in align(old, new, vocabulary).pairs:
        keep(pair, (pair.national, pair.local), pair.national_sentence, pair.local_sentence)
    for pair in align(new, old, vocabulary).pairs:
        keep(pair, (pair.local, pair.national), pair.local_sentence, pair.national_sentence)
    return tuple(sorted(best.values(), key=lambda link: (link.old, link.new)))


_NOISE = re.compile(r"[\s\W]+")


def _reworded(a: str, b: str) -> bool:
    return _NOISE.sub("", a) != _NOISE.sub("", b)


def _moves(strength: PairStrength) -> tuple[int, list[str]]:
    """+1 stricter, -1 looser, 0 neither or both; and what moved, as an analyst would write it."""
    up, down, details = 0, 0, []
    for t in strength.targets:
        if t.local is None or t.verdict not in (TargetVerdict.STRICTER, TargetVerdict.LOOSER):
            continue
        details.append(f"{t.national.text} → {t.local.text} ({t.verdict.value})")
        up += t.verdict is TargetVerdict.STRICTER
        down += t.verdict is TargetVerdict.LOOSER
    d = strength.deadline
    # 年底前 last year and 年底前 this year are the same promise, each of its own year
    if d.verdict in (DeadlineVerdict.EARLIER, DeadlineVerdict.LATER) and d.national != d.local:
        details.append(f"deadline {d.national} → {d.local} ({d.verdict.value})")
        up += d.verdict is DeadlineVerdict.EARLIER
        down += d.verdict is DeadlineVerdict.LATER
    return (up > 0) - (down > 0) if up != down else 0, details


def diff(old: Document, new: Document, vocabulary: Vocabulary, departments: Departments) -> Diff:
    """Every item of `old` and of `new` with its change kind."""
    links = _links(old, new, vocabulary)
    full_of_old: dict[int, list[int]] = {}
    full_of_new: dict[int, list[int]] = {}
    partial_of_old: dict[int, list[int]] = {}
    partial_of_new: dict[int, list[int]] = {}
    for link in links:
        if link.grade is Grade.FULL:
            full_of_old.setdefault(link.old, []).append(link.new)
            full_of_new.setdefault(link.new, []).append(link.old)
        else:
            partial_of_old.setdefault(link.old, []).append(link.new)
            partial_of_new.setdefault(link.new, []).append(link.old)

    strengths: dict[tuple[int, int], PairStrength] = {}
    old_changes = []
    for item in old.items:
        fulls = full_of_old.get(item.index, [])
        partials = partial_of_old.get(item.index, [])
        if len(fulls) >= 2:
            old_changes.append(ItemChange("old", item.index, Change.SPLIT, tuple(fulls)))
        elif fulls and len(full_of_new.get(fulls[0], [])) >= 2:
            old_changes.append(ItemChange("old", item.index, Change.MERGED, tuple(fulls)))
        elif fulls:
            counterpart = new.item(fulls[0])
            link = next(k for k in links if (k.old, k.new) == (item.index, fulls[0]))
            pair = Pair(item.index, fulls[0], link.grade, link.score, ())
            strength = strengths[(item.index, fulls[0])] = pair_strength(old, new, pair, departments)
            direction, details = _moves(strength)
            kind = {1: Change.STRENGTHENED, -1: Change.WEAKENED}.get(direction, Change.KEPT)
            old_changes.append(ItemChange("old", item.index, kind, tuple(fulls),
                                          _reworded(item.text, counterpart.text), tuple(details)))
        elif partials:
            old_changes.append(ItemChange("old", item.index, Change.MERGED, tuple(partials)))
        else:
            old_changes.append(ItemChange("old", item.index, Change.DROPPED, ()))

    by_old = {c.index: c for c in old_changes}
    new_changes = []
    for item in new.items:
        fulls = full_of_new.get(item.index, [])
        sources = sorted(set(fulls) | {o for o in partial_of_new.get(item.index, []) if by_old[o].change is Change.MERGED})
        if len(fulls) >= 2 or (len(sources) >= 2 and any(by_old[o].change is Change.MERGED for o in sources)):
            new_changes.append(ItemChange("new", item.index, Change.MERGED, tuple(sources)))
        elif len(fulls) == 1 and by_old[fulls[0]].change is Change.SPLIT:
            new_changes.append(ItemChange("new", item.index, Change.SPLIT, tuple(fulls)))
        elif len(fulls) == 1:
            source = by_old[fulls[0]]
            new_changes.append(ItemChange("new", item.index, source.change, tuple(fulls), source.reworded, source.details))
        elif sources:
            new_changes.append(ItemChange("new", item.index, Change.MERGED, tuple(sources)))
        else:
            new_changes.append(ItemChange("new", item.index, Change.NEW, ()))
    return Diff(old, new, links, tuple(old_changes), tuple(new_changes), strengths)
