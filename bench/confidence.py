"""How sure each pair is: fit and check the confidence model (data/confidence.yaml) on the hand-made alignments.

For every pair yigai finds in the gold and held-out files (see bench/quality.py), the signals that decided it
(yigai.align.pair_features) and whether a careful reader found the same pair. A logistic model of those signals
gives each pair a probability; the figures printed are leave-one-file-out (each file scored by a model fitted on
the others), so they say how the model does on a document it was not fitted on:

- a reliability diagram: pairs binned by their probability, against how many of them are right;
- the levels: `sure` from the lowest probability where the pairs above are right at least 96% of the time
  (the promise is 95%; one point of margin), `unsure` below the probability under which 60% of the errors lie;
  the precision of each level, and the share of all errors the unsure ones hold.

`--write` rewrites data/confidence.yaml with the model fitted on every file and those levels.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import GOLD_DIR, HELDOUT_DIR, ROOT, resolve  # noqa: E402

from yigai.align import Confidence, align, pair_features, signals  # noqa: E402
from yigai.documents import read_document  # noqa: E402
from yigai.vocab import load_vocabulary  # noqa: E402

FEATURES = ("score", "shared", "sentence", "mutual", "same_subject", "full", "chained", "partners")
RIDGE = 1.0  # a little shrinkage: some 600 pairs, eight signals
SURE_PRECISION = 0.96
UNSURE_ERRORS = 0.60


@dataclass
class Sample:
    file: str
    rows: np.ndarray  # pairs x features
    right: np.ndarray  # 1 where a careful reader found the pair


def samples() -> list[Sample]:
    vocabulary = load_vocabulary()
    files = [*sorted(GOLD_DIR.glob("*.yaml")), *sorted(HELDOUT_DIR.glob("*.yaml")),
             *sorted((HELDOUT_DIR / "roundup").glob("*.yaml"))]
    found = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        national = read_document(resolve(data["national"], path))
        local = read_document(resolve(data["local"], path))
        gold = {(p["n"], p["l"]) for p in data["pairs"]}
        pairs = align(national, local, vocabulary).pairs
        if not pairs:
            continue
        features = pair_features(pairs, signals(national, local, vocabulary))
        rows = np.stack([features[name] for name in FEATURES], axis=1).astype(np.float64)
        right = np.array([(p.national, p.local) in gold for p in pairs], dtype=np.float64)
        found.append(Sample(path.name, rows, right))
    return found


def fit(rows: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method, with a ridge on the weights (not the intercept)."""
    x = np.hstack([rows, np.ones((len(rows), 1))])
    w = np.zeros(x.shape[1])
    ridge = np.full(x.shape[1], RIDGE)
    ridge[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - right) + ridge * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(ridge)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w[:-1], float(w[-1])


def predict(weights: np.ndarray, intercept: float, rows: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(rows @ weights + intercept)))


def levels(p: np.ndarray, right: np.ndarray) -> tuple[float, float]:
    """The `sure` and `unsure` cut-offs (see the module's docstring)."""
    order = np.argsort(-p)
    hits = np.cumsum(right[order])
    precision = hits / np.arange(1, len(p) + 1)
    ok = np.nonzero(precision >= SURE_PRECISION)[0]
    sure = float(p[order][ok.max()]) if len(ok) else 1.0
    wrong = np.sort(p[right == 0])
    # the cut-off just above the error that makes up the share, rounded up (rounded to nearest it could fall below
    # that error and leave it out)
    unsure = float(np.ceil((wrong[int(np.ceil(UNSURE_ERRORS * len(wrong))) - 1] + 1e-6) * 1e4) / 1e4) if len(wrong) else 0.0
    return round(sure, 4), min(unsure, round(sure, 4))


def report(p: np.ndarray, right: np.ndarray, sure: float, unsure: float, label: str) -> None:
    print(f"\n{label}: {len(p)} pairs, {int(len(p) - right.sum())} wrong")
    print(f"  {'probability':<14}{'pairs':>6}{'mean p':>8}{'right':>8}")
    for low in np.arange(0.0, 1.0, 0.1):
        inside = (p >= low) & (p < low + 0.1 + (1e-9 if low >= 0.9 else 0))
        if inside.any():
            print(f"  {low:.1f}-{low + 0.1:.1f}{'':<7}{int(inside.sum()):>6}{p[inside].mean():8.2f}{right[inside].mean():8.2f}"
                  f"  {'#' * int(round(right[inside].mean() * 20))}")
    errors = max(1, int((right == 0).sum()))
    for name, chosen in (("sure", p >= sure), ("likely", (p >= unsure) & (p < sure)), ("unsure", p < unsure)):
        n = int(chosen.sum())
        precision = f"{right[chosen].mean():.3f}" if n else "  -  "
        held = int(((right == 0) & chosen).sum())
        print(f"  {name:<7} {n:4d} pairs, precision {precision}, {held / errors:.0%} of the errors")


def main(write: bool) -> None:
    found = samples()
    cross = np.zeros(0)
    right_all = np.zeros(0)
    for k, sample in enumerate(found):
        others = [s for j, s in enumerate(found) if j != k]
        w, c = fit(np.vstack([s.rows for s in others]), np.concatenate([s.right for s in others]))
        cross = np.concatenate([cross, predict(w, c, sample.rows)])
        right_all = np.concatenate([right_all, sample.right])
    sure, unsure = levels(cross, right_all)
    print(f"confidence model: {len(found)} files; levels from the leave-one-file-out probabilities: sure >= {sure}, "
          f"unsure < {unsure}")
    report(cross, right_all, sure, unsure, "leave-one-file-out (each file scored by a model fitted on the others)")
    rows = np.vstack([s.rows for s in found])
    weights, intercept = fit(rows, right_all)
    shipped = Confidence.load()
    if shipped.features == FEATURES:
        p = shipped.probabilities(rows)
        report(p, right_all, shipped.sure, shipped.unsure, "the shipped model (data/confidence.yaml), on the same files")
    if write:
        path = ROOT / "data" / "confidence.yaml"
        lines = [
            "# How sure a pair is: a logistic model of the signals that decided it (yigai.align.pair_features), fitted",
            "# by `python bench/confidence.py --write` on the gold and held-out alignments (shared/gold/, bench/heldout/).",
            f"# Levels from leave-one-file-out probabilities: `sure` where at least {SURE_PRECISION:.0%} of pairs were right,",
            f"# `unsure` below the probability under which {UNSURE_ERRORS:.0%} of the wrong pairs lay. Rewrite it when",
            "# alignment changes; `make bench` prints how well it is calibrated.",
            "model:",
            *(f"  {name}: {value:.4f}" for name, value in zip(FEATURES, weights)),
            f"intercept: {intercept:.4f}",
            f"levels: {{sure: {sure}, unsure: {unsure}}}",
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"\nwrote {path}")


if __name__ == "__main__":
    main("--write" in sys.argv[1:])
