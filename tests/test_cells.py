"""Document text in Markdown cells and spreadsheet cells stays text."""

from __future__ import annotations

from yigai_cli.formats.cells import inert, markdown_cell


def test_markdown_cell_cannot_close_a_cell_or_become_markup():
    assert markdown_cell("a|b<script>\\x\n续") == "a\\|b&lt;script>\\\\x 续"
    assert markdown_cell("一\n二", newline="<br>") == "一<br>二"


def test_inert_keeps_formulas_as_text():
    assert [inert(v) for v in ("=SUM(A1)", "+1", "-2+3", "@x", "推进集采", 7)] == [
        "'=SUM(A1)", "'+1", "'-2+3", "'@x", "推进集采", 7]


def test_compare_markdown_escapes_planted_markup(cli, tmp_path):
    from .conftest import NATIONAL

    doc = tmp_path / "planted.txt"
    doc.write_text("某县深化医药卫生体制改革2024年重点工作任务\n(一)推进药品耗材集中带量采购<script>alert(1)</script>。落实集采结余留用。\n"
                   "(二)推进DRG付费改革|按病种付费。\n", encoding="utf-8")
    markdown = cli("compare", NATIONAL, doc, "--format", "markdown").out
    assert "<script>" not in markdown and "&lt;script>" in markdown
