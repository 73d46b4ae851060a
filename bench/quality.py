"""Alignment quality against hand-made gold alignments, beside two peers an analyst would reach for.

For every gold file (../shared/gold/*.yaml, plus any given on the command line) prints pair-level
precision / recall / F1 (a predicted full-or-partial pair against a gold full-or-partial pair) and
item-level coverage accuracy (is each national item covered or not), for:

- yigai (the product, untuned per document);
- peer A: rapidfuzz partial_ratio on raw item text, one threshold;
- peer B: TF-IDF cosine over character 2-3-grams of whole items, one threshold.

The peers' thresholds are chosen on the very gold file they are scored on, which flatters them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from yigai.align import _ngrams, _Space, align
from yigai.documents import read_document
from yigai.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT.parent / "shared" / "gold"


def prf(predicted: set[tuple[int, int]], gold: set[tuple[int, int]]) -> tuple[float, float, float]:
    hits = len(predicted & gold)
    p = hits / len(predicted) if predicted else 0.0
    r = hits / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def coverage_accuracy(predicted: set[tuple[int, int]], gold: set[tuple[int, int]], total: int) -> float:
    covered_p = {n for n, _ in predicted}
    covered_g = {n for n, _ in gold}
    return sum((n in covered_p) == (n in covered_g) for n in range(1, total + 1)) / total


def best_threshold(scores: dict[tuple[int, int], float], gold: set[tuple[int, int]]) -> tuple[float, set[tuple[int, int]]]:
    best = (-1.0, 0.0, set())
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


CARRIED: list = []  # peer B's threshold as tuned on the first gold file: what an analyst would carry over


def report(gold_path: Path) -> dict[str, float]:
    gold_data = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    national = read_document(resolve(gold_data["national"], gold_path))
    local = read_document(resolve(gold_data["local"], gold_path))
    gold = {(p["n"], p["l"]) for p in gold_data["pairs"]}
    total = len(national.items)
    print(f"\n{gold_path.name}: {len(national.items)} national x {len(local.items)} local items, {len(gold)} gold pairs")

    vocabulary = load_vocabulary()
    start = time.perf_counter()
    alignment = align(national, local, vocabulary)
    elapsed = time.perf_counter() - start
    ours = {(p.national, p.local) for p in alignment.pairs}
    rows = [("yigai", "untuned", ours)]

    raw = {(a.index, b.index): fuzz.partial_ratio(a.text, b.text) for a in national.items for b in local.items}
    t, predicted = best_threshold(raw, gold)
    rows.append(("peer A: partial_ratio", f"t={t:.0f} (tuned here)", predicted))

    n_bags = [_ngrams(i.text) for i in national.items]
    l_bags = [_ngrams(i.text) for i in local.items]
    space = _Space(n_bags, l_bags)
    sims = space.matrix(n_bags) @ space.matrix(l_bags).T
    tfidf = {(a + 1, b + 1): float(sims[a, b]) for a in range(len(n_bags)) for b in range(len(l_bags))}
    t, predicted = best_threshold(tfidf, gold)
    rows.append(("peer B: TF-IDF 2-3-gram", f"t={t:.3f} (tuned here)", predicted))
    if CARRIED:
        carried = CARRIED[0]
        predicted = {k for k, v in tfidf.items() if v >= carried}
        rows.append(("peer B, threshold carried", f"t={carried:.3f} (from {CARRIED[1]})", predicted))
    else:
        CARRIED.extend([t, gold_path.stem.split("__")[-1]])  # the first gold file's threshold, carried to the rest

    print(f"  {'method':<26}{'threshold':<22}{'P':>6}{'R':>6}{'F1':>6}{'cov.acc':>9}{'pairs':>7}")
    scores = {}
    for name, note, predicted in rows:
        p, r, f1 = prf(predicted, gold)
        acc = coverage_accuracy(predicted, gold, total)
        scores[name] = f1
        print(f"  {name:<26}{note:<22}{p:6.2f}{r:6.2f}{f1:6.2f}{acc:9.2f}{len(predicted):7d}")
    full_gold = {(p["n"], p["l"]) for p in gold_data["pairs"] if p["grade"] == "full"}
    full_ours = {(p.national, p.local) for p in alignment.pairs if p.grade.value == "full"}
    agreement = _grade_agreement(ours & gold, full_ours, full_gold)
    print(f"  yigai grade agreement on shared pairs: {agreement:.2f}; align time {elapsed * 1000:.1f} ms")
    return scores


def _grade_agreement(shared: set[tuple[int, int]], full_ours: set[tuple[int, int]], full_gold: set[tuple[int, int]]) -> float:
    if not shared:
        return 0.0
    return sum((k in full_ours) == (k in full_gold) for k in shared) / len(shared)


HELDOUT_DIR = ROOT / "bench" / "heldout"

if __name__ == "__main__":
    files = sorted(GOLD_DIR.glob("*.yaml")) if GOLD_DIR.is_dir() else []
    heldout = sorted(HELDOUT_DIR.glob("*.yaml"))
    files += heldout + [Path(a) for a in sys.argv[1:]]
    if not files:
        print("no gold files found (looked in ../shared/gold/, bench/heldout/ and the command line)")
    results = {f: report(f) for f in files}
    if heldout:
        print("\nmean pair F1 on the held-out files (bench/heldout/, made by the yigai team):")
        for method in [m for m in results[heldout[0]] if all(m in results[f] for f in heldout)]:
            print(f"  {method:<26}{sum(results[f][method] for f in heldout) / len(heldout):6.2f}")
