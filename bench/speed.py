"""Speed, in one run: start-up against the bare import floor, matrix against parse of the same files (documents/s,
CPU a document, documents per CPU-second), reading and aligning apart, parse MB/s.

Every figure runs the installed command in a fresh process, as a user runs it. CPU time counts the process and
every worker it starts (the machine may be shared: CPU time does not depend on who else runs, wall time does);
memory is the sum of the peak resident sizes of all those processes. Medians over several runs where a run is
short. The documents are generated, seeded (bench/corpus.py): anyone can rerun this and get the same files.
Prints numbers; asserts nothing. Run: `make bench` or `python bench/speed.py [--quick]`; the matrix's memory alone
(at 3,000 and 30,000 documents, or YIGAI_BENCH_MATRIX_MEMORY=N,N): `python bench/speed.py --memory`.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from corpus import SAMPLES, generate, texts

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.peak import PARENT_PEAK, PEAK_FILE  # noqa: E402  (the parent's own peak, told at exit)

PAGE = SAMPLES / "national-2022_guangxi-2023.txt"
NATIONAL = f"{PAGE}#1"
YIGAI = [sys.executable, "-m", "yigai_cli"]
FLOOR = [sys.executable, "-c", "import typer, rich, rapidfuzz, yaml, numpy"]
# yigai in a process that tells, at exit, the CPU seconds it spent itself, not its workers: what a matrix's parent
# costs (receiving the columns, keeping them in the cache, writing the output), apart from the workers' reading
# and aligning. Workers end by os._exit: they tell nothing.
PARENT_CPU_FILE = "YIGAI_BENCH_PARENT_CPU"
PARENT_CPU = f"""\
import atexit, os, resource, sys
def _cpu():
    used = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["{PARENT_CPU_FILE}"], "w") as handle:
        handle.write(repr(used.ru_utime + used.ru_stime))
atexit.register(_cpu)
sys.argv[0] = "yigai"
from yigai_cli.main import run
run()
"""


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # user + system, the process and all its workers
    peak_mib: float  # sum over the processes of each one's peak resident size


def _tree(root: int) -> list[int]:
    """root and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _peak_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# As installed: compiled modules kept (here in a folder of their own, so the checkout stays clean), whatever
# the calling shell says about writing bytecode.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "yigai-bench-pycache")


def run(args: list[str], watch_memory: bool = False, env: dict[str, str] | None = None) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or ENV)
    peaks: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            for pid in _tree(process.pid):
                peaks[pid] = max(peaks.get(pid, 0), _peak_kib(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if watch_memory:
        sampler.start()
    _, err = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    if watch_memory:
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode:
        raise SystemExit(f"{' '.join(args[:6])} … failed ({process.returncode}): {err.decode(errors='replace')[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = sum(peaks.values()) if peaks else after.ru_maxrss
    return Run(wall, cpu, peak / 1024)


def median(args: list[str], times: int, env: dict[str, str] | None = None) -> Run:
    run(args, env=env)  # compiles what was not compiled yet
    runs = [run(args, env=env) for _ in range(times)]
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs), 0.0)


def startup(times: int) -> None:
    floor = median(FLOOR, times)
    lean = median(FLOOR, times, env={**ENV, "OPENBLAS_NUM_THREADS": "1"})
    print(f"start-up (median of {times}):")
    print(f"  bare import floor (typer, rich, rapidfuzz, yaml, numpy): wall {floor.wall * 1000:6.0f} ms  "
          f"CPU {floor.cpu * 1000:6.0f} ms  (with one OpenBLAS thread, as yigai runs: wall {lean.wall * 1000:.0f} ms, "
          f"CPU {lean.cpu * 1000:.0f} ms)")
    for label, args in (("compare --format json", ["compare", NATIONAL, f"{PAGE}#2", "--format", "json"]),
                        ("compare (table)", ["compare", NATIONAL, f"{PAGE}#2"]),
                        ("parse sichuan --format json", ["parse", str(SAMPLES / "sichuan-2021.txt"), "--format", "json"]),
                        ("--help", ["--help"])):
        r = median([*YIGAI, *args], times)
        print(f"  yigai {label:<32} wall {r.wall * 1000:6.0f} ms  CPU {r.cpu * 1000:6.0f} ms  "
              f"= {r.wall / floor.wall:.2f}x the floor's wall, {r.cpu / floor.cpu:.2f}x its CPU "
              f"({r.cpu / lean.cpu:.2f}x the one-thread floor's CPU)")


def matrix_vs_parse(counts: list[int], times: int = 3) -> None:
    print(f"matrix against parse of the same generated files (national 2022 x N local documents; median of {times}, "
          "matrix and parse taking turns):")
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "locals"
            folder.mkdir()
            paths = generate(folder, count)
            matrices, parses, parents = [], [], []
            for _ in range(times):
                told = Path(tmp) / "parent-cpu"
                matrices.append(run([sys.executable, "-c", PARENT_CPU, "matrix", NATIONAL, str(folder), "--format", "json",
                                     "--no-cache"],  # every run aligns
                                    watch_memory=True, env={**ENV, PARENT_CPU_FILE: str(told)}))
                parents.append(float(told.read_text()))
                parses.append(run([*YIGAI, "parse", *paths, "--format", "json"], watch_memory=True))
        matrix, parse = (Run(statistics.median(r.wall for r in rs), statistics.median(r.cpu for r in rs),
                             max(r.peak_mib for r in rs)) for rs in (matrices, parses))
        ratio = statistics.median(m.cpu / p.cpu for m, p in zip(matrices, parses))
        print(f"  N={count:5d}  matrix: wall {matrix.wall:6.1f} s = {count / matrix.wall:5.0f} docs/s (target: 1,000 on an "
              f"idle 2-core machine), CPU {matrix.cpu:6.1f} s = {matrix.cpu / count * 1000:.2f} ms a document = "
              f"{count / matrix.cpu:4.0f} documents per CPU-second, peak {matrix.peak_mib:5.0f} MiB (all processes)")
        parent = statistics.median(parents)
        print(f"  {'':7}  matrix's parent alone (receiving, writing; not its workers): CPU {parent:5.2f} s = "
              f"{parent / count * 1000:.2f} ms a document")
        print(f"  {'':7}  parse:  wall {parse.wall:6.1f} s, CPU {parse.cpu:6.1f} s, peak {parse.peak_mib:5.0f} MiB"
              f"   -> matrix CPU = {ratio:.2f}x parse CPU (runs: "
              f"{', '.join(f'{m.cpu / p.cpu:.2f}' for m, p in zip(matrices, parses))})")


def matrix_memory(counts: list[int], formats: tuple[str, ...] = ("json", "csv")) -> None:
    """The matrix's memory as N grows: the parent's peak (what it holds of the results) and all processes'; the
    targets: the parent at the largest N within 20% of it at the one before (and at most 150 MiB), all processes at
    most 400 MiB."""
    print("matrix memory (national 2022 x N generated local documents, --output FILE; one run each, the results cache"
          " in a folder of its own: the first format's run fills it, the next ones read it):")
    peaks: dict[tuple[int, str], tuple[float, float]] = {}
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "locals"
            folder.mkdir()
            generate(folder, count)
            for fmt in formats:
                out, peak_file = Path(tmp) / f"matrix.{fmt}", Path(tmp) / "peak"
                env = {**ENV, PEAK_FILE: str(peak_file), "YIGAI_CACHE_DIR": str(Path(tmp) / "cache")}
                r = run([sys.executable, "-c", PARENT_PEAK, "matrix", NATIONAL, str(folder), "-o", str(out)],
                        watch_memory=True, env=env)
                parent = int(peak_file.read_text()) / 1024
                peaks[count, fmt] = parent, r.peak_mib
                state = "cold" if fmt == formats[0] else "warm"
                print(f"  N={count:6d} {fmt:<5} {state} parent peak {parent:6.0f} MiB, all processes {r.peak_mib:6.0f} MiB, "
                      f"CPU {r.cpu:6.1f} s ({r.cpu / count * 1000:.2f} ms a document), wall {r.wall:6.1f} s, "
                      f"output {out.stat().st_size / 1024 / 1024:.1f} MB")
    if len(counts) >= 2:
        small, large = counts[-2:]
        for fmt in formats:
            (before, _), (after, everything) = peaks[small, fmt], peaks[large, fmt]
            print(f"  {fmt:<5} parent at N={large} = {after / before:.2f}x at N={small} (target: within 1.20x, at most "
                  f"150 MiB: {after:.0f}); all processes {everything:.0f} MiB (target: at most 400 MiB)")


def per_document(count: int) -> None:
    """In this process, one thread: what reading and aligning cost a document, apart (the matrix's two parts)."""
    from yigai.align import one_blas_thread, prepare
    from yigai.documents import read_ref
    from yigai.matrix import column
    from yigai.vocab import load_vocabulary

    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), count)
        national, vocabulary = read_ref(NATIONAL)[0], load_vocabulary()
        start = time.process_time()
        documents = [d for p in paths for d in read_ref(p)]
        read = time.process_time() - start
        prepare(national, vocabulary)
        with one_blas_thread():
            start = time.process_time()
            for document in documents:
                column(national, document, vocabulary)
            aligned = time.process_time() - start
    print(f"per document, {count} generated, one process (CPU): read {read / count * 1000:.2f} ms, "
          f"align and grade {aligned / count * 1000:.2f} ms (= {aligned / read:.1f}x reading); together "
          f"{(read + aligned) / count * 1000:.2f} ms = {count / (read + aligned):.0f} documents per CPU-second")


def parse_megabytes(sizes_mb: list[float], times: int) -> None:
    print(f"parse of one large file (distinct generated documents, one after another; median of {times}):")
    made = texts(int(max(sizes_mb) * 1024 * 1024 / 2000) + 10, seed=5)
    results = []
    for size in sizes_mb:
        target = int(size * 1024 * 1024)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"page-{size:g}mb.txt"
            chunks, total = [], 0
            for chunk in made:
                if total >= target:
                    break
                chunks.append(chunk)
                total += len(chunk.encode("utf-8"))
            data = "".join(chunks).encode("utf-8")[:target].decode("utf-8", errors="ignore")
            path.write_text(data, encoding="utf-8")
            r = median([*YIGAI, "parse", str(path), "--format", "json"], times)
            mb = path.stat().st_size / 1024 / 1024
        results.append((mb, r))
        print(f"  {mb:5.1f} MB: wall {r.wall:6.2f} s, CPU {r.cpu:6.2f} s = {mb / r.cpu:5.2f} MB per CPU second")
    if len(results) == 2:
        (small, a), (large, b) = results
        print(f"  {large:.0f} MB takes {b.cpu / a.cpu:.2f}x the CPU of {small:.0f} MB ({large / small:.1f}x the text)")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    if "--memory" in sys.argv:  # the matrix's memory alone (at 30,000 documents it takes minutes)
        counts = [int(n) for n in os.environ.get("YIGAI_BENCH_MATRIX_MEMORY", "").split(",") if n]
        matrix_memory(counts or [3000, 30000])
        sys.exit()
    startup(3 if quick else 7)
    matrix_vs_parse([200] if quick else [1000, 3000], 1 if quick else 3)
    counts = [int(n) for n in os.environ.get("YIGAI_BENCH_MATRIX_MEMORY", "").split(",") if n]
    matrix_memory(counts or ([60, 300] if quick else [300, 3000, 30000]))
    per_document(200 if quick else 1000)
    parse_megabytes([1, 4] if quick else [5, 19.9], 1 if quick else 3)
