"""Alignment speed: 21 national items x 60 local items (Baokang), and `yigai compare` wall time.

Prints numbers; asserts nothing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from yigai.align import align
from yigai.documents import read_document
from yigai.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "data" / "samples" / "national-2022_guangxi-2023.txt"
BAOKANG = ROOT / "data" / "samples" / "baokang-county-2017.txt"

if __name__ == "__main__":
    national, local = read_document(f"{PAGE}#1"), read_document(str(BAOKANG))
    vocabulary = load_vocabulary()
    align(national, local, vocabulary)  # warm the vocabulary's compiled pattern
    runs = []
    for _ in range(20):
        start = time.perf_counter()
        align(national, local, vocabulary)
        runs.append(time.perf_counter() - start)
    print(f"align {len(national.items)} x {len(local.items)} items: median {statistics.median(runs) * 1000:.1f} ms "
          f"(min {min(runs) * 1000:.1f}, max {max(runs) * 1000:.1f}) over {len(runs)} runs")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "yigai_cli", "compare", f"{PAGE}#1", f"{PAGE}#2", "--format", "json"],
                   check=True, capture_output=True)
    print(f"yigai compare national#1 guangxi#2: {time.perf_counter() - start:.3f} s wall (interpreter start included)")
