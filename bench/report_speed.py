"""Report size and browser time: `yigai report` for the 32-jurisdiction round-up and for 1,000 generated
local documents, opened in headless Chromium.

Prints, for each: the time to gather and write the page, its size, and what the browser measured
(milliseconds since navigation, the median of five loads): the page interactive, its script done
(`yigai-ready`), and the load event. Asserts nothing. Aims: < 2 s to interactive, < 15 MB.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402
from tests import browser  # noqa: E402
from yigai_cli.main import main  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
NATIONAL = f"{SAMPLES / 'national-2022_guangxi-2023.txt'}#1"

TIMINGS = """
const nav = performance.getEntriesByType('navigation')[0];
const ready = performance.getEntriesByName('yigai-ready')[0];
return [ready ? ready.startTime : -1, nav.loadEventEnd, document.querySelectorAll('td.g').length];
"""


def measure(name: str, refs: list[str], out: Path) -> None:
    start = time.perf_counter()
    status = main(["report", NATIONAL, *refs, "-o", str(out)])
    built = time.perf_counter() - start
    if status != 0:
        print(f"{name}: yigai report failed (exit {status})")
        return
    size = out.stat().st_size
    reason = browser.missing()
    if reason:
        print(f"{name}: {size / 1e6:.2f} MB, written in {built:.1f} s; no browser timing ({reason})")
        return
    with browser.chromium() as driver:
        from selenium.webdriver.support.ui import WebDriverWait

        runs = []
        for _ in range(5):
            opened = time.perf_counter()
            driver.get(out.as_uri())
            WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))
            wall = (time.perf_counter() - opened) * 1000
            ready, load, cells = driver.execute_script(TIMINGS)
            runs.append((ready, load, wall))
            errors = browser.errors(driver)
        ready, load, wall = sorted(runs)[len(runs) // 2]
    print(f"{name}: {size / 1e6:.2f} MB, {cells} cells, written in {built:.1f} s; in Chromium (median of 5): "
          f"interactive {ready:.0f} ms, load {load:.0f} ms (driver's wall clock {wall:.0f} ms)"
          + (f"; JS errors: {errors}" if errors else ""))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        measure("report, round-up (32 jurisdictions)", [str(SAMPLES / "provinces-2024-roundup.txt")], Path(tmp) / "roundup.html")
        folder = Path(tmp) / "locals"
        folder.mkdir()
        generate(folder, 1000)
        measure("report, 1,000 local documents", [str(folder)], Path(tmp) / "thousand.html")
