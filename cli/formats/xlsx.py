"""Workbooks analysts open in Excel or WPS: the 对标 table of `compare`, the heatmap of `matrix`, the items
of `parse`. Full text in wrapped cells, grades coloured, header frozen, filters on, widths for Chinese."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment as CellAlignment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yigai.align import Alignment, Grade
from yigai.coverage import Coverage
from yigai.matrix import LETTER, Labelled, grades_of_row, picked_up
from yigai.model import Document
from yigai.promises import Departments, load_departments
from yigai.readers import OUTPUT_CREATOR
from yigai.strength import Strength

from .cells import inert
from .compare import COLUMNS, MARK, rows, target_text

# The report's colours (cli/templates/report.css): Okabe & Ito's palette, told apart with every common
# colour-vision deficiency; the marks ✓ ◐ ✗ carry the grade without colour, on paper in black and white too.
GRADE_COLOURS = {"full": ("0072B2", "FFFFFF"), "partial": ("E69F00", "000000"), "none": ("F2F2F2", "A33C00")}  # fill, ink
FILL = {
    **{grade: PatternFill("solid", fgColor=fill) for grade, (fill, _) in GRADE_COLOURS.items()},
    "local only": PatternFill("solid", fgColor="DDEBF7"),
    # verdicts in light tints of the same palette: blue better, vermillion worse, orange to look at
    "stricter": PatternFill("solid", fgColor="CCE3F0"),
    "looser": PatternFill("solid", fgColor="F7D4BF"),
    "differs": PatternFill("solid", fgColor="FAE2B2"),
    # how sure yigai is of a pair, in the same tints: the unsure ones are the ones to check first
    "sure": PatternFill("solid", fgColor="CCE3F0"),
    "likely": PatternFill("solid", fgColor="FAE2B2"),
    "unsure": PatternFill("solid", fgColor="F7D4BF"),
}
INK = {grade: Font(color=ink, bold=grade != "partial") for grade, (_, ink) in GRADE_COLOURS.items()}
LEGEND = (("full", "full: the local item's main task is this one"),
          ("partial", "partial: a local item carries one named measure of it"),
          ("none", "none: no local counterpart"))
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP = CellAlignment(wrap_text=True, vertical="top")
# Cells longer than Excel shows in one line are wrapped; the widths below are in Excel units, in
# which a Chinese character takes about two.
_MAX_CELL = 32_767  # Excel's limit on one cell's characters


def _cell(value: Any) -> Any:
    """Every cell, header or body: neutralised as every spreadsheet cell yigai writes is (cells.inert), cut to Excel's
    limit."""
    return inert(value)[:_MAX_CELL] if isinstance(value, str) else value


def _sheet(sheet: Worksheet, headers: Sequence[tuple[str, int]], body: Iterable[Sequence[Any]]) -> None:
    sheet.append([_cell(header) for header, _ in headers])
    for column, (_, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        sheet.column_dimensions[get_column_letter(column)].width = width
    for values in body:
        sheet.append([_cell(v) for v in values])
    for number, row in enumerate(sheet.iter_rows(), start=1):
        for cell in row:
            if number > 1:
                cell.alignment = WRAP
            if cell.data_type == "f":  # text is text, never a formula (inert() leaves none that starts one)
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _colour(sheet: Worksheet, keys: Sequence[str], coloured: Iterable[str]) -> None:
    for key in coloured:
        column = keys.index(key) + 1
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            for word in str(cell.value or "").split("\n"):
                if word in FILL:
                    cell.fill = FILL[word]
                    if word in INK:
                        cell.font = INK[word]
                    break


def _printable(sheet: Worksheet, paper: str = Worksheet.PAPERSIZE_A4) -> None:
    """Landscape, one page wide (as many pages down as it takes), the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = paper
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def _legend(sheet: Worksheet, row: int) -> None:
    """The grade marks with their colours and meaning, from `row` down in the first two columns."""
    sheet.cell(row=row, column=2, value="legend").font = Font(bold=True)
    for k, (grade, meaning) in enumerate(LEGEND, start=1):
        mark = sheet.cell(row=row + k, column=1, value=MARK[Grade(grade)])
        mark.fill, mark.font = FILL[grade], INK[grade]
        mark.alignment = CellAlignment(horizontal="center")
        sheet.cell(row=row + k, column=2, value=meaning)




def _label(column: Labelled) -> str:
    return column.label or column.name


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.properties.creator = OUTPUT_CREATOR  # read back, it is refused as a task list
    workbook.save(buffer)
    return buffer.getvalue()


def compare_workbook(alignment: Alignment, cover: Coverage, found: Strength | None = None,
                     departments: Departments | None = None) -> bytes:
    """The 对标 table: one row per pair, per uncovered national item and per local-only item."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "对标"
    keys = [key for key, _, _ in COLUMNS]
    table = rows(alignment, cover, found, departments)
    _sheet(sheet, [(header, width) for _, header, width in COLUMNS], ([row[k] for k in keys] for row in table))
    _colour(sheet, keys, ("grade", "certainty", "target_verdict", "lead_verdict"))
    _printable(sheet, Worksheet.PAPERSIZE_A3)  # 24 columns: A3, where A4 would print them too small to read
    summary = workbook.create_sheet("coverage")
    _sheet(summary, [("topic", 16), (f"{alignment.national.as_reference} items", 14), ("coverage", 10)],
           [(topic, count, round(ratio, 4)) for topic, (count, ratio) in sorted(cover.by_topic.items())]
           + [("all", cover.total, round(cover.ratio, 4))])
    for (cell,) in summary.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.number_format = "0%"
    return _bytes(workbook)


# Excel's columns in a sheet, less the item's three and `picked up`: the matrix's local documents at the most.
MATRIX_COLUMNS_MOST = 16_384 - 4


def _write_only_cell(sheet: Any, value: Any, style: Sequence[Any] = ()) -> WriteOnlyCell:
    """A cell of a write-only sheet as _sheet makes one: neutralised, never a formula; `style`: (attribute, value)."""
    cell = WriteOnlyCell(sheet, _cell(value))
    if cell.data_type == "f":
        cell.data_type = "s"
    for attribute, setting in style:
        setattr(cell, attribute, setting)
    return cell


_HEADER_STYLE = (("font", Font(bold=True)), ("fill", HEADER_FILL), ("alignment", WRAP))
_BODY_STYLE = (("alignment", WRAP),)


def _streamed_sheet(sheet: Any, headers: Sequence[tuple[str, int]], body: Iterable[Sequence[Any]],
                    styled: Callable[[int, int, Any], Sequence[Any]] | None = None, frozen: str = "A2") -> int:
    """_sheet for a write-only sheet: the header, then the body a row at a time (each cell wrapped, or as
    `styled(row, column, value)` says); filters over them, the header (and columns left of `frozen`) frozen.
    The last row's number."""
    for column, (_, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width  # before any row: written first
    sheet.freeze_panes = frozen
    sheet.append([_write_only_cell(sheet, header, _HEADER_STYLE) for header, _ in headers])
    number = 1
    for values in body:
        number += 1
        sheet.append([_write_only_cell(sheet, v, styled(number, k, v) if styled else _BODY_STYLE)
                      for k, v in enumerate(values, start=1)])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{number}"
    return number


_CENTRED = CellAlignment(horizontal="center", vertical="top")


def matrix_workbook(national: Document, columns: Sequence[Labelled], topics: dict[int, str]) -> bytes:
    """write_matrix_workbook's workbook, as bytes."""
    buffer = io.BytesIO()
    write_matrix_workbook(buffer, national, columns, topics)
    return buffer.getvalue()


def write_matrix_workbook(handle: BinaryIO, national: Document, columns: Sequence[Labelled], topics: dict[int, str]) -> None:
    """A heatmap: one row per national item with its title, one column per local document; written a row at a
    time (openpyxl's write-only mode), so that only one row is held."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("matrix")
    headers = [("#", 5), (f"{national.as_reference} item", 30), ("topic", 12)]
    # labels as the report's: name, year and file, so that 四川 2021 and 四川 2024 are told apart
    headers += [(_label(c), 11) for c in columns] + [("picked up", 10)]
    last = len(national.items) + 2
    styles = {letter: (("fill", FILL[grade.value]), ("font", INK[grade.value]), ("alignment", _CENTRED))
              for grade, letter in LETTER.items()}
    share = (("number_format", "0%"), ("alignment", WRAP))

    def styled(row: int, column: int, value: Any) -> Sequence[Any]:
        if 4 <= column <= 3 + len(columns):
            return share if row == last else styles[by_mark[value]]
        return _BODY_STYLE

    by_mark = {MARK[g]: LETTER[g] for g in Grade}

    def body() -> Iterator[list[Any]]:
        for row, item in enumerate(national.items):
            grades = grades_of_row(columns, row)
            yield [item.index, item.title, topics.get(item.index, ""), *[_MARKS[g] for g in grades],
                   picked_up(grades)]
        yield ["", "coverage", "", *[round(c.coverage, 4) for c in columns], ""]

    _printable(sheet)  # before any row: the sheet's properties are written first
    _streamed_sheet(sheet, headers, body(), styled, frozen="D2")
    sheet.append([])
    _streamed_legend(sheet)
    sources = workbook.create_sheet("columns")
    _streamed_sheet(sources, [("label", 30), ("name", 16), ("source", 50), ("year", 8), ("coverage", 10)],
                    ((_label(c), c.name, c.source, c.year, round(c.coverage, 4)) for c in columns))
    workbook.properties.creator = OUTPUT_CREATOR  # read back, it is refused as a task list
    workbook.save(handle)


_MARKS = {LETTER[g]: MARK[g] for g in Grade}


def _streamed_legend(sheet: Any) -> None:
    """_legend, appended to a write-only sheet."""
    sheet.append([None, _write_only_cell(sheet, "legend", (("font", Font(bold=True)),))])
    for grade, meaning in LEGEND:
        sheet.append([_write_only_cell(sheet, MARK[Grade(grade)], (("fill", FILL[grade]), ("font", INK[grade]),
                                                                    ("alignment", CellAlignment(horizontal="center")))),
                      meaning])


def parse_workbook(groups: list[tuple[str, list[Document]]], departments: Departments | None = None) -> bytes:
    """Every item of every document, with what it promises."""
    departments = departments or load_departments()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "items"
    headers = [("document", 28), ("jurisdiction", 14), ("level", 10), ("year", 6), ("#", 5), ("label", 8),
               ("section", 24), ("task", 28), ("text", 60), ("lead departments", 24), ("lead function", 14),
               ("deadline", 14), ("deadline date", 12), ("targets", 36)]
    body = []
    for _, documents in groups:
        for document in documents:
            for item in document.items:
                lead = item.departments[0] if item.departments else None
                functions = departments.functions_of(lead, document.year) if lead else ()
                body.append([document.ref, document.jurisdiction, document.level, document.year, item.index, item.label,
                             item.section, item.title, item.text, "、".join(item.departments),
                             "/".join(departments.label(f) for f in functions), item.deadline or "",
                             item.due.date(document.year) if item.due else "",
                             "\n".join(target_text(t) for t in item.targets)])
    _sheet(sheet, headers, body)
    return _bytes(workbook)
