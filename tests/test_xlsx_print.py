"""Workbooks as analysts open and print them: the matrix's columns labelled as in the report, its colours the
report's colour-blind-safe ones with a legend, and both sheets set up to print landscape, one page wide."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from .conftest import CITY, GUANGXI, NATIONAL, ROUNDUP, SICHUAN

CSS = (Path(__file__).resolve().parent.parent / "cli" / "templates" / "report.css").read_text(encoding="utf-8")


def _css(name: str) -> str:
    found = re.search(rf"--{name}:\s*#([0-9a-fA-F]{{6}})", CSS)
    assert found is not None
    return found[1].upper()


REPORT = {"✓": _css("full"), "◐": _css("partial"), "✗": _css("none")}


def _printable(sheet, paper: int) -> None:
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == paper
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"  # the header row on every page


@pytest.fixture(scope="module")
def matrix_book(tmp_path_factory):
    from yigai_cli.main import main

    path = tmp_path_factory.mktemp("xlsx") / "matrix.xlsx"
    assert main(["matrix", NATIONAL, str(SICHUAN), str(ROUNDUP), GUANGXI, "-o", str(path)]) == 0
    return openpyxl.load_workbook(path)


def test_matrix_columns_carry_the_reports_labels(cli, matrix_book):
    labels = [c["label"] for c in cli("matrix", NATIONAL, SICHUAN, ROUNDUP, GUANGXI, "--format", "json").json()["columns"]]
    sheet = matrix_book["matrix"]
    header = [c.value for c in sheet[1]]
    assert header[3:-1] == labels and len(set(labels)) == len(labels)
    assert "四川 2021 (sichuan-2021.txt)" in header and "四川 2024 (provinces-2024-roundup.txt)" in header
    assert [c.value for c in matrix_book["columns"]["A"]][1:] == labels


def test_matrix_grades_in_the_reports_colours_with_a_legend(matrix_book):
    sheet = matrix_book["matrix"]
    rows = list(sheet.iter_rows(min_row=2, max_row=22, min_col=4, max_col=sheet.max_column - 1))
    seen = set()
    for row in rows:
        for cell in row:
            assert cell.fill.fgColor.rgb[-6:] == REPORT[cell.value]
            seen.add(cell.value)
    assert seen == {"✓", "◐", "✗"}
    legend = {row[0].value: (row[1].value, row[0].fill.fgColor.rgb[-6:])
              for row in sheet.iter_rows(min_row=24) if row[0].value in REPORT}
    assert legend == {"✓": ("full: the local item's main task is this one", REPORT["✓"]),
                      "◐": ("partial: a local item carries one named measure of it", REPORT["◐"]),
                      "✗": ("none: no local counterpart", REPORT["✗"])}
    assert not {"C6EFCE", "FFC7CE"} & {c.fill.fgColor.rgb[-6:] for row in rows for c in row}  # no red and green


def test_matrix_prints_landscape_one_page_wide(matrix_book):
    _printable(matrix_book["matrix"], 9)  # A4


def test_duibiao_prints_landscape_one_page_wide(cli, tmp_path):
    path = tmp_path / "duibiao.xlsx"
    assert cli("compare", NATIONAL, CITY, "-o", path).status == 0
    sheet = openpyxl.load_workbook(path)["对标"]
    _printable(sheet, 8)  # A3: 24 columns
    header = [c.value for c in sheet[1]]
    grade = header.index("grade") + 1
    fills = {sheet.cell(row=r, column=grade).value: sheet.cell(row=r, column=grade).fill.fgColor.rgb[-6:]
             for r in range(2, sheet.max_row + 1)}
    assert fills["full"] == REPORT["✓"] and fills["partial"] == REPORT["◐"] and fills["none"] == REPORT["✗"]
