"""Make docs/compare-80.txt and docs/compare-80.png, the README's picture of `yigai compare` in an
80-column terminal: tmux runs it, `tmux capture-pane` keeps what the terminal shows.

Run from the repository root after `make install`: `.venv/bin/python docs/terminal.py` (needs Debian's tmux;
for the PNG, chromium, chromium-driver and a Chinese font such as fonts-wqy-microhei).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import browser  # noqa: E402

PAGE = "data/samples/national-2022_guangxi-2023.txt"  # relative: the capture shows the paths it was given
COMMAND = f"export COLUMNS=80 FORCE_COLOR=1; clear; .venv/bin/yigai compare {PAGE}#1 {PAGE}#2 2>/dev/null | head -n 36; sleep 30"
COLUMNS, ROWS = 80, 38
SESSION = f"yigai-docs-{os.getpid()}"


def capture() -> tuple[str, str]:
    """What an 80-column terminal shows: as plain text, and with its colours (ANSI)."""
    env = {**os.environ, "TERM": "xterm-256color"}
    subprocess.run(["tmux", "new-session", "-d", "-s", SESSION, "-x", str(COLUMNS), "-y", str(ROWS), "-c", str(ROOT)],
                   check=True, env=env)
    try:
        # `| head` makes stdout a pipe: FORCE_COLOR keeps rich's colours, COLUMNS its width
        subprocess.run(["tmux", "send-keys", "-t", SESSION, COMMAND, "Enter"],
                       check=True)
        time.sleep(6)
        plain = subprocess.run(["tmux", "capture-pane", "-p", "-t", SESSION], check=True, capture_output=True,
                               text=True).stdout
        ansi = subprocess.run(["tmux", "capture-pane", "-p", "-e", "-t", SESSION], check=True, capture_output=True,
                              text=True).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], check=False)
    return plain, ansi


def png(ansi: str, target: Path) -> None:
    from PIL import Image
    from rich.console import Console
    from rich.terminal_theme import MONOKAI
    from rich.text import Text

    console = Console(record=True, width=COLUMNS, file=io.StringIO(), color_system="truecolor")
    console.print(Text.from_ansi(ansi.rstrip("\n")), soft_wrap=True)
    page = console.export_html(inline_styles=True, theme=MONOKAI, code_format=(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>body {{ margin: 0; background: {background}; }}"
        "pre {{ margin: 12px; color: {foreground}; font: 15px/1.25 'WenQuanYi Micro Hei Mono', monospace; }}"
        "</style></head><body><pre>{code}</pre></body></html>"))
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "terminal.html"
        html.write_text(page, encoding="utf-8")
        with browser.chromium(COLUMNS * 9 + 120, ROWS * 19 + 140) as driver:
            driver.get(html.as_uri())
            shot = driver.get_screenshot_as_png()
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    box = image.getbbox()
    image = image.crop((0, 0, image.width, min(image.height, (box[3] if box else image.height) + 12)))
    image = image.quantize(colors=32, method=Image.Quantize.MEDIANCUT)
    image.save(target, optimize=True)
    print(f"{target}: {image.width}x{image.height}, {target.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    os.chdir(ROOT)
    plain, ansi = capture()
    text = ROOT / "docs" / "compare-80.txt"
    text.write_text("\n".join(line.rstrip() for line in plain.rstrip("\n").split("\n")) + "\n", encoding="utf-8")
    print(f"{text}: {len(plain.splitlines())} lines")
    if browser.missing() is None:
        png(ansi, ROOT / "docs" / "compare-80.png")
    else:
        print(f"no PNG: {browser.missing()}")
