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
from .decisions import Applied, Decisions, DecisionWarning, apply_decisions, decision_of, rejected_of
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
    decision: Applied | None = None  # the analyst's decision on this link (--decisions), None for yigai's own


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
    warnings: tuple[DecisionWarning, ...] = ()  # decisions entries that could not be applied as written
    rejected: tuple[Link, ...] = ()  # the links the analyst rejected, with their decisions

    def of_old(self, index: int) -> ItemChange:
        return self.old_items[index - 1]

    def of_new(self, index: int) -> ItemChange:
        return self.new_items[index - 1]


def reads_as_prose(document: Document) -> bool:
    """Whether a document reads as a summary (a news paragraph: sentences with no printed number) rather than
    a numbered list: most of its items have no label."""
    labelled = sum(1 for item in document.items if item.label)
    return bool(document.items) and labelled * 2 < len(document.items)


def summary_against_list(old: Document, new: Document) -> str | None:
    """A warning when one side is a summary and the other a numbered list: a summary names some tasks in
    passing, so what it leaves out shows as dropped (or new) without being so."""
    prose = [d for d in (old, new) if reads_as_prose(d)]
    if len(prose) != 1:
        return None
    summary, listed = (old, new) if prose[0] is old else (new, old)
    kind = "dropped" if summary is new else "new"
    return (f"{summary.ref} reads as a summary ({len(summary.items)} sentences, not numbered tasks) and {listed.ref} "
            f"as a numbered list: a task the summary does not mention shows as {kind}, which it need not be")


def _links(old: Document, new: Document, vocabulary: Vocabulary, decisions: tuple[Decisions, ...] = ()
           ) -> tuple[tuple[Link, ...], tuple[DecisionWarning, ...], tuple[Link, ...]]:
    """The pairs of both alignments, old x new, each with its better grade and score; then the analyst's
    decisions, written with the old list as the reference (`compare OLD NEW --format decisions` starts the
    file): a link they decided on is theirs alone (the other direction's pair does not override it), and a
    rejected one is gone both ways."""
    best: dict[tuple[int, int], Link] = {}

    def keep(pair: Pair, key: tuple[int, int], old_sentence: str, new_sentence: str) -> None:
        held = best.get(key)
        rank = (pair.grade is Grade.FULL, pair.score)
        if held is None or rank > (held.grade is Grade.FULL, held.score):
            best[key] = Link(key[0], key[1], pair.grade, pair.score, old_sentence, new_sentence, decision_of(pair))

    forward = align(old, new, vocabulary)
    warnings: tuple[DecisionWarning, ...] = ()
    decided: set[tuple[int, int]] = set()
    if decisions:
        forward, warnings = apply_decisions(forward, decisions)
        decided = {(p.national, p.local) for p in (*forward.pairs, *rejected_of(forward)) if decision_of(p)}
    for pair in forward.pairs:
        keep(pair, (pair.national, pair.local), pair.national_sentence, pair.local_sentence)
    for pair in align(new, old, vocabulary).pairs:
        if (pair.local, pair.national) not in decided:
            keep(pair, (pair.local, pair.national), pair.local_sentence, pair.national_sentence)
    rejected = tuple(Link(p.national, p.local, p.grade, p.score, p.national_sentence, p.local_sentence, decision_of(p))
                     for p in rejected_of(forward))
    return tuple(sorted(best.values(), key=lambda link: (link.old, link.new))), warnings, rejected


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


def _rank(link: Link) -> tuple[bool, bool, float]:
    # at one grade, a link the analyst confirmed or added comes before yigai's own (an added one has no score)
    return (link.grade is Grade.FULL, link.decision is not None, link.score)


def diff(old: Document, new: Document, vocabulary: Vocabulary, departments: Departments,
         decisions: tuple[Decisions, ...] = ()) -> Diff:
    """Every item of `old` and of `new` with its change kind (after the analyst's `decisions`, if any).

    Each item is read through its best link (a full one before a partial one, then by score): an old task
    whose best counterpart is also the best counterpart of other old tasks was merged into it; an old task
    that is the best source of several new items was split; one best link each way is a task kept.
    """
    links, warnings, rejected = _links(old, new, vocabulary, decisions)
    best_of_old: dict[int, Link] = {}
    best_of_new: dict[int, Link] = {}
    for link in links:
        if link.old not in best_of_old or _rank(link) > _rank(best_of_old[link.old]):
            best_of_old[link.old] = link
        if link.new not in best_of_new or _rank(link) > _rank(best_of_new[link.new]):
            best_of_new[link.new] = link
    # new item -> the old tasks whose best counterpart it is; old item -> the new items it is the best source of
    sources: dict[int, list[int]] = {}
    for o, link in best_of_old.items():
        sources.setdefault(link.new, []).append(o)
    offspring: dict[int, list[int]] = {}
    for n, link in best_of_new.items():
        if all(o == link.old for o in sources.get(n, [])):  # a new item another old task calls its own is not offspring
            offspring.setdefault(link.old, []).append(n)

    strengths: dict[tuple[int, int], PairStrength] = {}
    old_changes = []
    for item in old.items:
        best = best_of_old.get(item.index)
        children = sorted(offspring.get(item.index, []))
        if best is None:
            old_changes.append(ItemChange("old", item.index, Change.DROPPED, ()))
        elif len(children) >= 2 and any(best_of_new[n].grade is Grade.FULL for n in children):
            old_changes.append(ItemChange("old", item.index, Change.SPLIT, tuple(children)))
        elif len(sources[best.new]) >= 2 or best.grade is not Grade.FULL:
            old_changes.append(ItemChange("old", item.index, Change.MERGED, (best.new,)))
        else:
            pair = Pair(item.index, best.new, best.grade, best.score, ())
            strength = strengths[(item.index, best.new)] = pair_strength(old, new, pair, departments)
            direction, details = _moves(strength)
            kind = {1: Change.STRENGTHENED, -1: Change.WEAKENED}.get(direction, Change.KEPT)
            old_changes.append(ItemChange("old", item.index, kind, (best.new,),
                                          _reworded(item.text, new.item(best.new).text), tuple(details)))

    by_old = {c.index: c for c in old_changes}
    new_changes = []
    for item in new.items:
        best = best_of_new.get(item.index)
        from_old = sorted(sources.get(item.index, []))
        if best is None:
            new_changes.append(ItemChange("new", item.index, Change.NEW, ()))
        elif len(from_old) >= 2:
            new_changes.append(ItemChange("new", item.index, Change.MERGED, tuple(from_old)))
        elif by_old[best.old].change is Change.SPLIT and item.index in by_old[best.old].counterparts:
            new_changes.append(ItemChange("new", item.index, Change.SPLIT, (best.old,)))
        elif from_old:
            source = by_old[from_old[0]]
            kind = Change.MERGED if source.change is Change.SPLIT else source.change  # one part of a split task
            new_changes.append(ItemChange("new", item.index, kind, tuple(from_old), source.reworded, source.details))
        else:  # it shares a measure with an old task that lives on elsewhere: as a task of its own, it is new
            new_changes.append(ItemChange("new", item.index, Change.NEW, ()))
    return Diff(old, new, links, tuple(old_changes), tuple(new_changes), strengths, warnings, rejected)
