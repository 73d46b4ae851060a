"""The same pages from the same inputs: `yigai report` for a fixed set of cases (the round-up and the samples;
with decisions, for one document and for every one; sorted by coverage; 200 generated documents, aligned by
the worker processes; more with --sizes), written into a folder; with --against, each page is compared byte for
byte with the page of the same name in another folder (written the same way by another version of yigai).

    python bench/report_same.py /tmp/before                       # on the older version
    python bench/report_same.py /tmp/after --against /tmp/before  # on this one: prints identical / differs

Prints each case's size and SHA-256, and where two pages first differ; exits 1 when one does.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
NATIONAL = f"{SAMPLES / 'national-2022_guangxi-2023.txt'}#1"
CITY, SICHUAN, ROUNDUP = (str(SAMPLES / n) for n in ("city-2023-draft.txt", "sichuan-2021.txt",
                                                     "provinces-2024-roundup.txt"))


def _decisions(folder: Path) -> tuple[Path, Path]:
    """Two decisions files: one for 某市 (a reject, a regrade with a note that needs escaping, a pair added), one
    for every document (a reject by titles, which finds its pair in some columns only)."""
    one = folder / "city.decisions.yaml"
    one.write_text(yaml.safe_dump({"local": "某市", "decisions": [
        {"action": "reject", "national": 3, "local": 2, "note": "<b>only the setting</b> & more", "who": "王"},
        {"action": "regrade", "grade": "partial", "national": 1, "local": 1},
        {"action": "add", "grade": "full", "national": 20, "local": 5, "note": "经办人确认"},
    ]}, allow_unicode=True), encoding="utf-8")
    every = folder / "all.decisions.yaml"
    every.write_text(yaml.safe_dump({"decisions": [
        {"action": "reject", "national": 2, "local": 1, "note": "不对应"},
        {"action": "confirm", "national": 1, "local": 1},
    ]}, allow_unicode=True), encoding="utf-8")
    return one, every


def cases(folder: Path, sizes: list[int]) -> dict[str, list[str]]:
    """Each case's name and the arguments after `yigai report`."""
    one, every = _decisions(folder)
    made = {}
    for size in sizes:
        locals_ = folder / f"locals-{size}"
        if not locals_.is_dir():
            locals_.mkdir()
            generate(locals_, size)
        made[size] = str(locals_)
    found = {
        "roundup": [NATIONAL, ROUNDUP],
        "samples": [NATIONAL, CITY, SICHUAN, ROUNDUP, f"{SAMPLES / 'national-2022_guangxi-2023.txt'}#2"],
        "samples-decisions": [NATIONAL, CITY, SICHUAN, ROUNDUP, "--decisions", str(one)],
        "samples-coverage": [NATIONAL, CITY, SICHUAN, ROUNDUP, "--sort", "coverage"],
    }
    for size, locals_ in made.items():
        found[f"generated-{size}"] = [NATIONAL, locals_]
        if size <= 1000:
            found[f"generated-{size}-decisions"] = [NATIONAL, locals_, CITY, "--decisions", str(every),
                                                    "--decisions", str(one), "--sort", "name"]
    return found


def _first_difference(a: bytes, b: bytes) -> str:
    at = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"first at byte {at:,}: {a[max(0, at - 60):at + 60]!r} / {b[max(0, at - 60):at + 60]!r}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder the pages are written into")
    parser.add_argument("--against", type=Path, help="a folder of pages to compare with, byte for byte")
    parser.add_argument("--sizes", default="200", help="numbers of generated documents (comma-separated)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    differs = 0
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp)
        for name, argv in cases(inputs, [int(s) for s in args.sizes.split(",") if s.strip()]).items():
            page = args.out / f"{name}.html"
            done = subprocess.run([sys.executable, "-m", "yigai_cli", "report", *argv, "-o", str(page)],
                                  capture_output=True, text=True, cwd=inputs)
            if done.returncode != 0:
                print(f"{name}: yigai report failed ({done.returncode}): {done.stderr.strip()[-300:]}")
                differs += 1
                continue
            # the inputs' folder is a new temporary folder each run: the page names files under it
            written = page.read_bytes().replace(str(inputs).encode("utf-8"), b"INPUTS")
            page.write_bytes(written)
            line = f"{name}: {len(written):,} bytes, sha256 {hashlib.sha256(written).hexdigest()[:16]}"
            if args.against is not None:
                before = (args.against / page.name).read_bytes() if (args.against / page.name).exists() else None
                if before is None:
                    line += "; nothing to compare with"
                elif before == written:
                    line += "; identical"
                else:
                    differs += 1
                    line += f"; DIFFERS ({len(before):,} bytes before), {_first_difference(before, written)}"
            print(line, flush=True)
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())
