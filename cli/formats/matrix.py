"""`yigai matrix` output: a heatmap table (transposed when wide), JSON, CSV, Markdown."""

from __future__ import annotations

import csv
import io
import json

from rich.console import Group
from rich.table import Table
from rich.text import Text

from yigai.align import Grade
from yigai.matrix import Column
from yigai.model import Document

from .compare import MARK

HEAT = {Grade.FULL: "bold white on green", Grade.PARTIAL: "black on yellow", Grade.NONE: "white on red"}


def as_json(national: Document, columns: list[Column]) -> str:
    return json.dumps({"national": national.as_dict(), "columns": [c.as_dict() for c in columns]},
                      ensure_ascii=False, indent=2)


def _picked_up(columns: list[Column], row: int) -> int:
    return sum(c.cells[row].grade is not Grade.NONE for c in columns)


def as_csv(national: Document, columns: list[Column]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["national_index", "national_title", *[c.name for c in columns], "picked_up_by"])
    for row, item in enumerate(national.items):
        writer.writerow([item.index, item.title, *[c.cells[row].grade.value for c in columns], _picked_up(columns, row)])
    writer.writerow(["", "coverage", *[f"{c.coverage:.4f}" for c in columns], ""])
    return buffer.getvalue()


def as_markdown(national: Document, columns: list[Column]) -> str:
    head = "| # | national item | " + " | ".join(c.name for c in columns) + " | picked up |"
    rule = "|---:|---|" + ":---:|" * len(columns) + "---:|"
    lines = [f"## Coverage of {national.title or national.jurisdiction}", "", head, rule]
    for row, item in enumerate(national.items):
        marks = " | ".join(MARK[c.cells[row].grade] for c in columns)
        lines.append(f"| {item.index} | {item.short_title(24)} | {marks} | {_picked_up(columns, row)}/{len(columns)} |")
    lines.append("| | **coverage** | " + " | ".join(f"{c.coverage:.0%}" for c in columns) + " | |")
    return "\n".join(lines) + "\n"


def needs_transpose(columns: list[Column], width: int) -> bool:
    """Items as rows, jurisdictions as columns, unless the columns would not fit the terminal."""
    return 5 + 30 + 16 + len(columns) * 7 + 12 > width


def as_table(national: Document, columns: list[Column], topics: dict[int, str], transpose: bool, width: int = 120) -> Group:
    if transpose:
        return _transposed(national, columns, width)
    table = Table(title=f"coverage of {national.ref}", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("national item", no_wrap=True)
    table.add_column("topic", style="cyan", no_wrap=True)
    for c in columns:
        table.add_column(c.name[:4], justify="center", no_wrap=True)
    table.add_column("picked up", justify="right")
    for row, item in enumerate(national.items):
        cells = [Text(f" {MARK[c.cells[row].grade]}{'✎' if c.cells[row].decision else ' '}", style=HEAT[c.cells[row].grade])
                 for c in columns]
        table.add_row(str(item.index), item.short_title(14), topics.get(item.index, ""), *cells,
                      f"{_picked_up(columns, row)}/{len(columns)}")
    table.add_row("", Text("coverage", style="bold"), "", *[f"{c.coverage:.0%}" for c in columns], "")
    return Group(table)


def _transposed(national: Document, columns: list[Column], width: int) -> Group:
    """Jurisdictions as rows; national items as columns, paged so that each page fits the width."""
    name_width = max((len(c.name) * 2 for c in columns), default=8)
    per_page = max(5, (width - name_width - 16) // 6 - 1)
    items = list(national.items)
    pages = []
    for start in range(0, len(items), per_page):
        page = items[start : start + per_page]
        table = Table(title=f"coverage of {national.ref}: items {page[0].index}-{page[-1].index}", title_justify="left")
        table.add_column("jurisdiction", no_wrap=True)
        table.add_column("cov.", justify="right", no_wrap=True)
        for item in page:
            table.add_column(str(item.index), justify="center", no_wrap=True, min_width=3)
        for c in columns:
            cells = [Text(MARK[cell.grade], style=HEAT[cell.grade]) for cell in c.cells[start : start + per_page]]
            table.add_row(c.name, f"{c.coverage:.0%}", *cells)
        table.add_row(Text("picked up", style="bold"), "",
                      *[str(_picked_up(columns, row)) for row in range(start, start + len(page))])
        pages.append(table)
    return Group(*pages)


FORMATTERS = {"json": as_json, "csv": as_csv, "markdown": as_markdown}
