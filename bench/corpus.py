"""Generated local documents for the speed benchmarks and the same-results test, made from the samples.

Each document takes the items of one sample local document, shuffles them, swaps a quarter of them for
items of other documents, numbers them `1.` or `(一)`, and one in ten is printed in Traditional
characters, as scraped pages are. Seeded: the same seed gives the same files on any machine.
"""

from __future__ import annotations

import random
from pathlib import Path

from yigai.documents import read_documents
from yigai.numbering import chinese_numeral

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


def _pools() -> list[list[str]]:
    """Item texts (label removed) of every sample document but the national list."""
    pools = []
    for path in sorted(SAMPLES.glob("*.txt")):
        for document in read_documents(path):
            if document.level == "national" or len(document.items) < 3:
                continue
            pools.append([item.text.removeprefix(item.label).strip() for item in document.items])
    return pools


def texts(count: int, seed: int = 15) -> list[str]:
    """`count` document texts."""
    import opencc

    traditional = opencc.OpenCC("s2t")
    pools = _pools()
    everything = [text for pool in pools for text in pool]
    rng = random.Random(seed)
    made = []
    for n in range(count):
        items = list(rng.choice(pools))
        rng.shuffle(items)
        for k in rng.sample(range(len(items)), len(items) // 4):
            items[k] = rng.choice(everything)
        chinese = rng.random() < 0.5
        body = "\n".join((f"({chinese_numeral(k)})" if chinese and k < 100 else f"{k}.") + text
                         for k, text in enumerate(items, start=1))
        text = f"某县{2018 + n % 7}年深化医药卫生体制改革重点工作任务\n{body}\n"
        made.append(traditional.convert(text) if rng.random() < 0.1 else text)
    return made


def generate(directory: Path, count: int, seed: int = 15) -> list[str]:
    """Write `count` documents into `directory`; their paths, in order."""
    paths = []
    for n, text in enumerate(texts(count, seed)):
        path = directory / f"local-{n:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths
