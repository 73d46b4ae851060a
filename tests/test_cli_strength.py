"""How strongly, and the files analysts open: targets, deadlines and leads side by side in compare
(table, --detail, JSON), the 对标 table as xlsx and Excel-ready CSV, format from -o, GBK consoles."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import openpyxl
import pytest

from .conftest import BAOKANG, GUANGXI, NATIONAL, ROUNDUP, SICHUAN

REDRAFT = [str(SICHUAN.parent.parent.parent / "tests" / "fixtures" / "diff" / name)
           for name in ("guangxi-2023.txt", "guangxi-redraft.txt", "redraft-links.yaml")]


def _pair(data, n, loc):
    return next(p for p in data["pairs"] if (p["national"], p["local"]) == (n, loc))


@pytest.fixture(scope="module")
def guangxi_json():
    from yigai_cli.formats.compare import as_object
    from yigai_cli.main import _compare

    _, alignment, cover = _compare(NATIONAL, GUANGXI, None)
    from yigai.promises import load_departments
    from yigai.strength import strength

    departments = load_departments()
    return as_object(alignment, cover, strength(alignment, departments), departments)


def test_procurement_target_350_to_500_is_stricter(guangxi_json):
    pair = _pair(guangxi_json, 7, 14)
    (target,) = pair["targets"]
    assert (target["national"]["value"], target["local"]["value"], target["verdict"]) == (350, 500, "stricter")
    assert target["local"]["subject"] == "全区集采药品数"
    assert pair["lead"] == {"national": "国家医保局", "local": "自治区医保局", "national_functions": ["medical-insurance"],
                            "local_functions": ["medical-insurance"], "verdict": "same function"}
    assert set(pair) >= {"national", "local", "grade", "score", "evidence"}  # the contract's keys stay


def test_drg_pair_sets_the_40_percent_target_beside_guangxis(guangxi_json):
    pair = _pair(guangxi_json, 9, 12)
    forty = next(t for t in pair["targets"] if t["national"]["text"] == "40%以上")
    assert forty["local"] is not None and forty["local"]["text"] == "增加20个"
    assert forty["verdict"] == "not comparable"  # % of regions beside a count of disease groups


def test_baokang_insurance_items_led_by_county_hr_bureau_are_the_same_function(cli):
    data = cli("compare", NATIONAL, BAOKANG, "--format", "json").json()
    pairs = [p for p in data["pairs"] if p["national"] == 9 and p["lead"]["local"] == "县人社局"]
    assert pairs, "national 9 (医保支付方式改革) has a Baokang counterpart led by 县人社局"
    assert all(p["lead"]["national"] == "国家医保局" and p["lead"]["verdict"] == "same function" for p in pairs)
    differing = [p for p in data["pairs"] if p["lead"]["verdict"] == "differs"]
    assert differing and all(any(n.startswith("lead differs") for n in p["notes"]) for p in differing)


def test_deadline_verdicts_compare_dates(cli):
    data = cli("compare", NATIONAL, BAOKANG, "--format", "json").json()
    pair = _pair(data, 8, 15)  # 医疗服务价格: 2022年6月底前 nationally, 2017年10月底前 in Baokang
    assert pair["deadline"]["national_date"] == "2022-06-30" and pair["deadline"]["local_date"] == "2017-10-31"
    assert pair["deadline"]["verdict"] == "earlier"


def test_table_shows_how_strongly_and_a_grade_header(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")  # the table (below 120 columns: blocks, tests/test_compare_width.py)
    out = cli("compare", NATIONAL, GUANGXI).out
    header = next(line for line in out.split("\n") if "national item" in line)
    assert "grade" in header
    assert "How strongly" in out and "超过350个 → 超过500个" in out and "stricter" in out


def test_counterparts_full_first_and_at_most_three():
    from yigai.align import align
    from yigai.documents import read_document
    from yigai.vocab import load_vocabulary
    from yigai_cli.formats.compare import _counterparts, ordered_pairs

    alignment = align(read_document(NATIONAL), read_document(str(BAOKANG)), load_vocabulary())
    for item in alignment.national.items:
        grades = [p.grade.value for p in ordered_pairs(alignment, item.index)]
        assert grades == sorted(grades)  # "full" < "partial"
        lines = _counterparts(alignment, item.index, 3)
        if len(grades) > 3:
            assert len(lines) == 4 and lines[-1] == f"+{len(grades) - 3} more"


def test_detail_prints_one_item_in_full_with_every_counterpart(cli):
    # folded at the console's width, wherever the paths' length puts the breaks: read it unfolded
    out = cli("compare", NATIONAL, GUANGXI, "--detail", 7).out.replace("\n", "")
    assert "力争每个省份国家和地方采购药品通用名数合计超过350个" in out
    assert "item 14" in out and "item 6" in out and out.index("item 14") < out.index("item 6")
    assert "stricter" in out and "same function" in out


def test_detail_of_a_missing_item_is_a_usage_error(cli):
    result = cli("compare", NATIONAL, GUANGXI, "--detail", 99)
    assert result.status == 2 and "no national item 99" in result.err and result.err.count("\n") == 1


def test_xlsx_duibiao_round_trip(cli, tmp_path, guangxi_json):
    path = tmp_path / "duibiao.xlsx"
    result = cli("compare", NATIONAL, GUANGXI, "-o", path)  # the format follows the extension
    assert result.status == 0
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["对标"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    cover = guangxi_json["coverage"]
    assert len(rows) == len(guangxi_json["pairs"]) + len(cover["uncovered"]) + len(guangxi_json["local_only"])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    row = next(r for r in rows if (r["#"], r["local #"]) == (7, 14))
    assert row["grade"] == "full" and row["stricter or looser"] == "stricter"
    assert row["what the national text asks"] == guangxi_json["national"]["items"][6]["text"]  # full text, not cut
    cells = {c.value: c for c in sheet[1]}
    grade_column = cells["grade"].column
    local_column = cells["local #"].column
    grade_cell = next(r for r in sheet.iter_rows(min_row=2)
                      if r[0].value == 7 and r[local_column - 1].value == 14)[grade_column - 1]
    assert grade_cell.fill.fgColor.rgb.endswith("0072B2")  # the report's blue
    assert grade_cell.alignment.wrap_text
    sure_column = cells["how sure"].column
    for found in sheet.iter_rows(min_row=2):
        level = found[sure_column - 1]
        if level.value:  # a pair's row: its level, coloured as the report colours it
            assert level.value in ("sure", "likely", "unsure")
            assert level.fill.fgColor.rgb.endswith({"sure": "CCE3F0", "likely": "FAE2B2", "unsure": "F7D4BF"}[level.value])
    uncovered = [r for r in rows if r["grade"] == "none"]
    assert [r["#"] for r in uncovered] == cover["uncovered"]
    assert sheet.column_dimensions["D"].width >= 40  # the full text column is wide enough for Chinese


def test_csv_is_excel_ready_and_one_row_per_pair(cli, tmp_path, guangxi_json):
    path = tmp_path / "duibiao.csv"
    assert cli("compare", NATIONAL, GUANGXI, "-o", path).status == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    pairs = [r for r in rows if r["local_index"] and r["national_index"]]
    assert len(pairs) == len(guangxi_json["pairs"])
    assert all(r["local_index"].isdigit() for r in pairs)  # no packed 4;7;15 cells
    row = next(r for r in pairs if (r["national_index"], r["local_index"]) == ("9", "12"))
    assert row["national_target"].split("\n")[0].startswith("40%以上") and row["local_target"].startswith("增加20个")


def test_matrix_and_parse_xlsx(cli, tmp_path):
    path = tmp_path / "m.xlsx"
    assert cli("matrix", NATIONAL, SICHUAN, BAOKANG, "--format", "xlsx", "-o", path).status == 0
    sheet = openpyxl.load_workbook(path)["matrix"]
    assert [c.value for c in sheet[1]][:3] == ["#", "national item", "topic"]
    assert sheet.cell(row=1 + 21 + 1, column=2).value == "coverage" and sheet.max_row == 1 + 21 + 1 + 5  # a blank row, the legend
    assert sheet["B8"].value == "开展药品耗材集中带量采购工作"
    assert sheet["D2"].value in {"✓", "◐", "✗"} and sheet["D2"].fill.fgColor.rgb != "00000000"
    parsed = tmp_path / "p.xlsx"
    assert cli("parse", ROUNDUP, "-o", parsed).status == 0
    items = openpyxl.load_workbook(parsed)["items"]
    header = [c.value for c in items[1]]
    years = {row[header.index("year")].value for row in items.iter_rows(min_row=2)}
    assert years == {2024} and items.max_row > 100


@pytest.mark.parametrize(("args", "message"), [
    (["-f", "table", "-o", "c.xlsx"], "--format table does not match the .xlsx extension"),
    (["-f", "xlsx", "-o", "c.csv"], "--format xlsx does not match the .csv extension"),
    (["-f", "json", "-o", "c.md"], "--format json does not match the .md extension"),
])
def test_output_extension_that_contradicts_the_format_is_refused(cli, tmp_path, args, message):
    args = [str(tmp_path / a) if a.startswith("c.") else a for a in args]
    result = cli("compare", NATIONAL, GUANGXI, *args)
    assert result.status == 2 and message in result.err and result.err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_parse_refuses_a_format_it_does_not_write(cli, tmp_path):
    result = cli("parse", SICHUAN, "-o", tmp_path / "p.csv")
    assert result.status == 2 and "writes no csv" in result.err


def test_xlsx_to_a_pipe_is_the_workbook(tmp_path):
    out = subprocess.run([sys.executable, "-m", "yigai_cli", "parse", str(SICHUAN), "--format", "xlsx"],
                         capture_output=True, check=True).stdout
    path = tmp_path / "piped.xlsx"
    path.write_bytes(out)
    assert openpyxl.load_workbook(path)["items"].max_row == 1 + 19


@pytest.mark.parametrize("columns", ["40", "80", "200"])
@pytest.mark.parametrize("command", [["compare", NATIONAL, GUANGXI], ["matrix", NATIONAL, BAOKANG],
                                     ["parse", SICHUAN], ["compare", NATIONAL, GUANGXI, "--format", "markdown"],
                                     ["diff", SICHUAN, f"{ROUNDUP}#四川"],
                                     ["diff", REDRAFT[0], REDRAFT[1], "--decisions", REDRAFT[2]]])
def test_gbk_console_never_crashes(command, columns):
    from rich.cells import cell_len

    env = {**os.environ, "PYTHONIOENCODING": "gbk", "COLUMNS": columns}
    result = subprocess.run([sys.executable, "-m", "yigai_cli", *map(str, command)], capture_output=True, env=env)
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    text = result.stdout.decode("gbk")  # decodes: every character is GBK
    assert "✓" not in text and "✎" not in text
    if "--decisions" in command:
        assert "* analyst decisions: 2 links decided, 1 - rejected" in " ".join(text.split())  # (wrapped at 40)
    if command[0] in ("compare", "matrix"):
        assert "√" in text or "×" in text
    if command[0] in ("compare", "diff") and "--format" not in command:
        assert max(cell_len(line) for line in text.splitlines()) <= int(columns)


def test_detail_is_text_only(cli, tmp_path):
    result = cli("compare", NATIONAL, GUANGXI, "--detail", 7, "--format", "json")
    assert result.status == 2 and "--detail prints a text view, not json" in result.err
    path = tmp_path / "detail.txt"
    assert cli("compare", NATIONAL, GUANGXI, "--detail", 6, "-o", path).status == 0
    assert "no counterpart in" in path.read_text(encoding="utf-8")  # 6 (三明医改经验) is uncovered


def test_check_format_follows_the_extension(cli, tmp_path):
    path = tmp_path / "report.xml"
    assert cli("check", NATIONAL, GUANGXI, "--min-coverage", "0.5", "-o", path).status == 0
    assert path.read_text(encoding="utf-8").startswith("<?xml")


def test_markdown_keeps_coverage_by_topic_and_targets(cli):
    md = cli("compare", NATIONAL, GUANGXI, "--format", "markdown").out
    assert "### Coverage by topic" in md and "| 集采 | 1 | 100% |" in md
    assert "超过350个" in md and "stricter" in md


def test_csv_cells_that_excel_would_run_are_inert(cli, tmp_path):
    national = tmp_path / "n.txt"
    national.write_text("(一)推进医保支付方式改革。开展DRG付费。\n(二)推进集中带量采购。扩大采购范围。\n", encoding="utf-8")
    local = tmp_path / "l.txt"
    local.write_text("(一)=SUM(A1)推进医保支付方式改革。开展DRG付费。\n(二)推进集中带量采购。\n", encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(cli("compare", national, local, "--format", "csv").out.removeprefix("\ufeff"))))
    texts = [r["local_text"] for r in rows if r["local_text"]]
    assert any(t.startswith("'=SUM(A1)") for t in texts) and all(not t.startswith("=") for t in texts)
    workbook = tmp_path / "l.xlsx"
    assert cli("compare", national, local, "-o", workbook).status == 0
    cells = [c for row in openpyxl.load_workbook(workbook)["对标"].iter_rows() for c in row]
    assert any(str(c.value).startswith("'=SUM(A1)") for c in cells)  # neutralised as in the CSV (cells.inert)
    assert all(c.data_type != "f" and not str(c.value).startswith("=") for c in cells)
