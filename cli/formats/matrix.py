"""`yigai matrix` output: a heatmap table (transposed when it does not fit), JSON, CSV, Markdown.

Every view names its columns by their labels (四川 2021 (sichuan-2021.txt)), so that two columns of one
jurisdiction are told apart; views with jurisdictions as rows keep the item titles in a legend.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from yigai.align import Grade
from yigai.coverage import percent
from yigai.matrix import GRADE_OF, LETTER, Column, Summaries, grades_of_row, picked_up
from yigai.matrix import Labelled as Graded
from yigai.model import Document

from .. import jsonout
from .cells import DECIDED, CsvWriter
from .cells import markdown_cell as _md
from .marks import MARK

if TYPE_CHECKING:  # (rich is imported where a table is drawn: the other formats never need it)
    from rich.console import Group
    from rich.table import Table

HEAT = {Grade.FULL: "bold white on green", Grade.PARTIAL: "black on yellow", Grade.NONE: "white on red"}


def as_json(national: Document, columns: list[Column], transpose: bool = False) -> str:
    """The whole JSON at once, from whole columns (`write_json` writes the same text from summaries)."""
    return jsonout.dumps({"national": national.as_dict(), "reference": national.reference_metadata(),
                          "columns": [c.as_dict() for c in columns]})


# A column's JSON inside the output's "columns" list: 4 spaces deeper than dumps writes it alone (JSON text holds
# line breaks only between values: a string's are escaped).
_DEEPER = "\n    "
_LIST_HEAD, _LIST_TAIL, _BETWEEN = "[" + _DEEPER, "\n  ]\n}", "," + _DEEPER


class JsonParts:
    """A column's JSON as the output holds it, but for its label (known once every column is in): the text before
    the label's value and the text after, in UTF-8 (lone surrogates kept). Made where the column is made, and kept
    beside the column in the results cache, under `cache_tag`: what names this rendering's make (the code that
    writes it and orjson's version), so that a warm run copies the bytes only when they would be written alike."""

    def __call__(self, column: Column) -> tuple[bytes, bytes]:
        data = column.as_dict()
        data["label"] = ""  # (written as `""`, between the two parts: no string holds a line break, so the line
        # `  "label": ""` is the column's own label, at the top level)
        text = jsonout.dumps(data, plain=_plain_column(data))
        at = text.index(_LABEL_LINE)
        head = text[: at + len(_LABEL_LINE) - 2].replace("\n", _DEEPER)
        tail = text[at + len(_LABEL_LINE) :].replace("\n", _DEEPER)
        return head.encode("utf-8", "surrogatepass"), tail.encode("utf-8", "surrogatepass")

    @property
    def cache_tag(self) -> str | None:
        return _json_tag()


@functools.cache
def _json_tag() -> str | None:
    import hashlib
    from importlib import metadata

    digest = hashlib.sha256(b"json-parts\0")
    try:
        for module in (__file__, jsonout.__file__):
            digest.update(Path(module).read_bytes())
        digest.update(metadata.version("orjson").encode())
    except (OSError, metadata.PackageNotFoundError):  # (its make unknown: rendered afresh on every run)
        return None
    return digest.hexdigest()


_LABEL_LINE = '\n  "label": ""'
_INT64 = 2**63


def _plain_column(data: dict[str, Any]) -> bool:
    """What jsonout says of Column.as_dict's data, only quicker (its ~150 numbers checked a list at a time, not one
    by one: 40 of the ~120 us a column's JSON took): True only where it is plain; False may be said of plain data
    (the standard encoder writes it alike, more slowly)."""
    cells = data["cells"]
    numbers = [x for cell in cells for x in cell["local"]]
    numbers += [cell["national"] for cell in cells] + data["local_only"]
    scores = [cell["score"] for cell in cells]
    if data["year"] is not None:
        numbers.append(data["year"])
    return (set(map(type, numbers)) <= {int} and (not numbers or -_INT64 <= min(numbers) and max(numbers) < _INT64)
            and set(map(type, [*scores, data["coverage"]])) <= {float}
            and all(math.isfinite(f) and (not f or 1e-4 <= abs(f) < 1e16) for f in [*scores, data["coverage"]])
            and all(type(v) is str for v in (data["name"], data["source"], data["jurisdiction"], data["level"]))
            and all(type(cell["grade"]) is str and (len(cell) == 4 or jsonout.plain(cell.get("decision")))
                    for cell in cells)
            and len(data) == 9)


json_parts = JsonParts()


# Bytes buffered between the spool (or an output file) and the disk: a column's JSON is ~3 KB, and the default 8 KB
# buffer made a system call every few columns (13 us a column to write and read back; 5 with this one).
_BUFFER = 1 << 16


class Spool:
    """The columns' JSON (json_parts) in a temporary file as they arrive, read back in the order written out:
    none of it is held in memory."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(buffering=_BUFFER)
        self._at = array("q")  # for each column: where its head starts, its head's length, its tail's length
        self._end = 0  # where the next column goes (asking the file each time cost a system call a column)
        self._next: int | None = None  # where the file is, once reading began (None: at the end, writing)

    def add(self, parts: tuple[bytes, bytes]) -> None:
        head, tail = parts
        if self._next is not None:
            self._file.seek(self._end)
            self._next = None
        self._at.extend((self._end, len(head), len(tail)))
        self._file.write(head + tail)
        self._end += len(head) + len(tail)

    def parts(self, number: int) -> tuple[str, str]:
        """The head and tail of the column added `number`th (from 0)."""
        at, head, tail = self._at[3 * number : 3 * number + 3]
        if self._next != at:  # read in the order written, no seek is needed
            self._file.seek(at)
        data = self._file.read(head + tail)
        self._next = at + head + tail
        return data[:head].decode("utf-8", "surrogatepass"), data[head:].decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def write_json(write: Callable[[str], object], national: Document, columns: Summaries, spool: Spool) -> None:
    """What as_json writes, piece by piece: `columns` in the order to write, each one's JSON in the spool (added in
    the order the columns were)."""
    whole = jsonout.dumps({"national": national.as_dict(), "reference": national.reference_metadata(), "columns": []})
    write(whole.removesuffix("[]\n}"))
    if not columns:
        write("[]\n}")
        return
    write(_LIST_HEAD)
    for k in range(len(columns)):
        head, tail = spool.parts(columns.number(k))
        write((_BETWEEN if k else "") + head + jsonout.dumps(columns.label_of(k)) + tail)
    write(_LIST_TAIL)


def _picked_up(columns: Sequence[Graded], row: int) -> int:
    return picked_up(grades_of_row(columns, row))


def _label(c: Graded) -> str:
    return c.label or c.name


class _Pieces:
    """A file-like `write` for csv.writer."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write


_WORD = {LETTER[g]: g.value for g in Grade}
_MARK = {LETTER[g]: MARK[g] for g in Grade}


def write_csv(write: Callable[[str], object], national: Document, columns: Sequence[Graded], transpose: bool = False) -> None:
    """The CSV, row by row, with the byte-order mark Excel reads as UTF-8."""
    write("\ufeff")
    writer = CsvWriter(_Pieces(write), lineterminator="\n")
    if transpose:  # one row per column; the header keeps each item's title
        writer.writerow(["jurisdiction", "source", "level", "year", "coverage",
                         *[f"{item.index} {item.title}" for item in national.items]])
        for c in columns:
            writer.writerow([_label(c), c.source, c.level, c.year or "", f"{c.coverage:.4f}",
                             *[_WORD[g] for g in c.grades]])
        return
    _wide_row(write, itertools.chain(["national_index", "national_title"], _labels(columns), ["picked_up_by"]))
    for row, item in enumerate(national.items):
        letters = grades_of_row(columns, row)
        _wide_row(write, itertools.chain([item.index, item.title], map(_WORD.__getitem__, letters),
                                         [picked_up(letters)]))
    _wide_row(write, itertools.chain(["", "coverage"], (f"{c:.4f}" for c in _coverages(columns)), [""]))


# Cells of a row across every column written at a time: the header of 30,000 columns' labels, made whole, took 13 MiB.
_PIECE = 1000
T = TypeVar("T")


def _pieces(cells: Iterable[T]) -> Iterator[list[T]]:
    """The cells in lists of _PIECE, the last one longer (up to twice) rather than holding one cell alone: csv
    writes a row of one empty cell as `""`."""
    held: list[T] = []
    for cell in cells:
        held.append(cell)
        if len(held) == 2 * _PIECE:
            yield held[:_PIECE]
            del held[:_PIECE]
    if held:
        yield held


def _wide_row(write: Callable[[str], object], cells: Iterable[Any]) -> None:
    """`CsvWriter.writerow(cells)`, the same text, written a piece at a time (each cell is quoted on its own)."""
    pieces = CsvWriter(_Pieces(lambda line: write(line[:-1])), lineterminator="\n")  # (a line's \n left off)
    for n, piece in enumerate(_pieces(cells)):
        if n:
            write(",")
        pieces.writerow(piece)
    write("\n")


def _labels(columns: Sequence[Graded]) -> Iterator[str]:
    if isinstance(columns, Summaries):  # (without making each column's Summary)
        return map(columns.label_of, range(len(columns)))
    return map(_label, columns)


def _coverages(columns: Sequence[Graded]) -> Iterator[float]:
    if isinstance(columns, Summaries):
        return map(columns.coverage_of, range(len(columns)))
    return (c.coverage for c in columns)


def as_csv(national: Document, columns: Sequence[Graded], transpose: bool = False) -> str:
    buffer = io.StringIO()
    write_csv(buffer.write, national, columns, transpose)
    return buffer.getvalue()


def write_markdown(write: Callable[[str], object], national: Document, columns: Sequence[Graded],
                   transpose: bool = False) -> None:
    """The Markdown table, line by line."""

    def line(text: str) -> None:
        write(text + "\n")

    line(f"## Coverage of {_md(national.title or national.jurisdiction)}")
    line("")
    if transpose:
        line("| jurisdiction | coverage | " + " | ".join(str(item.index) for item in national.items) + " |")
        line("|---|---:|" + ":---:|" * len(national.items))
        for c in columns:
            marks = " | ".join(_MARK[g] for g in c.grades)
            line(f"| {_md(_label(c))} | {percent(c.coverage)} | {marks} |")
        picked = " | ".join(str(_picked_up(columns, row)) for row in range(len(national.items)))
        line(f"| **picked up by** | | {picked} |")
        line("")
        line(f"{national.as_reference.capitalize()} items:")
        line("")
        for item in national.items:
            line(f"{item.index}. {_md(item.title)}")
        return
    def wide(head: str, cells: Iterable[str], tail: str) -> None:  # head + " | ".join(cells) + tail, a piece at a time
        write(head)
        for n, piece in enumerate(_pieces(cells)):
            write((" | " if n else "") + " | ".join(piece))
        write(tail + "\n")

    wide(f"| # | {_md(national.as_reference)} item | ", map(_md, _labels(columns)), " | picked up |")
    line("|---:|---|" + ":---:|" * len(columns) + "---:|")
    for row, item in enumerate(national.items):
        letters = grades_of_row(columns, row)
        marks = " | ".join(_MARK[g] for g in letters)
        line(f"| {item.index} | {_md(item.short_title(24))} | {marks} | {len(letters) - letters.count('n')}/{len(columns)} |")
    wide("| | **coverage** | ", map(percent, _coverages(columns)), " | |")


def as_markdown(national: Document, columns: Sequence[Graded], transpose: bool = False) -> str:
    buffer = io.StringIO()
    write_markdown(buffer.write, national, columns, transpose)
    return buffer.getvalue()


def headings(columns: Sequence[Graded]) -> list[str]:
    """Short column headings for the terminal (name over two-digit year); a letter where two would read alike."""
    short = [f"{c.name[:4]}\n{c.year % 100:02d}" if c.year else c.name[:4] for c in columns]
    counts = Counter(short)
    seen: Counter[str] = Counter()
    result = []
    for heading in short:
        if counts[heading] > 1:
            result.append(f"{heading}{chr(ord('a') + seen[heading] % 26)}")
            seen[heading] += 1
        else:
            result.append(heading)
    return result


TITLE_LEAST = 6  # characters of an item's title the untransposed table keeps at the least


def _items_as_rows(national: Document, columns: Sequence[Graded], topics: dict[int, str], title: int = 24) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"coverage of {national.ref}", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(f"{national.as_reference} item", no_wrap=True)
    table.add_column("topic", style="cyan", no_wrap=True)
    for heading in headings(columns):
        table.add_column(Text(heading), justify="center", no_wrap=True)
    table.add_column("picked up", justify="right")
    for row, item in enumerate(national.items):
        cells = [Text(f" {_MARK[c.grades[row]]}{DECIDED if row in c.decided else ' '}", style=HEAT[GRADE_OF[c.grades[row]]])
                 for c in columns]
        table.add_row(str(item.index), Text(item.short_title(title)), Text(topics.get(item.index, "")), *cells,
                      f"{_picked_up(columns, row)}/{len(columns)}")
    table.add_row("", Text("coverage", style="bold"), "", *[f"{percent(c.coverage)}" for c in columns], "")
    return table


def _column_legend(columns: Sequence[Graded]) -> Table:
    """What each short heading stands for: the column's label (name, year and the file it was read from)."""
    from rich.table import Table
    from rich.text import Text

    legend = Table.grid(padding=(0, 1))
    legend.add_column(style="bold", no_wrap=True)
    legend.add_column()
    for heading, c in zip(headings(columns), columns):
        legend.add_row(Text(heading.replace("\n", " ’")), Text(_label(c)))  # Text, not markup: names come from documents
    return legend


def _item_legend(items: list, topics: dict[int, str]) -> Table:  # type: ignore[type-arg]
    from rich.table import Table
    from rich.text import Text

    legend = Table.grid(padding=(0, 1))
    legend.add_column(justify="right", style="bold")
    legend.add_column()
    legend.add_column(style="cyan")
    for item in items:
        legend.add_row(str(item.index), Text(item.title.rstrip("。;")), Text(topics.get(item.index, "")))
    return legend


def _width(table: Table) -> int:
    from rich.console import Console
    from rich.measure import Measurement

    # measured on a console wide enough not to clamp the measurement
    console = Console(width=100_000, file=io.StringIO(), color_system=None)
    return Measurement.get(console, console.options, table).maximum


def needs_transpose(national: Document, columns: Sequence[Graded], topics: dict[int, str], width: int) -> bool:
    """Items as rows, jurisdictions as columns, unless that table is wider than the terminal even with the
    item titles cut to TITLE_LEAST characters."""
    return _width(_items_as_rows(national, columns, topics, TITLE_LEAST)) > width


def as_table(national: Document, columns: Sequence[Graded], topics: dict[int, str], transpose: bool, width: int = 120) -> Group:
    from rich.console import Group

    if transpose:
        return _transposed(national, columns, topics, width)
    spare = width - _width(_items_as_rows(national, columns, topics, TITLE_LEAST))
    title = max(TITLE_LEAST, min(24, TITLE_LEAST + spare // 2))  # CJK characters take two cells
    return Group(_items_as_rows(national, columns, topics, title), _column_legend(columns))


def _transposed(national: Document, columns: Sequence[Graded], topics: dict[int, str], width: int) -> Group:
    """Columns as rows; national items as columns, paged so that each page fits the width, each page
    followed by the titles of its items."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    name_width = min(28, max((Text(_label(c)).cell_len for c in columns), default=8))
    per_page = max(5, (width - name_width - 16) // 6 - 1)
    items = list(national.items)
    pages: list[Table | Text] = []
    for start in range(0, len(items), per_page):
        page = items[start : start + per_page]
        table = Table(title=f"coverage of {national.ref}: items {page[0].index}-{page[-1].index}", title_justify="left")
        table.add_column("jurisdiction", max_width=name_width)  # a long label wraps at its spaces
        table.add_column("cov.", justify="right", no_wrap=True)
        for item in page:
            table.add_column(str(item.index), justify="center", no_wrap=True, min_width=3)
        for c in columns:
            cells = [Text(_MARK[g], style=HEAT[GRADE_OF[g]]) for g in c.grades[start : start + per_page]]
            table.add_row(Text(_label(c)), f"{percent(c.coverage)}", *cells)
        table.add_row(Text("picked up", style="bold"), "",
                      *[str(_picked_up(columns, row)) for row in range(start, start + len(page))])
        pages += [table, _item_legend(page, topics)]
    return Group(*pages)


FORMATTERS = {"json": as_json, "csv": as_csv, "markdown": as_markdown}
WRITERS = {"csv": write_csv, "markdown": write_markdown}
