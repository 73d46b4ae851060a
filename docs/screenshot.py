"""Make docs/report.png, the README's picture of `yigai report`: the bundled samples, one cell opened;
docs/review.png, the same page in review: a few verdicts decided, a cell's panel with its controls; and
docs/overview.png, the overview of a report of 1,000 generated county lists (bench/corpus.py).

Run from the repository root: `.venv/bin/python docs/screenshot.py` (needs Debian's chromium and
chromium-driver, and a Chinese font such as fonts-wqy-microhei for the glyphs).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import browser  # noqa: E402
from yigai_cli.main import main  # noqa: E402

SAMPLES = Path("data/samples")  # relative: the page shows the paths it was given
PAGE = SAMPLES / "national-2022_guangxi-2023.txt"


def _save(png: bytes, target: Path) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.resize((image.width * 2 // 3, image.height * 2 // 3), Image.LANCZOS)
    image = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    image.save(target, optimize=True)
    print(f"{target}: {image.width}x{image.height}, {target.stat().st_size / 1024:.0f} KB")


def shoot_review(target: Path) -> None:
    """The one-comparison report of 四川 2021 in review: a pair rejected, one regraded, the panel open."""
    from selenium.webdriver.common.by import By

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "review.html"
        assert main(["report", f"{PAGE}#1", str(SAMPLES / "sichuan-2021.txt"), "-o", str(report)]) == 0
        with browser.chromium(1500, 950) as driver:
            driver.get(report.as_uri())
            driver.execute_script("localStorage.clear(); localStorage.setItem('yigai-reviewer', '王')")
            driver.get(report.as_uri())
            blocks = '#panel .pair button[data-verb="{}"]'
            for national, verb in ((3, "reject"), (7, "partial"), (8, "confirm")):
                driver.find_element(By.CSS_SELECTOR, f'#heatmap tbody tr[data-n="{national}"] td.g[data-c="0"]').click()
                driver.find_element(By.CSS_SELECTOR, blocks.format(verb)).click()
            note = driver.find_element(By.CSS_SELECTOR, "#panel .pair .note-input")
            note.send_keys("写明了集采结余留用")
            driver.find_element(By.CSS_SELECTOR, "#panel h3").click()  # the note is kept when it loses focus
            driver.execute_script("window.scrollTo(0, 0); document.getElementById('queue').open = true")
            png = driver.get_screenshot_as_png()
    _save(png, target)


def shoot(target: Path) -> None:
    from selenium.webdriver.common.by import By

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.html"
        refs = [f"{PAGE}#2", str(SAMPLES / "sichuan-2021.txt"), str(SAMPLES / "city-2023-draft.txt"),
                str(SAMPLES / "baokang-county-2017.txt"), str(SAMPLES / "provinces-2024-roundup.txt")]
        assert main(["report", f"{PAGE}#1", *refs, "--sort", "level", "-o", str(report)]) == 0
        with browser.chromium(1500, 950) as driver:
            driver.get(report.as_uri())
            driver.find_element(By.ID, "heat").location_once_scrolled_into_view  # noqa: B018
            cell = driver.find_element(By.CSS_SELECTOR, '#heatmap tbody tr[data-n="7"] td.g[data-c="1"]')
            cell.click()
            driver.execute_script("window.scrollTo(0, document.getElementById('heat').offsetTop - 40)")
            png = driver.get_screenshot_as_png()
    _save(png, target)


def shoot_overview(target: Path) -> None:
    """The top of a report of 1,000 documents: the jurisdictions ranked, the spread, topics by level."""
    from bench.corpus import generate

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "counties"
        folder.mkdir()
        generate(folder, 1000)
        report = Path(tmp) / "overview.html"
        assert main(["report", f"{PAGE}#1", str(folder), "--sort", "coverage", "-o", str(report)]) == 0
        with browser.chromium(1500, 950) as driver:
            driver.get(report.as_uri())
            driver.execute_script("window.scrollTo(0, document.querySelector('.controls').offsetTop)")
            png = driver.get_screenshot_as_png()
    _save(png, target)


if __name__ == "__main__":
    os.chdir(ROOT)
    shoot(ROOT / "docs" / "report.png")
    shoot_review(ROOT / "docs" / "review.png")
    shoot_overview(ROOT / "docs" / "overview.png")
