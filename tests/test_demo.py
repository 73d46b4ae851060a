"""`make demo` as a newcomer sees it: no warning from yigai, the report's path, and three commands to try next
that run as printed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _variables() -> dict[str, str]:
    found = dict(re.findall(r"^(\w+)\s*\??=\s*(.*?)\s*$", MAKEFILE, re.MULTILINE))
    return {**found, "BIN": ".venv/bin", "VENV": ".venv", "CURDIR": str(ROOT)}


def _expand(line: str) -> str:
    names = _variables()
    return re.sub(r"\$\((\w+)\)", lambda m: names[m[1]], line)


def _recipe(target: str) -> list[str]:
    block = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", MAKEFILE, re.MULTILINE)
    assert block is not None
    return [_expand(line.strip()) for line in block[1].splitlines()]


def test_demo_ends_with_the_report_and_three_commands():
    echoed = [line.removeprefix("@echo").strip().strip('"') for line in _recipe("demo") if line.startswith("@echo")]
    report = _variables()["REPORT"]
    assert echoed[-5] == f"The report: {ROOT}/{report} (open it in a browser)"
    assert all(line.startswith("  yigai ") for line in echoed[-3:])
    assert not report.startswith(".") and report in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def _commands() -> list[list[str]]:
    """The yigai commands the demo runs and the three it suggests, as argument lists (the suggestion's
    description, after three spaces, dropped)."""
    runs = [shlex.split(line)[1:] for line in _recipe("demo") if line.startswith(".venv/bin/yigai ")]
    suggested = [line.removeprefix("@echo").strip().strip('"').strip() for line in _recipe("demo")
                 if line.startswith('@echo "  yigai ')]
    return runs + [shlex.split(line.split("   ")[0])[1:] for line in suggested]


def test_every_demo_command_runs_without_a_warning(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    commands = _commands()
    assert len(commands) == 6
    for args in commands:
        args = [str(tmp_path / "report.html") if a == _variables()["REPORT"] else a for a in args]
        result = cli(*args)
        assert result.err == "" and result.status in (0, 1), (args, result.err)
        if args[0] == "check":
            assert result.status == 1 and "FAIL  coverage" in result.out  # the city draft covers less than 80%
