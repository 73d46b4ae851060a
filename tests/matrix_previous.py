"""How `yigai matrix` wrote CSV, Markdown and xlsx before it streamed: the whole output built at once from whole
columns (yigai.matrix.Column, every cell). Kept, as it was, to compare the streamed outputs against."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment as CellAlignment

from yigai.align import Grade
from yigai.coverage import percent
from yigai.matrix import Column
from yigai.model import Document
from yigai_cli.formats.cells import CsvWriter
from yigai_cli.formats.cells import markdown_cell as _md
from yigai_cli.formats.compare import MARK
from yigai_cli.formats.xlsx import FILL, INK, _bytes, _legend, _printable, _sheet


def _picked_up(columns: list[Column], row: int) -> int:
    return sum(c.cells[row].grade is not Grade.NONE for c in columns)


def _label(c: Column) -> str:
    return c.label or c.name


def as_csv(national: Document, columns: list[Column], transpose: bool = False) -> str:
    buffer = io.StringIO()
    writer = CsvWriter(buffer, lineterminator="\n")
    if transpose:  # one row per column; the header keeps each item's title
        writer.writerow(["jurisdiction", "source", "level", "year", "coverage",
                         *[f"{item.index} {item.title}" for item in national.items]])
        for c in columns:
            writer.writerow([_label(c), c.source, c.level, c.year or "", f"{c.coverage:.4f}",
                             *[cell.grade.value for cell in c.cells]])
        return buffer.getvalue()
    writer.writerow(["national_index", "national_title", *[_label(c) for c in columns], "picked_up_by"])
    for row, item in enumerate(national.items):
        writer.writerow([item.index, item.title, *[c.cells[row].grade.value for c in columns], _picked_up(columns, row)])
    writer.writerow(["", "coverage", *[f"{c.coverage:.4f}" for c in columns], ""])
    return buffer.getvalue()


def as_markdown(national: Document, columns: list[Column], transpose: bool = False) -> str:
    lines = [f"## Coverage of {_md(national.title or national.jurisdiction)}", ""]
    if transpose:
        lines.append("| jurisdiction | coverage | " + " | ".join(str(item.index) for item in national.items) + " |")
        lines.append("|---|---:|" + ":---:|" * len(national.items))
        for c in columns:
            marks = " | ".join(MARK[cell.grade] for cell in c.cells)
            lines.append(f"| {_md(_label(c))} | {percent(c.coverage)} | {marks} |")
        picked = " | ".join(str(_picked_up(columns, row)) for row in range(len(national.items)))
        lines.append(f"| **picked up by** | | {picked} |")
        lines += ["", f"{national.as_reference.capitalize()} items:", ""]
        lines += [f"{item.index}. {_md(item.title)}" for item in national.items]
        return "\n".join(lines) + "\n"
    lines.append(f"| # | {_md(national.as_reference)} item | " + " | ".join(_md(_label(c)) for c in columns) + " | picked up |")
    lines.append("|---:|---|" + ":---:|" * len(columns) + "---:|")
    for row, item in enumerate(national.items):
        marks = " | ".join(MARK[c.cells[row].grade] for c in columns)
        lines.append(f"| {item.index} | {_md(item.short_title(24))} | {marks} | {_picked_up(columns, row)}/{len(columns)} |")
    lines.append("| | **coverage** | " + " | ".join(f"{percent(c.coverage)}" for c in columns) + " | |")
    return "\n".join(lines) + "\n"


def matrix_workbook(national: Document, columns: list[Column], topics: dict[int, str]) -> bytes:
    """A heatmap: one row per national item with its title, one column per local document."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "matrix"
    headers = [("#", 5), (f"{national.as_reference} item", 30), ("topic", 12)]
    # labels as the report's: name, year and file, so that 四川 2021 and 四川 2024 are told apart
    headers += [(_label(c), 11) for c in columns] + [("picked up", 10)]
    body = []
    for row, item in enumerate(national.items):
        grades = [c.cells[row].grade for c in columns]
        body.append([item.index, item.title, topics.get(item.index, ""), *[MARK[g] for g in grades],
                     sum(g is not Grade.NONE for g in grades)])
    body.append(["", "coverage", "", *[round(c.coverage, 4) for c in columns], ""])
    _sheet(sheet, headers, body)
    by_mark = {MARK[g]: g.value for g in Grade}
    last = sheet.max_row
    for values in sheet.iter_rows(min_row=2, max_row=last - 1, min_col=4, max_col=3 + len(columns)):
        for cell in values:
            grade = by_mark[str(cell.value)]
            cell.fill, cell.font = FILL[grade], INK[grade]
            cell.alignment = CellAlignment(horizontal="center", vertical="top")
    for values in sheet.iter_rows(min_row=last, max_row=last, min_col=4, max_col=3 + len(columns)):
        for cell in values:
            cell.number_format = "0%"
    sheet.freeze_panes = "D2"
    _legend(sheet, last + 2)
    _printable(sheet)
    sources = workbook.create_sheet("columns")
    _sheet(sources, [("label", 30), ("name", 16), ("source", 50), ("year", 8), ("coverage", 10)],
           [(_label(c), c.name, c.source, c.year, round(c.coverage, 4)) for c in columns])
    return _bytes(workbook)
