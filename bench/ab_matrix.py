"""A/B: `yigai matrix` of two checkouts on the same generated documents, runs alternating A, B, A, B …

The machine may be shared: CPU time wanders with the load, so the two trees are measured in turns, each run
beside the other's, and the medians compared. CPU counts the process and all its workers. Each checkout runs
with its own interpreter (its virtual environment, where it is installed). Prints numbers; asserts nothing.

Run: `python bench/ab_matrix.py OLD/.venv/bin/python NEW/.venv/bin/python [--documents 1000] [--rounds 5]`
(from the new tree; the documents are bench/corpus.py's, seeded).
"""

from __future__ import annotations

import argparse
import filecmp
import statistics
import tempfile
from pathlib import Path

from corpus import generate
from speed import PAGE, Run, run


def _matrix(python: str, folder: str, output: Path) -> Run:
    # --output: the runs' outputs are compared, and writing a file is what an analyst's run does; --no-cache: every
    # run reads and aligns (with the results cache, every run after the first would read the cache)
    return run([python, "-m", "yigai_cli", "matrix", f"{PAGE}#1", folder, "--format", "json", "--no-cache", "--output",
                str(output)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the interpreter of checkout A (its .venv/bin/python)")
    parser.add_argument("new", help="the interpreter of checkout B")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "local"
        folder.mkdir()
        generate(folder, args.documents)
        outputs = {"A": Path(tmp) / "a.json", "B": Path(tmp) / "b.json"}
        runs: dict[str, list[Run]] = {"A": [], "B": []}
        _matrix(args.old, str(folder), outputs["A"])  # compiles each tree's modules before anything is timed
        _matrix(args.new, str(folder), outputs["B"])
        for _ in range(args.rounds):
            for name, python in (("A", args.old), ("B", args.new)):
                runs[name].append(_matrix(python, str(folder), outputs[name]))
        same = filecmp.cmp(outputs["A"], outputs["B"], shallow=False)
    n = args.documents
    print(f"matrix over {n} generated documents, {args.rounds} rounds alternating A and B (medians):")
    for name in ("A", "B"):
        cpu = statistics.median(r.cpu for r in runs[name])
        wall = statistics.median(r.wall for r in runs[name])
        print(f"  {name}: CPU {cpu:6.2f} s = {cpu / n * 1000:5.2f} ms a document = {n / cpu:6.0f} documents per CPU-second;"
              f" wall {wall:6.2f} s = {n / wall:6.0f} documents/s   (CPU per run: "
              f"{', '.join(f'{r.cpu:.2f}' for r in runs[name])})")
    ratios = [b.cpu / a.cpu for a, b in zip(runs["A"], runs["B"])]
    print(f"  B/A CPU, round by round: {', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f});"
          f" outputs {'byte-identical' if same else 'DIFFER'}")


if __name__ == "__main__":
    main()
