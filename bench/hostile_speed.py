"""Reading time of each hostile shape (tests/hostile.py) at two sizes, and their ratio (2.0 is linear); then
the time each input of the command battery (tests/test_hostile.py's BATTERY) takes to end in each command.

Each case runs in its own process with a time limit, so a shape that still backtracks shows as a timeout
instead of hanging the run. Prints numbers; asserts nothing. Run: `make bench` or
`python bench/hostile_speed.py [--timeout SECONDS] [--scale K] [--no-battery]` (K multiplies every size).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import SHAPES, write  # noqa: E402

_READ = """
import sys
from yigai.documents import read_documents
from yigai.errors import InputError
try:
    read_documents(sys.argv[1])
except InputError as exc:
    print(exc.line()[-80:])
"""


def timed(path: Path, timeout: float) -> tuple[float | None, str]:
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", _READ, str(path)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    elapsed = time.perf_counter() - start
    note = (done.stdout.strip() or done.stderr.strip().splitlines()[-1:] and done.stderr.strip().splitlines()[-1] or "")
    return elapsed, note[:70]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--no-battery", action="store_true", help="only the reading times of the shapes")
    args = parser.parse_args()
    baseline, _ = timed(write("numbered items", 2, Path(tempfile.mkdtemp())), args.timeout)  # interpreter start-up
    print(f"hostile shapes (seconds per read, process start-up {baseline:.2f} s included; ratio of the work above it)")
    with tempfile.TemporaryDirectory() as folder:
        for name, (size, _) in SHAPES.items():
            n = max(1, int(size * args.scale))
            small, note = timed(write(name, n, Path(folder)), args.timeout)
            large, note2 = timed(write(name, 2 * n, Path(folder)), args.timeout)
            show = lambda t: f"{t:7.2f}" if t is not None else f">{args.timeout:5.0f}s"  # noqa: E731
            ratio = ""
            if small is not None and large is not None and baseline is not None:
                ratio = f"{max(large - baseline, 0.01) / max(small - baseline, 0.01):5.1f}"
            print(f"  {name:28} n={n:>9,}: {show(small)}  2n: {show(large)}  ratio {ratio:>5}  {note2 or note}")


def battery(timeout: float) -> None:
    """Each battery input through the real command, in a process of its own: seconds and exit status."""
    from tests.test_hostile import BATTERY, COMMANDS, _as_local

    print(f"command battery (seconds to the end, exit status; {', '.join(COMMANDS)})")
    for case, (build, _, commands) in BATTERY.items():
        cells = []
        for command in COMMANDS:
            if command not in commands:
                cells.append("      -")
                continue
            with tempfile.TemporaryDirectory() as folder:
                ref, options = build(Path(folder))
                args = [sys.executable, "-m", "yigai_cli", *_as_local(command, ref, Path(folder)), *options]
                start = time.perf_counter()
                try:
                    done = subprocess.run(args, capture_output=True, timeout=timeout)
                    cells.append(f"{time.perf_counter() - start:5.1f}/{done.returncode}")
                except subprocess.TimeoutExpired:
                    cells.append(f">{timeout:4.0f}s")
        print(f"  {case:36} " + " ".join(cells))


if __name__ == "__main__":
    main()
    if "--no-battery" not in sys.argv:
        battery(30.0)
