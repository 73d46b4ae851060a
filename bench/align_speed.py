"""Alignment speed: 21 national items x 60 local items (Baokang), `yigai compare` wall time, and one local list
of thousands of items against the national list: CPU per item and peak memory at two sizes (four times the
items should cost four times the CPU, not more).

Prints numbers; asserts nothing. Run: `make bench` or `python bench/align_speed.py [--quick]`.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from yigai.align import align, one_blas_thread, prepare
from yigai.documents import read_document
from yigai.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "data" / "samples" / "national-2022_guangxi-2023.txt"
BAOKANG = ROOT / "data" / "samples" / "baokang-county-2017.txt"


def large_list(items: int, seed: int = 3) -> str:
    """A county list of `items` numbered items, drawn from the samples' local items (seeded)."""
    from corpus import _pools

    rng = random.Random(seed)
    everything = [text for pool in _pools() for text in pool]
    body = "\n".join(f"{k}.{rng.choice(everything)}" for k in range(1, items + 1))
    return f"某县2023年深化医药卫生体制改革重点工作任务\n{body}\n"


def one_large(items: int) -> dict[str, float]:
    """Read and align one large list in this process (run in a fresh one per size: its peak is its own)."""
    from yigai.clean import clean
    from yigai.segment import segment
    from yigai.split import split

    text = large_list(items)
    national, vocabulary = read_document(f"{PAGE}#1"), load_vocabulary()
    prepare(national, vocabulary)
    start = time.process_time()
    local = segment(split(clean(text))[0], "large", "1")
    read = time.process_time() - start
    with one_blas_thread():
        start = time.process_time()
        align(national, local, vocabulary, quotes=False)
        aligned = time.process_time() - start
    return {"items": len(local.items), "read": read, "align": aligned,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def large_documents(sizes: list[int], rounds: int) -> None:
    print(f"one large local list against the national list (a fresh process each run, one thread, CPU; the least of "
          f"{rounds} runs, sizes taking turns):")
    runs: dict[int, list[dict[str, float]]] = {size: [] for size in sizes}
    for _ in range(rounds):
        for size in sizes:
            out = subprocess.run([sys.executable, __file__, "--one-large", str(size)], check=True, capture_output=True,
                                 text=True, cwd=Path(__file__).parent).stdout
            runs[size].append(json.loads(out.strip().splitlines()[-1]))
    found = []
    for size in sizes:
        best = min(runs[size], key=lambda r: r["read"] + r["align"])
        found.append(best)
        print(f"  {int(best['items']):6,d} items: read {best['read'] / best['items'] * 1e6:5.0f} us an item, align "
              f"{best['align'] / best['items'] * 1e6:5.0f} us an item (total {best['read'] + best['align']:5.1f} s), "
              f"peak {max(r['peak_mib'] for r in runs[size]):5.0f} MiB")
    small, large = found[0], found[-1]
    per_item = [(r["read"] + r["align"]) / r["items"] for r in (small, large)]
    print(f"  {large['items'] / small['items']:.1f}x the items: {per_item[1] / per_item[0]:.2f}x the CPU an item "
          f"(1.00 is linear), {large['peak_mib'] / small['peak_mib']:.1f}x the peak memory")


def baokang() -> None:
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


if __name__ == "__main__":
    if "--one-large" in sys.argv:
        print(json.dumps(one_large(int(sys.argv[sys.argv.index("--one-large") + 1]))))
    else:
        baokang()
        quick = "--quick" in sys.argv
        large_documents([1_250, 5_000] if quick else [5_000, 20_000], 1 if quick else 3)
