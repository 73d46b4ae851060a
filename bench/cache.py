"""The results cache: a matrix over N generated documents run cold (empty cache), then again after 10 of them
changed (warm), and once with --no-cache; CPU of each (the process and its workers), the warm/cold ratio, and
whether the warm output is byte-identical to the --no-cache one.

The target (issue 23): warm with 10 changed of 3,000 costs at most 10% of the cold run's CPU (the warm figure is the
median of three runs, each after 10 other documents changed: one lasts about a second). Prints numbers;
asserts nothing. Run: `make bench` or `python bench/cache.py [--count N] [--changed K]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from corpus import generate, texts
from speed import ENV, NATIONAL, YIGAI, run

WARM_RUNS = 3


def _matrix(folder: Path, out: Path, cache: Path, *extra: str) -> float:
    args = [*YIGAI, "matrix", NATIONAL, str(folder), "--format", "json", "--output", str(out), *extra]
    return run(args, env={**ENV, "YIGAI_CACHE_DIR": str(cache)}).cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--changed", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder, cache = root / "docs", root / "cache"
        folder.mkdir()
        paths = generate(folder, args.count)
        _matrix(Path(paths[0]), root / "first.json", root / "unused", "--no-cache")  # compiles what was not compiled yet
        cold = _matrix(folder, root / "cold.json", cache)
        # `changed` documents get other text (of another seed), spread over the folder; a warm run lasts about a
        # second, so three of them, each after `changed` other documents changed, and their median
        step = max(1, args.count // args.changed)
        warm_runs = []
        for turn in range(WARM_RUNS):
            for path, text in zip(paths[turn::step][: args.changed], texts(args.changed, seed=99 - turn)):
                Path(path).write_text(text, encoding="utf-8")
            warm_runs.append(_matrix(folder, root / "warm.json", cache))
        warm = statistics.median(warm_runs)
        fresh = _matrix(folder, root / "fresh.json", root / "unused", "--no-cache")
        identical = (root / "warm.json").read_bytes() == (root / "fresh.json").read_bytes()
        info = subprocess.run([*YIGAI, "cache", "info"], env={**ENV, "YIGAI_CACHE_DIR": str(cache)},
                              capture_output=True, text=True, check=True).stdout
        size = sum(f.stat().st_size for f in cache.iterdir()) / 1024 / 1024
    print(f"results cache: matrix over {args.count} generated documents (national 2022, --format json; CPU of the "
          f"process and its workers, {os.cpu_count()} cores):")
    print(f"  cold (empty cache, filling it):     CPU {cold:6.2f} s")
    print(f"  --no-cache (the same {args.changed} changed):   CPU {fresh:6.2f} s")
    print(f"  warm, {args.changed} of {args.count} changed:         CPU {warm:6.2f} s  = {warm / cold:.1%} of the cold run "
          f"(target <= 10%), {warm / fresh:.1%} of --no-cache (median of {WARM_RUNS}: "
          f"{', '.join(f'{w:.2f}' for w in warm_runs)} s)")
    print(f"  warm output byte-identical to --no-cache: {'yes' if identical else 'NO'}; cache {size:.1f} MB on disk, "
          f"{info.splitlines()[2].split(':', 1)[1].strip()} entries")


if __name__ == "__main__":
    main()
