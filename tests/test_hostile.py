"""Hostile input costs time in proportion to its size, memory within bounds, and signals end a run cleanly.

The time tests compare each shape at two sizes (a ratio, not a wall-clock bound): a linear reader takes
about twice as long for twice the input, a quadratic one four times, an exponential one forever.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from yigai.documents import read_documents
from yigai.errors import InputError

from . import hostile
from .conftest import CITY, NATIONAL

ROOT = Path(__file__).resolve().parent.parent


def _cost(path: Path, runs: int = 3) -> float:
    """Least of `runs` timings of reading `path` (the least is the one least disturbed by the machine)."""
    import gc

    best = float("inf")
    for _ in range(runs):
        # The collector off while timing: late in a test session the heap holds everything earlier tests left, and
        # each full pass walks it, so a larger input (more allocations, more passes) looked superlinear. The
        # command itself collects rarely (main.run sets the thresholds), as here.
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        try:
            read_documents(path)
        except InputError:
            pass
        finally:
            elapsed = time.perf_counter() - start
            gc.enable()
        best = min(best, elapsed)
    return best


def _costs(small: Path, large: Path, rounds: int = 5) -> tuple[float, float]:
    """The least timing of each, measured in turns: a machine busy with other work slows both alike, instead of
    whichever happened to run while it was busy."""
    best_small = best_large = float("inf")
    for _ in range(rounds):
        best_small = min(best_small, _cost(small, 1))
        best_large = min(best_large, _cost(large, 1))
    return best_small, best_large


@pytest.mark.parametrize("shape", hostile.SHAPES)
def test_reading_time_grows_linearly(tmp_path, shape):
    size = hostile.SHAPES[shape][0] // 4  # a quarter of the benchmark sizes: enough to tell 2x from 4x
    small, large = hostile.write(shape, size, tmp_path), hostile.write(shape, 2 * size, tmp_path)
    _cost(small, 1)  # imports and caches warm up once, outside the measurement
    floor = 0.02  # below this the clock's and the allocator's noise dominate the ratio
    ratios = []
    for _ in range(3):  # a quadratic shape takes four times as long at every try; a busy machine's spike passes
        cost_small, cost_large = _costs(small, large)
        ratios.append(max(cost_large, floor) / max(cost_small, floor))
        if ratios[-1] < 3.0:
            break
    assert min(ratios) < 3.0, f"{shape}: twice the input took {', '.join(f'{r:.1f}' for r in ratios)} times as long"


def _run(args: list[str], memory: int | None = None, **kwargs) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        import resource

        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "yigai_cli", *args], capture_output=True, text=True, timeout=60,
                          preexec_fn=limit, env=env, **kwargs)


def _docx_bomb(path: Path, megabytes: int) -> Path:
    """A small .docx whose document part unpacks to `megabytes` of white space."""
    hostile_docx = hostile.docx_bytes(["(一)推进医改。", "(二)深化改革。"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(__import__("io").BytesIO(hostile_docx)) as template:
            for info in template.infolist():
                if info.filename != "word/document.xml":
                    archive.writestr(info, template.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                       b'wordprocessingml/2006/main"><w:body>')
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    return path


MEMORY_CAP = 1536 * 1024 * 1024  # the interpreter with yigai's imports needs some hundreds of megabytes


@pytest.mark.parametrize("case", ["docx bomb", "unclosed tags", "device"])
def test_bombs_end_in_one_line_under_a_memory_cap(tmp_path, case):
    if case == "docx bomb":
        doc, problem = _docx_bomb(tmp_path / "bomb.docx", 300), "unpacks to 300 MB, more than the 100 MB yigai reads"
    elif case == "unclosed tags":
        doc, problem = tmp_path / "tags.html", "HTML nests elements deeper than 512 levels"
        doc.write_bytes(b"<html><body>" + b"<span>" * 500_000)
    else:
        doc, problem = Path("/dev/zero"), "is a device, not a regular file"
    if case != "device":
        assert doc.stat().st_size < 4 * 1024 * 1024
    result = _run(["parse", str(doc)], memory=MEMORY_CAP)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and problem in result.stderr, result.stderr


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads worker processes from /proc (Linux)")
@pytest.mark.parametrize("signum, status, word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_a_signal_ends_a_parallel_matrix_at_once(tmp_path, signum, status, word):
    folder = tmp_path / "drafts"
    folder.mkdir()
    for k in range(400):  # enough work that the run is still going when the signal comes
        (folder / f"draft{k}.txt").write_bytes(CITY.read_bytes())
    out = tmp_path / "out" / "matrix.csv"
    out.parent.mkdir()
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    process = subprocess.Popen([sys.executable, "-c", "from yigai_cli.main import run; run()", "matrix", NATIONAL,
                                str(folder), "--format", "csv", "--output", str(out)],
                               stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 30
    while not _children(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    workers = _children(process.pid)
    assert workers and process.poll() is None, "the matrix finished before it could be interrupted"
    sent = time.monotonic()
    process.send_signal(signum)
    err = process.communicate(timeout=30)[1]
    took = time.monotonic() - sent
    assert process.returncode == status and err == f"yigai: error: {word}\n", (process.returncode, err)
    assert took < 5, f"took {took:.1f} s to stop"  # about 0.1 s when measured; generous for a loaded machine
    assert list(out.parent.iterdir()) == []
    time.sleep(0.2)
    assert [pid for pid in workers if _alive(pid)] == []


# ---------------------------------------------------------------- one battery for every command
# Each hostile input, as a document, a --decisions or --vocab file, a glob or a selector, against all six commands:
# one line, exit 2, the problem named, no temporary file. (The time each takes is bench/hostile_speed.py's.)

COMMANDS = ("parse", "compare", "matrix", "check", "diff", "report")


def _as_local(command: str, ref: str, tmp: Path) -> list[str]:
    """`command` run with `ref` where a document goes (LOCAL, or NEW for diff)."""
    out = ["-o", str(tmp / "out.html")] if command == "report" else ["--min-coverage", "0.1"] if command == "check" else []
    return {"parse": ["parse", ref], "diff": ["diff", str(CITY), ref]}.get(command, [command, NATIONAL, ref]) + out


def _document(suffix: str, data: bytes) -> Callable[[Path], tuple[str, list[str]]]:
    def build(tmp: Path) -> tuple[str, list[str]]:
        path = tmp / f"hostile{suffix}"
        path.write_bytes(data)
        return str(path), []
    return build


def _with_option(option: str, text: str) -> Callable[[Path], tuple[str, list[str]]]:
    def build(tmp: Path) -> tuple[str, list[str]]:
        path = tmp / "hostile.yaml"
        path.write_text(text, encoding="utf-8")
        return str(CITY), [option, str(path)]
    return build


def _big_decisions(tmp: Path) -> tuple[str, list[str]]:
    path = tmp / "big.yaml"
    entry = "- {action: confirm, national: 1, local: 1, note: '" + "备注" * 40 + "'}\n"
    path.write_text("decisions:\n" + entry * 30_000, encoding="utf-8")
    assert path.stat().st_size > 4 * 1024 * 1024
    return str(CITY), ["--decisions", str(path)]


def _many_decisions(tmp: Path) -> tuple[str, list[str]]:
    path = tmp / "many.yaml"
    path.write_text("decisions:\n" + "- {action: confirm, national: 1, local: 1}\n" * 10_001, encoding="utf-8")
    return str(CITY), ["--decisions", str(path)]


def _shadow_like(tmp: Path) -> tuple[str, list[str]]:
    path = tmp / "shadow.yaml"
    path.write_text("root:$6$c2VjcmV0$aGFzaA:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n", encoding="utf-8")
    return str(CITY), ["--decisions", str(path)]


def _glob_loop(tmp: Path) -> tuple[str, list[str]]:
    folder = tmp / "g"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "city.txt").write_bytes(CITY.read_bytes())
    (folder / "loop").symlink_to(".")
    (folder / "a" / "up").symlink_to("..")
    return f"{folder}/**/*.txt", []


_VOCAB = "topics:\n- topic: 价格\n  instruments:\n  - name: 囧改革\n    patterns: ['{0}']\n"
_DECISION = "decisions:\n- action: {0}\n  national: 1\n  local: 1\n"

# case -> (builder of (LOCAL ref, extra options), words of the one-line problem, commands it applies to)
BATTERY: dict[str, tuple[Callable[[Path], tuple[str, list[str]]], str, tuple[str, ...]]] = {
    "<div/> x 100,000": (_document(".html", b"<html><body>" + b"<div/>" * 100_000 + b"</body></html>"),
                         "HTML nests elements deeper than 512 levels", COMMANDS),
    "table of 20,000 rows": (_document(*hostile._table(20_000)), "HTML holds more than 10,000 table rows", COMMANDS),
    "pdf of 10,000 pages": (_document(".pdf", hostile.pdf_bytes([hostile.pdf_page(1)] * 10_000)),
                            "PDF has 10,000 pages, more than the 500", COMMANDS),
    "pdf page of 500,000 operators": (_document(".pdf", hostile.pdf_bytes([hostile.pdf_page(500_000)])),
                                      "PDF page 1 draws", COMMANDS),
    "pdf of 60,000 operators": (_document(".pdf", hostile.pdf_bytes([hostile.pdf_page(20_000)] * 3)),
                                "PDF holds more than 50,000 text operators", COMMANDS),
    "50,000 numbered items": (_document(".txt", "".join(f"{k}.推进第{k}项改革。\n" for k in range(1, 50_001)).encode()),
                              "holds 50,000 numbered items, more than the 20,000", COMMANDS),
    "prose of 3 MB": (_document(".txt", ("推进医疗服务价格改革,开展集中带量采购。" * 60_000).encode()),
                      "sentences, more than the 20,000", COMMANDS),
    "empty selector": (lambda tmp: (f"{CITY}#", []), "empty selector after '#'", COMMANDS),
    "blank selector": (lambda tmp: (f"{CITY}# ", []), "empty selector after '#'", COMMANDS),
    "overlapping alternation": (_with_option("--vocab", _VOCAB.format("(?:[一-龥]|[一-龥]){0,40}囧")),
                                "repeats an alternation", COMMANDS[1:]),
    "vocabulary date 2024-02-30": (_with_option("--vocab", "topics:\n- topic: 价格\n  instruments:\n  - name: 改革\n"
                                                           "    aliases: [2024-02-30]\n"),
                                   "no valid date or number", COMMANDS[1:]),
    "decisions when 2024-13-45": (_with_option("--decisions", _DECISION.format("confirm") + "  when: 2024-13-45\n"),
                                  "no valid date or number", COMMANDS[1:]),
    "decisions of 5,000 digits": (_with_option("--decisions", _DECISION.format("confirm").replace("national: 1",
                                                                                                   "national: " + "9" * 5000)),
                                  "no valid date or number", COMMANDS[1:]),
    "decisions [ x 50,000": (_with_option("--decisions", "decisions: " + "[" * 50_000), "YAML nests too deep", COMMANDS[1:]),
    "decisions forging a line": (_with_option("--decisions", _DECISION.format('"conf\\nyigai: error: forged"')),
                                 "unknown action 'conf yigai: error: forged'", COMMANDS[1:]),
    "decisions of 100,000 characters": (_with_option("--decisions", _DECISION.format("x" * 100_000)), "unknown action 'xxx",
                                        COMMANDS[1:]),
    "decisions of 4 MB": (_big_decisions, "decisions file is larger than 2 MB", COMMANDS[1:]),
    "10,001 decisions": (_many_decisions, "holds 10,001 decisions, more than the 10,000", COMMANDS[1:]),
    "decisions that are a password file": (_shadow_like, "unknown top-level key (not a key name)", COMMANDS[1:]),
    "glob over link loops": (_glob_loop, "", ("matrix", "report")),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", BATTERY)
def test_every_hostile_input_is_one_line_and_exit_2_in_every_command(cli, tmp_path, case, command):
    build, problem, commands = BATTERY[case]
    if command not in commands:
        pytest.skip(f"{command} takes no such input")
    ref, options = build(tmp_path)
    result = cli(*_as_local(command, ref, tmp_path), *options)
    if case == "glob over link loops":  # a valid input: read once each, the loops not followed
        assert result.status == 0, result.err
        return
    assert result.status == 2, (result.status, result.err[-300:])
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("yigai: error: ") and problem in lines[0], result.err[-300:]
    assert len(lines[0]) < 600 and "root:" not in lines[0] and "$6$" not in lines[0]
    assert not (tmp_path / "out.html").exists()
    assert not [p for p in tmp_path.rglob(".yigai-*")]


def test_matrix_reads_no_output_of_yigai_in_its_folders(cli, tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "city.txt").write_bytes(CITY.read_bytes())
    for name in ("m.txt", "m.csv", "m.md", "m.json", "m.xlsx"):
        assert cli("matrix", NATIONAL, folder, "-o", folder / name).status == 0
    assert cli("compare", NATIONAL, folder / "city.txt", "-o", folder / "c.csv").status == 0
    assert cli("parse", folder / "city.txt", "-o", folder / "p.txt").status == 0
    assert cli("report", NATIONAL, folder, "-o", folder / "r.html").status == 0
    for local in (folder, f"{folder}/*", f"{folder}/**"):
        result = cli("matrix", NATIONAL, local, "-f", "json")
        assert result.status == 0, result.err
        assert [c["source"] for c in result.json()["columns"]] == [f"{folder / 'city.txt'}#1"]


def test_a_docx_numbering_level_past_words_is_no_numbering(tmp_path):
    path = tmp_path / "levels.docx"
    path.write_bytes(hostile.docx_bytes(["(一)推进医改。", "(二)深化改革。", "开展试点。"], level=50_000_000))
    documents = read_documents(path)
    assert [item.label for item in documents[0].items] == ["(一)", "(二)"]
