"""CI gates on a compare result: minimum coverage, required instruments, maximum gaps."""

from __future__ import annotations

from dataclasses import dataclass

from .align import Alignment, Grade
from .coverage import Coverage
from .errors import InputError
from .vocab import Vocabulary


@dataclass(frozen=True)
class Gates:
    min_coverage: float | None = None
    require: tuple[str, ...] = ()
    max_uncovered: int | None = None


@dataclass(frozen=True)
class Verdict:
    passed: bool
    failures: tuple[str, ...]
    required: dict[str, tuple[int, ...]]  # term -> national items it names
    missing: tuple[int, ...]  # national items a gate needs and the local document lacks


def required_items(term: str, alignment: Alignment, vocabulary: Vocabulary) -> tuple[int, ...]:
    """National items about `term` (a topic, an instrument, or an alias of one)."""
    instruments = vocabulary.resolve(term)
    if not instruments:
        close = vocabulary.suggest(term)
        hint = f"did you mean {' / '.join(close)}?" if close else "see data/vocabulary.yaml or pass --vocab"
        raise InputError("--require", f"'{term}' is neither a topic nor an instrument of the vocabulary", hint)
    items = []
    for item in alignment.national.items:
        if vocabulary.find(item.title + "。" + item.measures) & instruments or alignment.topics.get(item.index) == term:
            items.append(item.index)
    return tuple(items)


def judge(alignment: Alignment, cover: Coverage, gates: Gates, vocabulary: Vocabulary) -> Verdict:
    failures: list[str] = []
    missing: set[int] = set()
    if gates.min_coverage is not None and cover.ratio < gates.min_coverage:
        failures.append(f"coverage {cover.ratio!r} is below --min-coverage {gates.min_coverage!r}; "
                        f"uncovered national items: {', '.join(map(str, cover.uncovered)) or 'none'}")
        missing.update(cover.uncovered)
    if gates.max_uncovered is not None and len(cover.uncovered) > gates.max_uncovered:
        failures.append(f"{len(cover.uncovered)} national items uncovered, more than --max-uncovered "
                        f"{gates.max_uncovered}: {', '.join(map(str, cover.uncovered))}")
        missing.update(cover.uncovered)
    required: dict[str, tuple[int, ...]] = {}
    for term in gates.require:
        items = required_items(term, alignment, vocabulary)
        required[term] = items
        if not items:
            failures.append(f"--require {term}: no national item is about it, so nothing can cover it")
            continue
        lacking = [i for i in items if alignment.grade_of(i) is Grade.NONE]
        if lacking:
            failures.append(f"--require {term}: national items {', '.join(map(str, lacking))} have no local counterpart")
            missing.update(lacking)
    return Verdict(not failures, tuple(failures), required, tuple(sorted(missing)))
