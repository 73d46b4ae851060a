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
from pathlib import Path

import pytest

from yigai.documents import read_documents
from yigai.errors import InputError

from . import hostile
from .conftest import CITY, NATIONAL

ROOT = Path(__file__).resolve().parent.parent


def _cost(path: Path) -> float:
    """Least of three timings of reading `path` (the least is the one least disturbed by the machine)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        try:
            read_documents(path)
        except InputError:
            pass
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("shape", hostile.SHAPES)
def test_reading_time_grows_linearly(tmp_path, shape):
    size = hostile.SHAPES[shape][0] // 4  # a quarter of the benchmark sizes: enough to tell 2x from 4x
    small, large = hostile.write(shape, size, tmp_path), hostile.write(shape, 2 * size, tmp_path)
    _cost(small)  # imports and caches warm up once, outside the measurement
    floor = 0.02  # below this the clock's and the allocator's noise dominate the ratio
    ratio = max(_cost(large), floor) / max(_cost(small), floor)
    assert ratio < 3.0, f"{shape}: twice the input took {ratio:.1f} times as long"


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
