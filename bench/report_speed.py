"""Report size, write time and browser time: `yigai report` for the 32-jurisdiction round-up and for 1,000 and
10,000 generated local documents (more with --sizes 1000,10000,30000), opened in headless Chromium.

Prints, for each: the page's size; the time to gather and write it, as wall time and as CPU time (the yigai
process and its workers: the machine is shared, so CPU time is the figure to compare); the writing process's
peak memory (its own resident set, not its workers'); and what the browser measured (milliseconds since
navigation, the median of the loads): the page interactive (its script done, `yigai-ready`), the load event,
and the time to sort 10,000 or more columns by coverage. Asserts nothing. Aims (issue 23): at 10,000
documents written in <= 30 s, <= 30 MB, interactive in <= 3 s; 30,000 open and sort.

    python bench/report_speed.py                 # round-up, 1,000 and 10,000
    python bench/report_speed.py --sizes 30000 --runs 1
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402
from tests import browser  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
NATIONAL = f"{SAMPLES / 'national-2022_guangxi-2023.txt'}#1"

# The report written in a process of its own, which says what it cost: wall and CPU seconds (its own and its
# workers'), its peak resident set (ru_maxrss: KiB on Linux).
WRITE = """
import json, resource, sys, time
from yigai_cli.main import main
start = time.perf_counter()
status = main(sys.argv[1:])
wall = time.perf_counter() - start
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"status": status, "wall": wall, "cpu": me.ru_utime + me.ru_stime,
                  "workers": kids.ru_utime + kids.ru_stime, "peak": me.ru_maxrss / 1024}))
"""

TIMINGS = """
const nav = performance.getEntriesByType('navigation')[0];
const ready = performance.getEntriesByName('yigai-ready')[0];
return [ready ? ready.startTime : -1, nav.loadEventEnd, document.querySelectorAll('#heatmap td.g').length];
"""

SORT = """
const select = document.getElementById('sort');
const start = performance.now();
select.value = arguments[0];
select.dispatchEvent(new Event('change'));
document.body.getBoundingClientRect();  // the layout the change asks for, done
return performance.now() - start;
"""


def write(refs: list[str], out: Path) -> dict[str, float] | None:
    done = subprocess.run([sys.executable, "-c", WRITE, "report", NATIONAL, *refs, "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0 or not done.stdout.strip():
        print(f"  yigai report failed: {done.stderr.strip()[-400:]}")
        return None
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def open_in_chromium(out: Path, runs: int, sort: bool) -> None:
    with browser.chromium() as driver:
        from selenium.webdriver.support.ui import WebDriverWait

        measured = []
        for _ in range(runs):
            opened = time.perf_counter()
            driver.get(out.as_uri())
            WebDriverWait(driver, 300).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))
            wall = (time.perf_counter() - opened) * 1000
            ready, load, cells = driver.execute_script(TIMINGS)
            measured.append((ready, load, wall))
        ready, load, wall = sorted(measured)[len(measured) // 2]
        print(f"  in Chromium (median of {runs}): interactive {ready:.0f} ms, load {load:.0f} ms "
              f"(driver's wall clock {wall:.0f} ms), {cells} cells drawn", flush=True)
        if sort:
            from selenium.common.exceptions import TimeoutException

            driver.set_script_timeout(120)
            took = []
            for how in ("coverage", "name", "given"):
                try:
                    took.append(f"by {how} {driver.execute_script(SORT, how):.0f} ms")
                except TimeoutException:
                    took.append(f"by {how} > 120 s (stopped)")
                    break
            print("  sorted " + ", ".join(took), flush=True)
        errors = browser.errors(driver)
        if errors:
            print(f"  JS errors: {errors}")


def measure(name: str, refs: list[str], out: Path, runs: int, sort: bool = True) -> None:
    figures = write(refs, out)
    if figures is None:
        return
    size = out.stat().st_size
    print(f"{name}: {size / 1e6:.2f} MB; written in {figures['wall']:.1f} s wall, CPU {figures['cpu']:.1f} s "
          f"(+ {figures['workers']:.1f} s in workers); peak memory of the writing process {figures['peak']:.0f} MiB",
          flush=True)
    reason = browser.missing()
    if reason:
        print(f"  no browser timing ({reason})")
        return
    open_in_chromium(out, runs, sort=sort)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="numbers of generated local documents (comma-separated)")
    parser.add_argument("--runs", type=int, default=3, help="page loads per report (the median is shown)")
    parser.add_argument("--no-roundup", action="store_true", help="skip the 32-jurisdiction round-up")
    parser.add_argument("--keep", help="a folder for the generated documents and the pages, kept (and used again)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as made:
        tmp = Path(args.keep or made)
        if not args.no_roundup:
            measure("report, round-up (32 jurisdictions)", [str(SAMPLES / "provinces-2024-roundup.txt")],
                    tmp / "roundup.html", args.runs, sort=False)
        for size in sizes:
            folder = tmp / f"locals-{size}"
            if not folder.is_dir():  # (a kept folder is used again: the corpus is the same for the same size)
                folder.mkdir()
                generate(folder, size)
            measure(f"report, {size:,} local documents", [str(folder)], tmp / f"report-{size}.html", args.runs)


if __name__ == "__main__":
    main()
