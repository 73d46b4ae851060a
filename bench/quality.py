"""Alignment quality against hand-made alignments, beside two peers an analyst would reach for, in one run.

For every alignment file (../shared/gold/*.yaml, bench/heldout/*.yaml, bench/heldout/roundup/*.yaml, and any given
on the command line) prints pair-level precision / recall / F1 (a predicted full-or-partial pair against a gold
full-or-partial pair) and item-level coverage accuracy (is each national item covered or not), for:

- yigai (the product, untuned per document);
- peer A: rapidfuzz partial_ratio on raw item text, one threshold;
- peer B: TF-IDF cosine over character 2-3-grams of whole items, one threshold.

The peers' thresholds are chosen on the very file they are scored on, which flatters them; "carried" is peer B
with the threshold tuned on the shared gold, as an analyst would carry it to a new document.

Where a second reader aligned a held-out text (bench/heldout/second/), how far the two readers are apart, and yigai
from each. Then the cross-jurisdiction cell F1 (a cell is a national item x a local document, covered or not) over all
held-out files, and, for the texts that are not about health reform (tests/fixtures/unrelated/), how many pairs
each method finds there: every one of them is wrong.
"""

from __future__ import annotations

import math
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from rapidfuzz import fuzz

from yigai.align import align
from yigai.coverage import coverage
from yigai.documents import read_document
from yigai.model import Document
from yigai.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT.parent / "shared" / "gold"
HELDOUT_DIR = ROOT / "bench" / "heldout"
SECOND_DIR = HELDOUT_DIR / "second"  # a second reader's alignment of some held-out texts, blind to the first
UNRELATED_DIR = ROOT / "tests" / "fixtures" / "unrelated"
NONPLAN_DIR = ROOT / "tests" / "fixtures" / "nonplan"
NATIONAL = f"{ROOT / 'data' / 'samples' / 'national-2022_guangxi-2023.txt'}#1"

Pairs = set[tuple[int, int]]


def prf(predicted: Pairs, gold: Pairs) -> tuple[float, float, float]:
    hits = len(predicted & gold)
    p = hits / len(predicted) if predicted else 0.0
    r = hits / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def coverage_accuracy(predicted: Pairs, gold: Pairs, total: int) -> float:
    covered_p = {n for n, _ in predicted}
    covered_g = {n for n, _ in gold}
    return sum((n in covered_p) == (n in covered_g) for n in range(1, total + 1)) / total


def _ratio(pairs: Pairs, full: Pairs, total: int) -> float:
    """Coverage as DESIGN.md defines it, from a file's pairs: (full + 0.5 x partial) national items / total."""
    full_items = {n for n, _ in full}
    partial_items = {n for n, _ in pairs} - full_items
    return (len(full_items) + 0.5 * len(partial_items)) / total if total else 0.0


def best_threshold(scores: dict[tuple[int, int], float], gold: Pairs) -> tuple[float, Pairs]:
    best: tuple[float, float, Pairs] = (-1.0, 0.0, set())
    for t in sorted(set(scores.values())):
        predicted = {k for k, v in scores.items() if v >= t}
        f1 = prf(predicted, gold)[2]
        if f1 > best[0]:
            best = (f1, t, predicted)
    return best[1], best[2]


def resolve(ref: str, gold_path: Path) -> str:
    """A gold file's document ref: relative to shared/ (shared gold) or to this repository (held-out files)."""
    path, _, selector = ref.partition("#")
    candidates = [gold_path.parent.parent / path, ROOT / path, gold_path.parent / path]
    found = next((c for c in candidates if c.exists()), candidates[0]).resolve()
    return f"{found}#{selector}" if selector else str(found)


_NON_TEXT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9+]+")


def _ngrams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for run in _NON_TEXT.split(text):
        for n in (2, 3):
            grams.update(run[i : i + n] for i in range(len(run) - n + 1))
    return grams


class _Space:
    """Peer B's TF-IDF over one document pair's items; vectors keep only n-grams both sides use."""

    def __init__(self, national: list[Counter[str]], local: list[Counter[str]]) -> None:
        df: Counter[str] = Counter()
        for grams in national + local:
            df.update(grams.keys())
        total = len(national) + len(local)
        self.idf = {g: math.log((total + 1) / (c + 1)) + 1.0 for g, c in df.items()}
        in_national = set().union(*(g.keys() for g in national)) if national else set()
        in_local = set().union(*(g.keys() for g in local)) if local else set()
        self.index = {g: k for k, g in enumerate(sorted(in_national & in_local))}

    def matrix(self, bags: list[Counter[str]]) -> np.ndarray:
        rows = np.zeros((len(bags), max(len(self.index), 1)), dtype=np.float32)
        for r, bag in enumerate(bags):
            norm = 0.0
            for gram, count in bag.items():
                weight = (1.0 + math.log(count)) * self.idf.get(gram, 1.0)
                norm += weight * weight
                column = self.index.get(gram)
                if column is not None:
                    rows[r, column] = weight
            if norm > 0:
                rows[r] /= math.sqrt(norm)
        return rows


def tfidf_scores(national: Document, local: Document) -> dict[tuple[int, int], float]:
    n_bags = [_ngrams(i.text) for i in national.items]
    l_bags = [_ngrams(i.text) for i in local.items]
    space = _Space(n_bags, l_bags)
    sims = space.matrix(n_bags) @ space.matrix(l_bags).T
    return {(a + 1, b + 1): float(sims[a, b]) for a in range(len(n_bags)) for b in range(len(l_bags))}


@dataclass
class Run:
    """What one method predicted on one file."""

    predicted: Pairs
    full: Pairs = field(default_factory=set)


@dataclass
class FileResult:
    name: str
    total: int
    gold: Pairs
    runs: dict[str, Run]
    heldout: bool
    elapsed: float


CARRIED: list[float] = []  # peer B's threshold as tuned on the shared gold: what an analyst would carry over
YIGAI, PEER_A, PEER_B, CARRIED_B = "yigai", "peer A: partial_ratio", "peer B: TF-IDF 2-3-gram", "peer B, carried"


def evaluate(gold_path: Path, heldout: bool, vocabulary) -> FileResult:  # type: ignore[no-untyped-def]
    gold_data = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    national = read_document(resolve(gold_data["national"], gold_path))
    local = read_document(resolve(gold_data["local"], gold_path))
    gold, gold_full = _pairs(gold_data)
    _check_items(gold_path, gold_data, national, local)
    start = time.perf_counter()
    alignment = align(national, local, vocabulary)
    elapsed = time.perf_counter() - start
    runs = {YIGAI: Run({(p.national, p.local) for p in alignment.pairs},
                       {(p.national, p.local) for p in alignment.pairs if p.grade.value == "full"})}
    raw = {(a.index, b.index): fuzz.partial_ratio(a.text, b.text) for a in national.items for b in local.items}
    runs[PEER_A] = Run(best_threshold(raw, gold)[1])
    tfidf = tfidf_scores(national, local)
    t, predicted = best_threshold(tfidf, gold)
    runs[PEER_B] = Run(predicted)
    if not CARRIED:
        CARRIED.append(t)
    runs[CARRIED_B] = Run({k for k, v in tfidf.items() if v >= CARRIED[0]})
    result = FileResult(gold_path.name, len(national.items), gold, runs, heldout, elapsed)
    result.gold_full = gold_full  # type: ignore[attr-defined]
    return result


def _check_items(path: Path, gold_data: dict, national: Document, local: Document) -> None:  # type: ignore[type-arg]
    """An alignment file names items by index: if the reader now segments a document otherwise, it is stale."""
    named = {p["l"] for p in gold_data["pairs"]} | set(gold_data.get("local_only") or [])
    wrong = [p["n"] for p in gold_data["pairs"] if p["n"] > len(national.items)]
    if wrong or named != set(range(1, len(local.items) + 1)):
        print(f"  ! {path.name}: its item numbers no longer match the documents as read "
              f"({len(local.items)} local items now); re-annotate it, do not renumber by guess")


def print_file(r: FileResult) -> None:
    print(f"  {r.name:<40}{len(r.gold):>5}", end="")
    for method in (YIGAI, PEER_B, CARRIED_B, PEER_A):
        p, rec, f1 = prf(r.runs[method].predicted, r.gold)
        acc = coverage_accuracy(r.runs[method].predicted, r.gold, r.total)
        if method == YIGAI:
            print(f"{p:6.2f}{rec:6.2f}{f1:6.2f}{acc:6.2f}{len(r.runs[method].predicted):5d}", end="  |")
        else:
            print(f"{f1:6.2f}{acc:6.2f}", end="  |")
    print(f" {r.elapsed * 1000:5.1f}")


def cell_f1(results: list[FileResult], method: str) -> tuple[float, float, float]:
    predicted = {(r.name, n) for r in results for n, _ in r.runs[method].predicted}
    gold = {(r.name, n) for r in results for n, _ in r.gold}
    return prf(predicted, gold)  # type: ignore[arg-type]


def unrelated(vocabulary, folder: Path = UNRELATED_DIR,  # type: ignore[no-untyped-def]
              heading: str = "texts not about health reform") -> None:
    files = sorted(folder.glob("*.txt"))
    if not files:
        return
    national = read_document(NATIONAL)
    print(f"\n{heading} against the national list (every pair is wrong):")
    print(f"  {'file':<40}{'items':>6}{'full':>6}{'part.':>6}{'cov.':>6}{'tasks':>6}  |{'peer B carried pairs':>22}")
    for path in files:
        local = read_document(str(path))
        alignment = align(national, local, vocabulary)
        cover = coverage(alignment)
        full = sum(p.grade.value == "full" for p in alignment.pairs)
        carried = sum(v >= CARRIED[0] for v in tfidf_scores(national, local).values()) if CARRIED else 0
        tasks = alignment.tasks.share if alignment.tasks else float("nan")
        print(f"  {path.name:<40}{len(local.items):6d}{full:6d}{len(alignment.pairs) - full:6d}{cover.ratio:6.0%}{tasks:6.2f}  |"
              f"{carried:22d}")


def _pairs(data: dict) -> tuple[Pairs, Pairs]:  # type: ignore[type-arg]
    """A hand alignment's pairs, and its full ones."""
    return {(p["n"], p["l"]) for p in data["pairs"]}, {(p["n"], p["l"]) for p in data["pairs"] if p["grade"] == "full"}


def _agreement(a: tuple[Pairs, Pairs], b: tuple[Pairs, Pairs]) -> float:
    """How often two alignments grade the pairs both find alike (full or partial)."""
    shared = a[0] & b[0]
    return sum((k in a[1]) == (k in b[1]) for k in shared) / len(shared) if shared else float("nan")


def two_readers(results: list[FileResult]) -> None:
    """Where a second reader aligned a held-out text blind to the first: how far the two readers are apart, and yigai
    from each. The readers' own distance is the floor of what any method can be measured to on one reader's file."""
    files = sorted(SECOND_DIR.glob("*.yaml")) if SECOND_DIR.is_dir() else []
    by_name = {r.name: r for r in results}
    rows = [(path, by_name[path.name]) for path in files if path.name in by_name]
    if not rows:
        return
    print(f"\ntwo readers of the same text (bench/heldout/second/, {len(rows)} files; F1 and grade agreement, and the "
          f"coverage ratio each gives):")
    print(f"  {'file':<44}{'F1 r1-r2':>9}{'yigai-r1':>9}{'yigai-r2':>9}  |{'grades r1-r2':>13}{'yigai-r1':>9}"
          f"{'yigai-r2':>9}  |{'cov r1':>7}{'r2':>6}{'yigai':>6}")
    # per way of choosing the texts, each text's coverage differences: reader 1 to 2, yigai to 1, yigai to 2
    differences: dict[str, list[tuple[float, float, float]]] = {}
    for path, r in rows:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        # (`selection`: how the text was chosen for a second reading; `hardest` ones were chosen against yigai)
        chosen = str(data.get("selection", "given"))
        first, second = (r.gold, r.gold_full), _pairs(data)  # type: ignore[attr-defined]
        yigai = (r.runs[YIGAI].predicted, r.runs[YIGAI].full)
        cover = [_ratio(*reading, r.total) for reading in (first, second, yigai)]
        differences.setdefault(chosen, []).append(
            (abs(cover[0] - cover[1]), abs(cover[2] - cover[0]), abs(cover[2] - cover[1])))
        print(f"  {r.name.removeprefix('national2022__'):<44}{prf(second[0], first[0])[2]:9.2f}{prf(yigai[0], first[0])[2]:9.2f}"
              f"{prf(yigai[0], second[0])[2]:9.2f}  |{_agreement(first, second):13.2f}{_agreement(yigai, first):9.2f}"
              f"{_agreement(yigai, second):9.2f}  |{cover[0]:7.2f}{cover[1]:6.2f}{cover[2]:6.2f}")
    for chosen, found in sorted(differences.items()):
        apart, off_first, off_second = zip(*found)
        print(f"  {chosen} ({len(found)} files), coverage ratio, mean |difference|: reader 1 to reader 2 "
              f"{_spread(apart)}; yigai to reader 1 {_spread(off_first)}, to reader 2 {_spread(off_second)}")


def _spread(differences: Sequence[float]) -> str:
    return f"{sum(differences) / len(differences):.3f} ({sum(d > 0.05 for d in differences)} over 0.05)"


def main(extra: list[str]) -> None:
    vocabulary = load_vocabulary()
    files = [(f, False) for f in sorted(GOLD_DIR.glob("*.yaml"))] if GOLD_DIR.is_dir() else []
    files += [(f, True) for f in sorted(HELDOUT_DIR.glob("*.yaml"))]
    files += [(f, True) for f in sorted((HELDOUT_DIR / "roundup").glob("*.yaml"))]
    files += [(Path(a), True) for a in extra]
    if not files:
        print("no alignment files found (looked in ../shared/gold/, bench/heldout/ and the command line)")
        return
    print(f"{'':42}{'gold':>5}{'yigai: P':>10}{'R':>6}{'F1':>6}{'cov':>6}{'pairs':>5}  |"
          f"{'peer B tuned':>12}  |{'B carried':>12}  |{'peer A tuned':>12}  | ms")
    results = []
    for path, heldout in files:
        if path.parent == HELDOUT_DIR / "roundup" and not any(r.heldout and "roundup" in str(r.name) for r in results):
            print("  -- news round-up paragraphs (bench/heldout/roundup/) --")
        result = evaluate(path, heldout, vocabulary)
        if "roundup" in str(path.parent):
            result.name = "roundup/" + result.name
        results.append(result)
        print_file(result)
    for label, group in (("held-out files", [r for r in results if r.heldout and not r.name.startswith("roundup/")]),
                         ("round-up paragraphs", [r for r in results if r.name.startswith("roundup/")]),
                         ("all held-out", [r for r in results if r.heldout])):
        if not group:
            continue
        print(f"\nmean pair F1, {label} ({len(group)}):", end="")
        for method in (YIGAI, PEER_B, CARRIED_B, PEER_A):
            print(f"  {method} {sum(prf(r.runs[method].predicted, r.gold)[2] for r in group) / len(group):.3f}", end="")
        print()
    held = [r for r in results if r.heldout]
    if held:
        print(f"cross-jurisdiction cell F1 over {len(held)} held-out columns:", end="")
        for method in (YIGAI, PEER_B, CARRIED_B, PEER_A):
            p, rec, f1 = cell_f1(held, method)
            print(f"  {method} {f1:.3f}", end="" if method != YIGAI else f" (P {p:.2f} R {rec:.2f})")
        print()
        shared = [(r.runs[YIGAI].predicted & r.gold, r.runs[YIGAI].full, r.gold_full) for r in held]  # type: ignore[attr-defined]
        agree = sum((k in f) == (k in g) for s, f, g in shared for k in s) / max(1, sum(len(s) for s, _, _ in shared))
        print(f"yigai grade agreement (full vs partial) on correctly found held-out pairs: {agree:.2f}")
    # the figure an analyst reads first: coverage = (full + 0.5 x partial) / items, against the hand-made grades
    for label, group in (("gold", [r for r in results if not r.heldout]),
                         ("held-out files", [r for r in results if r.heldout and not r.name.startswith("roundup/")]),
                         ("round-up paragraphs", [r for r in results if r.name.startswith("roundup/")])):
        if group:
            errors = [_ratio(r.runs[YIGAI].predicted, r.runs[YIGAI].full, r.total) - _ratio(r.gold, r.gold_full, r.total)
                      for r in group]  # type: ignore[attr-defined]
            over = sorted(((abs(e), r.name) for e, r in zip(errors, group) if abs(e) > 0.05), reverse=True)
            print(f"coverage ratio against the hand-made grades, {label} ({len(group)}): mean |error| "
                  f"{sum(map(abs, errors)) / len(errors):.3f}, mean error {sum(errors) / len(errors):+.3f}; "
                  f"{len(over)} over 0.05" + (f" ({', '.join(f'{n} {e:.2f}' for e, n in over[:4])})" if over else ""))
    two_readers(results)
    unrelated(vocabulary)
    unrelated(vocabulary, NONPLAN_DIR, "health texts that are not task lists (notices, reminders, tips, news)")


if __name__ == "__main__":
    main(sys.argv[1:])
