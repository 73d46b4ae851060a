"""CI gates on a compare result: minimum coverage, required topics or instruments, maximum gaps."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .align import Alignment, Grade
from .coverage import Coverage, percent, whole_percent
from .errors import InputError
from .vocab import Vocabulary


@dataclass(frozen=True)
class Gates:
    min_coverage: float | None = None
    require: tuple[str, ...] = ()  # covered fully or partly
    max_uncovered: int | None = None
    require_full: tuple[str, ...] = ()  # covered fully: a partial counterpart is not enough

    @property
    def given(self) -> bool:
        return self.min_coverage is not None or self.max_uncovered is not None or bool(self.require or self.require_full)


@dataclass(frozen=True)
class GateResult:
    """One gate's outcome, as a CI tool shows it: `coverage 69% < 80% (--min-coverage 0.8)`."""

    gate: str  # the option as given: `--min-coverage 0.8`, `--require 集采`
    passed: bool
    detail: str  # the measured value against the threshold, in one line
    items: tuple[int, ...] = ()  # national items the gate needs and the local document lacks
    value: float | None = None  # the measured value (coverage ratio, uncovered count), exact


@dataclass(frozen=True)
class Verdict:
    passed: bool
    failures: tuple[str, ...]
    required: dict[str, tuple[int, ...]]  # term -> national items it names
    missing: tuple[int, ...]  # national items a gate needs and the local document lacks
    gates: tuple[GateResult, ...] = ()


_RATIO = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*")


def parse_ratio(text: str, option: str = "--min-coverage") -> float:
    """`0.8` or `80%` -> 0.8; anything else is an InputError naming the option."""
    m = _RATIO.fullmatch(text)
    if m is None:
        raise InputError(option, f"'{text}' is not a ratio", "write 0.8 or 80%")
    value = float(m[1]) / (100 if m[2] else 1)
    if value > 1:
        raise InputError(option, f"'{text}' is more than 100%", "write 0.8 or 80%")
    return value


def threshold_text(threshold: float) -> str:
    """A --min-coverage threshold as a percentage, to the digits given: 0.8 -> `80%`, 0.655 -> `65.5%`."""
    return f"{round(threshold * 100, 6):g}%"


def required_items(term: str, alignment: Alignment, vocabulary: Vocabulary, option: str = "--require") -> tuple[int, ...]:
    """National items about `term` (a topic, an instrument, or an alias of one)."""
    instruments = vocabulary.resolve(term)
    if not instruments:
        close = vocabulary.suggest(term)
        hint = f"did you mean {' / '.join(close)}?" if close else "run `yigai vocab` for the list, or pass --vocab"
        raise InputError(option, f"'{term}' is neither a topic nor an instrument of the vocabulary", hint)
    items = []
    health = vocabulary.on_health(alignment.national.title)  # (as alignment reads the list: see Vocabulary.on_health)
    for item in alignment.national.items:
        named = vocabulary.find(item.title + "。" + item.measures, "", health)
        if named & instruments or alignment.topics.get(item.index) == term:
            items.append(item.index)
    return tuple(items)


def _listing(items: tuple[int, ...] | list[int]) -> str:
    return ", ".join(map(str, items))


def judge(alignment: Alignment, cover: Coverage, gates: Gates, vocabulary: Vocabulary) -> Verdict:
    """Every gate's result; the verdict passes when all of them do (and when none is given)."""
    results: list[GateResult] = []
    if gates.min_coverage is not None:
        threshold = gates.min_coverage
        # the coverage compare, matrix and the report print (a whole percentage) is the one gated: a draft
        # shown at 67% passes --min-coverage 67%
        ok = whole_percent(cover.ratio) >= round(threshold * 100, 6)
        detail = (f"coverage {percent(cover.ratio)} {'>=' if ok else '<'} {threshold_text(threshold)} "
                  f"(--min-coverage {threshold:g})")
        results.append(GateResult(f"--min-coverage {threshold:g}", ok, detail, () if ok else cover.uncovered, cover.ratio))
    if gates.max_uncovered is not None:
        count, most = len(cover.uncovered), gates.max_uncovered
        ok = count <= most
        detail = f"uncovered {count} {'<=' if ok else '>'} {most} (--max-uncovered {most})"
        results.append(GateResult(f"--max-uncovered {most}", ok, detail, () if ok else cover.uncovered, float(count)))
    required: dict[str, tuple[int, ...]] = {}
    for option, terms, enough in (("--require", gates.require, (Grade.FULL, Grade.PARTIAL)),
                                  ("--require-full", gates.require_full, (Grade.FULL,))):
        for term in terms:
            items = required_items(term, alignment, vocabulary, option)
            required[term] = items
            gate = f"{option} {term}"
            if not items:
                results.append(GateResult(gate, False, f"{gate}: no national item is about it, so nothing can cover it"))
                continue
            lacking = tuple(i for i in items if alignment.grade_of(i) not in enough)
            what = "fully covered" if option == "--require-full" else "covered"
            if lacking:
                detail = f"{gate}: {len(items) - len(lacking)} of {len(items)} national items {what}; lacking {_listing(lacking)}"
            else:
                detail = f"{gate}: {len(items)} of {len(items)} national items {what} ({_listing(items)})"
            results.append(GateResult(gate, not lacking, detail, lacking, float(len(items) - len(lacking))))
    if not alignment.reads_as_tasks:  # whatever the gates: coverage of a notice or a news story means nothing
        reason = alignment.tasks.reason() if alignment.tasks else ""
        results.append(GateResult("task list", False, f"does not read as a reform task list: {reason}"))
    failures = tuple(r.detail for r in results if not r.passed)
    missing = tuple(sorted({i for r in results for i in r.items}))
    return Verdict(not failures, failures, required, missing, tuple(results))
