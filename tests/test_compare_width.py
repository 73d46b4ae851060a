"""`yigai compare` at the terminal's width: one block per national item below 120 columns, the table from 120."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rich.cells import cell_len

from .conftest import BAOKANG, GUANGXI, NATIONAL


@pytest.fixture(scope="module")
def guangxi():
    from yigai.align import align
    from yigai.documents import read_document
    from yigai.vocab import load_vocabulary

    return align(read_document(NATIONAL), read_document(GUANGXI), load_vocabulary())


def _at(cli, monkeypatch, columns: int, *args: object) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli("compare", *args)
    assert result.status == 0, result.err
    return [line.rstrip() for line in result.out.splitlines()]


def _blocks_hold(lines: list[str], alignment, columns: int) -> None:
    """Each national item: its number and title, then its grade and whole topic, then each counterpart's
    title with its own local sentence on the line beneath."""
    from yigai_cli.formats.compare import COUNTERPARTS_SHOWN, MARK, ordered_pairs

    assert max(cell_len(line) for line in lines) <= columns
    assert not any(box in line for line in lines for box in "┃│┏")  # no table
    local = alignment.local.item
    for item in alignment.national.items:
        at = next(k for k, line in enumerate(lines) if line.startswith(f"{item.index:>2} {item.title[:8]}"))
        while not lines[at + 1].strip().startswith(tuple(MARK.values())):  # a title wrapped over lines
            at += 1
        grade = alignment.grade_of(item.index)
        topic = alignment.topics.get(item.index, "")
        assert lines[at + 1].strip() == f"{MARK[grade]} {grade.value}" + (f" · {topic}" if topic else "")
        at += 2
        for pair in ordered_pairs(alignment, item.index)[:COUNTERPARTS_SHOWN]:
            head = f"{MARK[pair.grade]} {local(pair.local).label}"
            assert lines[at].strip().startswith(head), (item.index, lines[at])
            while not lines[at + 1].strip().startswith("「"):  # its title wrapped
                at += 1
            assert lines[at + 1].strip().endswith("」")
            quoted = lines[at + 1].strip().strip("「」…")
            assert len(quoted) >= min(10, len(pair.local_sentence)) and quoted in pair.local_sentence, (item.index, quoted)
            at += 2


@pytest.mark.parametrize("columns", [60, 80, 100, 119])
def test_below_120_columns_each_item_is_a_block(cli, monkeypatch, guangxi, columns):
    lines = _at(cli, monkeypatch, columns, NATIONAL, GUANGXI)
    _blocks_hold(lines, guangxi, columns)
    words = " ".join(lines)
    # the strength rows, their labels whole
    assert "How strongly: targets, deadlines and lead departments" in words
    row = next(line for line in lines if "超过350个 → 超过500个" in line)
    assert row.split()[:4] == ["7", "✓", "14", "targets"] and row.endswith("stricter")
    assert "Gaps: national items with no counterpart" in words
    gap = lines[lines.index("Gaps: national items with no counterpart") + 1]
    assert gap.split() == ["6", "加大三明医改经验推广力度", "·", "三明医改经验"]
    assert any(line.startswith("coverage ") for line in lines)


def test_blocks_are_shorter_than_the_table_was_at_80_columns(cli, monkeypatch, guangxi):
    blocks = _at(cli, monkeypatch, 80, NATIONAL, GUANGXI)
    from rich.console import Console

    from yigai.coverage import coverage
    from yigai.promises import load_departments
    from yigai.strength import strength
    from yigai_cli.formats.compare import wide_table

    console = Console(width=80, record=True, color_system=None, file=open(os.devnull, "w"))
    console.print(wide_table(guangxi, coverage(guangxi), strength(guangxi, load_departments())))
    assert len(blocks) < len(console.export_text().splitlines())


@pytest.mark.parametrize("columns", [120, 200])
def test_from_120_columns_the_table(cli, monkeypatch, columns):
    lines = _at(cli, monkeypatch, columns, NATIONAL, GUANGXI)
    header = next(line for line in lines if "national item" in line)
    for name in ("#", "topic", "grade", "local counterparts", "evidence: the local sentence"):
        assert name in header
    assert max(cell_len(line) for line in lines) <= columns
    if columns == 200:  # wide enough for each topic on one line of its cell
        assert any("│ 三明医改经验 " in line for line in lines)


def test_a_county_list_with_many_counterparts(cli, monkeypatch):
    from yigai.align import align
    from yigai.documents import read_document
    from yigai.vocab import load_vocabulary

    alignment = align(read_document(NATIONAL), read_document(str(BAOKANG)), load_vocabulary())
    lines = _at(cli, monkeypatch, 80, NATIONAL, BAOKANG)
    _blocks_hold(lines, alignment, 80)
    many = [i.index for i in alignment.national.items if len(alignment.pairs_of(i.index)) > 3]
    for index in many:
        assert f"+{len(alignment.pairs_of(index)) - 3} more (--detail {index} lists every one)" in " ".join(lines)


@pytest.mark.parametrize("columns", [60, 80, 200])
def test_gbk_console(guangxi, columns):
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "COLUMNS": str(columns)}
    result = subprocess.run([sys.executable, "-m", "yigai_cli", "compare", NATIONAL, GUANGXI], capture_output=True, env=env)
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    lines = [line.rstrip() for line in result.stdout.decode("gbk").splitlines()]
    assert max(cell_len(line) for line in lines) <= columns
    if columns < 120:
        at = next(k for k, line in enumerate(lines) if line.startswith(" 1 发挥国家医学中心"))
        grade = guangxi.grade_of(1).value  # the marks as a GBK console prints them: √ full, ○ partial
        mark = {"full": "√", "partial": "○"}[grade]
        assert lines[at + 1].strip() == f"{mark} {grade} · 区域医疗中心" and lines[at + 2].strip().startswith(f"{mark} (一)")
    else:
        assert any("national item" in line for line in lines)
