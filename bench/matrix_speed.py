"""Matrix speed: the national list against 1,000 generated local documents.

Each generated document samples and shuffles items of the sample documents (renumbered), so the
texts are real reform wording. Prints documents per second; asserts nothing.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from yigai.documents import read_document, read_documents
from yigai.matrix import matrix

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
COUNT = 1000


def generate(directory: Path, count: int, seed: int = 7) -> list[str]:
    pool = [item.text for path in sorted(SAMPLES.glob("*.txt")) for d in read_documents(path) for item in d.items]
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        items = rng.sample(pool, rng.randint(8, 40))
        body = "\n".join(f"{k}.{text}" for k, text in enumerate(items, start=1))
        path = directory / f"local-{n:04d}.txt"
        path.write_text(f"某县深化医药卫生体制改革2024年重点工作任务\n{body}\n", encoding="utf-8")
        paths.append(str(path))
    return paths


if __name__ == "__main__":
    national = read_document(f"{SAMPLES / 'national-2022_guangxi-2023.txt'}#1")
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), COUNT)
        start = time.perf_counter()
        columns = matrix(national, paths)
        elapsed = time.perf_counter() - start
        print(f"matrix: {len(national.items)} national items x {len(columns)} local documents in {elapsed:.1f} s "
              f"= {len(columns) / elapsed:.0f} documents/s")
        start = time.perf_counter()
        matrix(national, paths[:100], workers=1)
        serial = time.perf_counter() - start
        print(f"  (serial, 100 documents: {serial:.1f} s = {100 / serial:.0f} documents/s)")
