"""Seeded fuzzing of `yigai parse`: mutated samples in every format; prints crashes and the slowest cases.

A crash is exit 3 (an internal error) or any exception out of the command; a bad input must end in exit 2
with one line. Mutations: byte flips, cuts, splices, inserted numbering, random CJK text and HTML fragments.
Besides the files themselves, the XML inside .docx and .xlsx files (re-zipped, so the mutation reaches the
reader rather than breaking the archive), a PDF's uncompressed page content, and the YAML files yigai reads
(--decisions, --vocab, run through compare) are mutated as text.
With `--commands`, each document that parses also goes through compare, matrix, check or diff in turn.
Prints numbers; asserts nothing, exits 1 when a case crashed. Run: `make fuzz` or
`python bench/fuzz.py [--cases N] [--seed S] [--commands]`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import render  # noqa: E402
from yigai_cli.main import main as yigai  # noqa: E402

SAMPLES = sorted((ROOT / "data" / "samples").glob("*.txt"))
NUMBERING = ["(一)", "(十二)", "(九十九)", "1.", "12.", "10000.", "一、", "二十、", "(3)", "一是", "二是", "(", ")", "负责"]
HTML = ["<div>", "</div>", "<p>", "</p>", "<!--", "-->", "<!---->", "<script>", "</script>", "<br/>", "&nbsp;", "<article>",
        "<table><tr><td>", "<![CDATA[", "<?xml?>", "<svg/>"]


def _cjk(rng: random.Random) -> str:
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(rng.randint(1, 40)))


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 10)):
        if not out:
            out += b"x"
        at = rng.randrange(len(out))
        choice = rng.random()
        if choice < 0.25:
            out[at] ^= 1 << rng.randrange(8)
        elif choice < 0.4:
            del out[at : at + rng.randint(1, 512)]
        elif choice < 0.55:
            other = rng.randrange(len(out))
            out[at:at] = out[other : other + rng.randint(1, 1024)] * rng.randint(1, 20)
        elif choice < 0.7:
            out[at:at] = ("\n" + rng.choice(NUMBERING) * rng.randint(1, 3)).encode()
        elif choice < 0.85:
            out[at:at] = _cjk(rng).encode()
        else:
            out[at:at] = rng.choice(HTML).encode() * rng.randint(1, 50)
    return bytes(out)


def mutate_text(text: str, rng: random.Random) -> str:
    """The same mutations, on characters: most byte-level ones only make text undecodable."""
    for _ in range(rng.randint(1, 10)):
        at = rng.randrange(len(text) + 1)
        choice = rng.random()
        if choice < 0.2:
            text = text[:at] + text[at + rng.randint(1, 300):]
        elif choice < 0.4:
            other = rng.randrange(len(text) + 1)
            text = text[:at] + text[other : other + rng.randint(1, 600)] * rng.randint(1, 20) + text[at:]
        elif choice < 0.65:
            text = text[:at] + "\n" + rng.choice(NUMBERING) * rng.randint(1, 3) + text[at:]
        elif choice < 0.85:
            text = text[:at] + _cjk(rng) + text[at:]
        else:
            text = text[:at] + rng.choice(HTML) * rng.randint(1, 50) + text[at:]
    return text


def seeds(folder: Path) -> list[tuple[str, bytes]]:
    found = []
    for sample in SAMPLES:
        text = sample.read_text(encoding="utf-8")
        found.append((".txt", sample.read_bytes()))
        found.append((".txt", text.encode("gb18030", errors="ignore")))  # (decoded as UTF-8 with U+FFFD when mutated as text)
        found.append((".html", render.to_html(text, folder / f"{sample.stem}.html").read_bytes()))
    city = (ROOT / "data" / "samples" / "city-2023-draft.txt").read_text(encoding="utf-8")
    found.append((".docx", render.to_docx(city, folder / "city.docx").read_bytes()))
    found.append((".pdf", render.to_pdf(city[:1500], folder / "city.pdf").read_bytes()))
    found.append((".xlsx", _task_workbook(folder / "tasks.xlsx").read_bytes()))
    return found


def _rezipped(data: bytes, part: str, rng: random.Random) -> bytes:
    """The Office file with one XML part mutated as text (the archive stays whole)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == part:
                body = mutate_text(body.decode("utf-8", errors="replace"), rng).encode("utf-8")
            target.writestr(info.filename, body)
    return out.getvalue()


def _raw_pdf() -> bytes:
    """A PDF with uncompressed pages of numbered lines: byte mutations reach the text operators."""
    from tests.hostile import pdf_bytes

    lines = b"".join(b"(%d. Reform of medical service prices, item %d.) Tj 0 -14 Td " % (k, k) for k in range(1, 30))
    return pdf_bytes([b"BT /F1 12 Tf 72 720 Td " + lines + b"ET"] * 2, compress=False)


def structured(folder: Path) -> list[tuple[str, str, bytes]]:
    """(kind, suffix, seed) for the mutations that keep a container whole: an XML part of a .docx or .xlsx,
    a PDF's raw page content, a decisions or vocabulary YAML."""
    city = (ROOT / "data" / "samples" / "city-2023-draft.txt").read_text(encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        yigai(["compare", NATIONAL, str(ROOT / "data" / "samples" / "city-2023-draft.txt"), "--format", "decisions"])
    vocab = ("topics:\n- topic: 价格\n  instruments:\n  - name: 医疗服务价格\n    aliases: [价格改革, 调价]\n"
             "    patterns: ['医疗服务价格[\\u4e00-\\u9fff]{1,3}']\n    senses:\n      调价: {needs: [医疗]}\n")
    return [("zip:word/document.xml", ".docx", render.to_docx(city, folder / "xml.docx").read_bytes()),
            ("zip:xl/worksheets/sheet1.xml", ".xlsx", _task_workbook(folder / "xml.xlsx").read_bytes()),
            ("raw", ".pdf", _raw_pdf()),
            ("yaml:--decisions", ".yaml", out.getvalue().encode("utf-8")),
            ("yaml:--vocab", ".yaml", vocab.encode("utf-8"))]


def _task_workbook(path: Path) -> Path:
    """A 重点任务分工表 as a workbook, from the city draft's items."""
    import openpyxl

    from yigai.documents import read_documents

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])
    for item in read_documents(ROOT / "data" / "samples" / "city-2023-draft.txt")[0].items:
        sheet.append([item.index, item.title, "市卫生健康委", "市医保局", "2023年12月底前"])
    workbook.save(path)
    return path


NATIONAL = f"{ROOT / 'data' / 'samples' / 'national-2022_guangxi-2023.txt'}#1"
SICHUAN = str(ROOT / "data" / "samples" / "sichuan-2021.txt")


def commands(path: Path) -> list[list[str]]:
    """What `--commands` runs on a case besides parse: the commands that align it, and a diff."""
    return [["compare", NATIONAL, str(path), "--format", "json"], ["matrix", NATIONAL, str(path), "--format", "csv"],
            ["check", NATIONAL, str(path), "--min-coverage", "0.5"], ["diff", SICHUAN, str(path), "--format", "json"]]


def run_case(path: Path, command: list[str] | None = None) -> tuple[int | str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status: int | str = yigai(command or ["parse", str(path), "--format", "json"])
    except BaseException as exc:  # noqa: BLE001 - anything escaping the command is a crash
        return f"{type(exc).__name__}", str(exc)[:200]
    return status, err.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--commands", action="store_true",
                        help="also run compare, matrix, check and diff on each case (one of them, in turn)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    crashes: list[str] = []
    timings: list[tuple[float, int, str, int]] = []
    outcomes = {"parsed": 0, "refused": 0}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["YIGAI_CACHE_DIR"] = str(folder / "cache")  # matrix's results cache: fuzzed too, never the user's
        pool = [("file", suffix, seed) for suffix, seed in seeds(folder)] + structured(folder)
        start = time.perf_counter()
        for case in range(args.cases):
            kind, suffix, seed = rng.choice(pool)
            if kind.startswith("zip:"):
                data = _rezipped(seed, kind[4:], rng)
            elif kind.startswith("yaml:") or (suffix in {".txt", ".html"} and rng.random() < 0.7):
                data = mutate_text(seed.decode("utf-8", errors="replace"), rng).encode("utf-8")
            else:
                data = mutate(seed, rng)
            if kind == "file":
                suffix = rng.choice([suffix, suffix, ".txt", ".html"])
            path = folder / f"case{case}{suffix}"
            path.write_bytes(data)
            began = time.perf_counter()
            if kind.startswith("yaml:"):  # a YAML file yigai reads beside the documents: through compare
                option = kind[5:]
                outcomes[option] = outcomes.get(option, 0) + 1
                status, err = run_case(path, ["compare", NATIONAL, str(ROOT / "data" / "samples" / "city-2023-draft.txt"),
                                              option, str(path), "--format", "json"])
                status = 0 if status == 0 and err.count("yigai: error") == 0 else status
            else:
                status, err = run_case(path)
            timings.append((time.perf_counter() - began, case, path.suffix, len(data)))
            if status == 0:
                outcomes["parsed"] += 1
            elif status == 2 and err.count("\n") == 1 and err.startswith("yigai: error: "):
                outcomes["refused"] += 1
            elif kind.startswith("yaml:") and status == 2 and err.strip().split("\n")[-1].startswith("yigai: error: "):
                outcomes["refused"] += 1  # (warnings on the entries read before the bad one may come first)
            else:
                crashes.append(f"case {case} ({path.suffix}, {len(data):,} bytes): {status}: {err.strip()[:160]}")
                (folder.parent / f"yigai-fuzz-crash-{args.seed}-{case}{path.suffix}").write_bytes(data)
            if args.commands and status == 0 and kind == "file":  # a document yigai reads: what the others make of it
                command = commands(path)[case % 4]
                status, err = run_case(path, command)
                outcomes[command[0]] = outcomes.get(command[0], 0) + 1
                # exit 1 is a check gate failing; warnings may come before an error line, never after it
                lines = err.strip().split("\n") if err.strip() else []
                if status not in (0, 1, 2) or (status == 2 and not lines[-1].startswith("yigai: error: ")):
                    crashes.append(f"case {case} ({command[0]}): {status}: {err.strip()[-160:]}")
                    (folder.parent / f"yigai-fuzz-crash-{args.seed}-{case}-{command[0]}{path.suffix}").write_bytes(data)
            path.unlink()
        total = time.perf_counter() - start
    timings.sort(reverse=True)
    aligned = ", ".join(f"{outcomes[c]} {c}" for c in ("compare", "matrix", "check", "diff", "--decisions", "--vocab")
                        if c in outcomes)
    print(f"fuzz: {args.cases} cases, seed {args.seed}, {total:.1f} s: {outcomes['parsed']} parsed, "
          f"{outcomes['refused']} refused in one line, {len(crashes)} crashed" + (f" (then {aligned})" if aligned else ""))
    for elapsed, case, suffix, size in timings[:3]:
        print(f"  slowest: case {case} ({suffix}, {size:,} bytes) {elapsed * 1000:.0f} ms")
    for crash in crashes:
        print(f"  CRASH {crash}")
    if crashes:
        print(f"  the crashing inputs are kept as {tempfile.gettempdir()}/yigai-fuzz-crash-{args.seed}-*")
        sys.exit(1)


if __name__ == "__main__":
    main()
