"""What items promise, counted over every sample: targets (and how many name what they measure),
deadlines (and how many read as a date), lead departments (and how many map to a function); then the
side-by-side verdicts of the national list against each local sample, and extraction speed.

Prints numbers; asserts nothing. Run: `make bench` or `python bench/promises.py`.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from yigai.align import align
from yigai.documents import read_documents
from yigai.promises import deadlines_in, load_departments, targets_of
from yigai.strength import strength
from yigai.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data" / "samples").glob("*.txt"))


def extraction_counts() -> None:
    departments = load_departments()
    items = targets = with_subject = with_due = deadlines = dated = named = mapped = leads = leads_mapped = 0
    for path in SAMPLES:
        for document in read_documents(path):
            for item in document.items:
                items += 1
                targets += len(item.targets)
                with_subject += sum(bool(t.subject) for t in item.targets)
                with_due += sum(t.due is not None for t in item.targets)
                if item.due is not None:
                    deadlines += 1
                    dated += item.due.date(document.year) is not None
                named += len(item.departments)
                mapped += sum(bool(departments.functions_of(d, document.year)) for d in item.departments)
                if item.departments:
                    leads += 1
                    leads_mapped += bool(departments.functions_of(item.departments[0], document.year))
    print(f"promises over {len(SAMPLES)} samples, {items} items: "
          f"targets {targets} (with subject {with_subject}, with due year {with_due}); "
          f"deadlines {deadlines} (read as a date {dated}); "
          f"departments {named} (mapped to a function {mapped}); leads {leads} (mapped {leads_mapped})")


def verdicts() -> None:
    vocabulary, departments = load_vocabulary(), load_departments()
    national = read_documents(ROOT / "data" / "samples" / "national-2022_guangxi-2023.txt")[0]
    for path in SAMPLES:
        for local in read_documents(path):
            if local.level == "national" or "roundup" in path.name:
                continue  # 32 paragraphs of news: few targets, no leads
            found = strength(align(national, local, vocabulary), departments)
            targets = Counter(t.verdict.value for s in found.pairs.values() for t in s.targets)
            leads = Counter(s.lead.verdict.value for s in found.pairs.values())
            deadline = Counter(s.deadline.verdict.value for s in found.pairs.values())
            print(f"  national → {local.short_name or local.jurisdiction}: {len(found.pairs)} pairs; "
                  f"targets {dict(targets)}; deadlines {dict(deadline)}; leads {dict(leads)}")


def speed() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in SAMPLES) * 20
    start = time.perf_counter()
    found = len(targets_of(text)) + len(deadlines_in(text))
    elapsed = time.perf_counter() - start
    mb = len(text.encode("utf-8")) / 1024 / 1024
    print(f"targets and deadlines over {mb:.1f} MB: {found} found in {elapsed:.2f} s = {mb / elapsed:.1f} MB/s")
    digits = "超过" + "9" * 1_000_000 + "个"
    start = time.perf_counter()
    targets_of(digits)
    deadlines_in(digits)
    print(f"a 1,000,000-digit run: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    extraction_counts()
    verdicts()
    speed()
