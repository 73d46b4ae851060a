"""OCR against the text: the Sichuan 2021 list printed to PDF (tests/scans.py), scanned at 300 dpi, at 150 dpi, and
at 150 dpi fed 1.5 degrees askew, then read by yigai (Tesseract).

For each scan prints seconds per page, the share of characters right (over the items' text, against the text
sample's), the items and labels right, and `compare` against the national 2022 list: pair F1 against the held-out
alignment (bench/heldout/national2022__sichuan2021.yaml), beside the text sample's own F1. Then the two engines on the
same 300 dpi pages: seconds per page and characters right of each page against the PDF's text, for Tesseract and
(if installed: pip install rapidocr-onnxruntime, whose wheel ships its models) RapidOCR.

Needs Debian's tesseract-ocr, tesseract-ocr-chi-sim and fonts-wqy-zenhei, and yigai[ocr].
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

import yaml
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import scans  # noqa: E402
from yigai import ocr  # noqa: E402
from yigai.align import align  # noqa: E402
from yigai.clean import normalize_width  # noqa: E402
from yigai.documents import read_document  # noqa: E402
from yigai.model import Document  # noqa: E402
from yigai.vocab import load_vocabulary  # noqa: E402

GOLD = ROOT / "bench" / "heldout" / "national2022__sichuan2021.yaml"
NATIONAL = f"{ROOT / 'data' / 'samples' / 'national-2022_guangxi-2023.txt'}#1"


def plain(text: str) -> str:
    return re.sub(r"\s", "", normalize_width(text))


def pair_f1(national: Document, local: Document, gold: set[tuple[int, int]]) -> float:
    predicted = {(p.national, p.local) for p in align(national, local, load_vocabulary([])).pairs}
    hits = len(predicted & gold)
    precision, recall = hits / max(len(predicted), 1), hits / max(len(gold), 1)
    return 2 * precision * recall / (precision + recall) if hits else 0.0


def characters_right(read: Document, text: Document) -> float:
    """1 - edit distance over the length, of all items' text in order."""
    a, b = plain("".join(i.text for i in read.items)), plain("".join(i.text for i in text.items))
    return 1 - Levenshtein.distance(a, b) / max(len(b), 1)


def main() -> None:
    gold = {(p["n"], p["l"]) for p in yaml.safe_load(GOLD.read_text(encoding="utf-8"))["pairs"]}
    national = read_document(NATIONAL)
    text = read_document(str(scans.SAMPLE))
    text_f1 = pair_f1(national, text, gold)
    print(f"OCR: Tesseract ({ocr.LANGUAGE}), {ocr.workers()} pages in parallel; the text sample: {len(text.items)} items, "
          f"compare pair F1 {text_f1:.3f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        printed = scans.print_pdf(scans.notice_text(), folder / "printed.pdf")
        at300, at150 = scans.rasterise(printed, 300), scans.rasterise(printed, 150)
        variants = {
            "300 dpi": scans.images_pdf(at300, folder / "scan-300.pdf", 300),
            "150 dpi": scans.images_pdf(at150, folder / "scan-150.pdf", 150),
            "150 dpi, 1.5° askew": scans.images_pdf([scans.rotate(p, 1.5) for p in at150], folder / "rotated.pdf", 150),
            "300 dpi, sealed": scans.images_pdf([scans.stamp(p, (0.62, 0.62)) for p in at300], folder / "sealed.pdf", 300),
        }
        print(f"{'scan':22} {'pages':>5} {'s/page':>7} {'cpu s/page':>10} {'chars right':>11} {'items':>6} "
              f"{'labels right':>12} {'pair F1':>8} {'vs text':>8}")
        for name, path in variants.items():
            start, cpu = time.perf_counter(), _cpu()
            read = read_document(str(path))
            seconds = (time.perf_counter() - start) / len(at300)
            cpu_seconds = (_cpu() - cpu) / len(at300)
            # an item of the text sample whose label OCR read, with its title (not a label alone, misplaced)
            titles = {(i.label, i.title) for i in text.items}
            labels = sum((i.label, i.title) in titles or _near(i, text) for i in read.items) / len(text.items)
            f1 = pair_f1(national, read, gold)
            print(f"{name:22} {len(at300):5} {seconds:7.2f} {cpu_seconds:10.2f} {characters_right(read, text):11.3f} "
                  f"{len(read.items):3}/{len(text.items):<2} {labels:12.0%} {f1:8.3f} {f1 - text_f1:+8.3f}")
        engines(printed, at300)


def _cpu() -> float:
    """CPU seconds of this process and the Tesseract processes it waited for: wall time on a busy machine says
    little, CPU time says what a page costs."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _near(item, text: Document) -> bool:  # type: ignore[no-untyped-def]
    """The item's label is the text sample's item of that label, its title misread by a character or two."""
    same = next((i for i in text.items if i.label == item.label), None)
    return same is not None and Levenshtein.normalized_distance(plain(same.title), plain(item.title)) <= 0.2


def engines(printed: Path, pages: list) -> None:  # type: ignore[type-arg]
    """Both engines on the same pages, one at a time (no parallelism): seconds and characters right per page."""
    import subprocess

    import numpy as np
    from pypdf import PdfReader

    truth = [plain(page.extract_text() or "") for page in PdfReader(str(printed)).pages]
    pages = pages[:3]

    def tesseract(image) -> str:  # type: ignore[no-untyped-def]
        lines = ocr._page_lines(ocr._prepared(image, "page"), "page")
        return "".join(line.text for line in lines)

    readers = {"tesseract": tesseract}
    try:
        from rapidocr_onnxruntime import RapidOCR

        engine = RapidOCR()
        readers["rapidocr"] = lambda image: "".join(r[1] for r in (engine(np.array(image.convert("RGB")))[0] or []))
    except ImportError:
        print("rapidocr: not installed (pip install rapidocr-onnxruntime to compare)")
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    print(f"engines on the same {len(pages)} pages at 300 dpi, one page at a time ({version}):")
    for name, read in readers.items():
        seconds, cpu, right = 0.0, 0.0, []
        for page, expected in zip(pages, truth):
            start, started = time.perf_counter(), _cpu()
            got = plain(read(page))
            seconds += time.perf_counter() - start
            cpu += _cpu() - started
            right.append(1 - Levenshtein.distance(got, expected) / max(len(expected), 1))
        print(f"  {name:10} {seconds / len(pages):6.2f} s/page ({cpu / len(pages):5.2f} cpu s)  "
              f"chars right {sum(right) / len(right):.3f}")


if __name__ == "__main__":
    main()
