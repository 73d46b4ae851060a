"""Parse throughput: the whole reading pipeline on the samples concatenated to ~10 MB, and CLI wall time.

Prints numbers; asserts nothing. Run: `make bench` or `python bench/parse_speed.py`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from yigai.clean import clean
from yigai.segment import segment
from yigai.split import split

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data" / "samples").glob("*.txt"))
TARGET_MB = 10


def pipeline_throughput() -> None:
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    # Each repetition is a separate file's worth of text, parsed as a file would be.
    unit = sum(len(t.encode("utf-8")) for t in texts)
    repeats = max(1, int(TARGET_MB * 1024 * 1024 / unit))
    start = time.perf_counter()
    documents = 0
    for _ in range(repeats):
        for text in texts:
            for n, part in enumerate(split(clean(text)), start=1):
                segment(part, "bench", str(n))
                documents += 1
    elapsed = time.perf_counter() - start
    mb = unit * repeats / 1024 / 1024
    print(f"parse pipeline: {mb:.1f} MB ({documents} documents) in {elapsed:.2f} s = {mb / elapsed:.2f} MB/s")


def cli_wall() -> None:
    exe = [sys.executable, "-m", "yigai_cli"]
    for sample in SAMPLES:
        start = time.perf_counter()
        subprocess.run([*exe, "parse", str(sample), "--format", "json"], check=True, capture_output=True)
        print(f"yigai parse {sample.name}: {time.perf_counter() - start:.3f} s wall (interpreter start included)")


if __name__ == "__main__":
    pipeline_throughput()
    cli_wall()
