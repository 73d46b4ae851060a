"""Task tables (重点任务分工表): rows of 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限, read as a numbered list.

Many local lists are published as a table, in a Word document, a web page or a spreadsheet. Read cell by cell
into one line per row, such a table loses what each cell is; here each task row becomes the line a list prints
(`3.深化药品耗材集中带量采购…(县医保局、县卫生健康局按职责分工负责,2024年12月底前完成)`), so that numbering,
lead departments and deadlines are read as everywhere else. A table whose header names no task column, and a
lead or deadline column, is left to the caller (a table of indicators, a contact list).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

_TASK = re.compile(r"^(重点|主要|具体|年度)?(工作)?(任务|举措|措施)(内容|名称|事项)?$|^工作(内容|事项)$")
# a second text column: what the task holds (具体措施, 工作目标 …), or what was done on it (a summary's 完成情况,
# 进展情况); its text follows the task's
_MEASURES = re.compile(r"^(具体|工作|主要|实施)?(措施|内容|举措|目标|要求)$|^(工作|目标)任务$|^任务(内容|目标|要求|分解)$"
                       r"|^具体(工作|任务)$|^(完成|进展|推进|落实|执行)情况$|^工作进展$")
_LEAD = re.compile(r"^(牵头|责任|主责)(单位|部门)$|^牵头$")
_PARTNERS = re.compile(r"^(配合|参与|协办|协助)(单位|部门)?$")
_DEADLINE = re.compile(r"^(完成)?(时限|时间)$|^时间(节点|安排|进度)$|^完成时间节点$|^进度安排$")
_INDEX = re.compile(r"^(序号|编号)$")
_LABELLED = re.compile(r"^(\d{1,4}[.、]|\(\d{1,4}\)|\([一二三四五六七八九十]+\))")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Columns:
    task: int
    measures: int | None
    lead: int | None
    partners: int | None
    deadline: int | None
    index: int | None


def _header(row: Sequence[str]) -> _Columns | None:
    """The columns of a task table's header row, or None when the row is no such header."""
    cells = [_SPACE.sub("", c) for c in row]

    def find(pattern: re.Pattern[str]) -> int | None:
        return next((k for k, c in enumerate(cells) if pattern.match(c)), None)

    task, lead, deadline = find(_TASK), find(_LEAD), find(_DEADLINE)
    if task is None or (lead is None and deadline is None):
        return None
    measures = next((k for k, c in enumerate(cells) if k != task and (_MEASURES.match(c) or _TASK.match(c))), None)
    return _Columns(task, measures, lead, find(_PARTNERS), deadline, find(_INDEX))


def _cell(row: Sequence[str], k: int | None) -> str:
    return row[k].strip() if k is not None and k < len(row) else ""


def _names(text: str) -> list[str]:
    """The departments a cell names, one line or several (县医保局、县卫生健康局)."""
    return [p for p in re.split(r"[\n、,;\s]+", text) if p]


@dataclass
class _Task:
    """One task of the table, with the measures and units of every row it spans."""

    number: int
    index: str
    text: str
    measures: list[str]
    units: list[str]
    deadline: str

    def line(self) -> str:
        text = self.text if not self.measures else self.text.rstrip("。;") + "。" + ";".join(self.measures)
        line = text if _LABELLED.match(text) else f"{self.number}.{text}"
        note = []
        if self.units:
            note.append("、".join(self.units) + ("按职责分工负责" if len(self.units) > 1 else "负责"))
        if self.deadline:
            note.append(self.deadline)
        return line.rstrip() + (f"({','.join(note)})" if note else "")


def task_lines(rows: Sequence[Sequence[str]]) -> list[str] | None:
    """The table's rows as lines of a numbered list, or None when it is not a task table.

    Rows before the header are kept as they are (a caption); a row whose cells all say the same (a merged
    section heading, 一、强化…) is kept once. A row that repeats the task above, or leaves its task cell
    empty but has measures or units of its own, continues that task (a merged cell repeats in Word and reads
    empty in a workbook): its measures join the task's and its units follow the task's own. A row with
    nothing of the kind is dropped (a note spanning the table)."""
    start = next((k for k, row in enumerate(rows) if _header(row)), None)
    if start is None:
        return None
    columns = _header(rows[start])
    assert columns is not None
    task_heading = _cell(rows[start], columns.task)
    if start + 1 < len(rows) and _cell(rows[start + 1], columns.task) == task_heading:
        # a two-row header (牵头单位 | 配合单位 under 责任单位): each column is named by its lower cell
        below = rows[start + 1]
        columns = _header([b.strip() or a for a, b in zip(rows[start], below)] + list(rows[start][len(below):])) or columns
    out: list[str | _Task] = [" ".join(c.strip() for c in row if c.strip()) for row in rows[:start]]
    number = 0
    for row in rows[start + 1 :]:
        filled = [c.strip() for c in row if c.strip()]
        if not filled or _cell(row, columns.task) == task_heading:
            continue  # empty, or the second row of a two-row header (牵头 | 配合 under 责任单位)
        if len(set(filled)) == 1 and len(row) > 1:  # one text across the row: a heading
            out.append(filled[0])
            continue
        task, measures = _cell(row, columns.task), _cell(row, columns.measures)
        index = _cell(row, columns.index).rstrip(".、")
        units = [u for k in (columns.lead, columns.partners) for u in _names(_cell(row, k))]
        deadline = _SPACE.sub("", _cell(row, columns.deadline))
        last = out[-1] if out and isinstance(out[-1], _Task) else None
        if last is not None and (task in ("", last.text)) and index in ("", last.index) and (measures or units):
            if measures and measures not in last.measures:
                last.measures.append(measures)
            last.units += [u for u in units if u not in last.units]
            last.deadline = last.deadline or deadline
            continue
        if not task:
            continue
        number = int(index) if index.isdigit() else number + 1
        out.append(_Task(number, index, task, [measures] if measures else [], list(dict.fromkeys(units)), deadline))
    return [x.line() if isinstance(x, _Task) else x for x in out]


_HEADING_MOST = 60  # a line without cells between rows is a heading spanning the table when at most this long


def text_tables(text: str) -> str:
    """Task tables in plain text, their cells apart by tabs (a web page's or a workbook's table saved or pasted as
    text), as the lines of a numbered list (task_lines); everything else as it is. A line without cells between two
    rows is a section heading spanning the table (一、深入推广三明医改经验); a table ends at the first line without
    cells that no row follows."""
    if "\t" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        header = line.split("\t") if "\t" in line else None
        if header is not None and _header(header):
            rows, end = [header], k + 1
            while end < len(lines):
                current = lines[end]
                if "\t" in current:
                    rows.append(current.split("\t"))
                elif current.strip():
                    if len(current.strip()) > _HEADING_MOST or not _row_follows(lines, end + 1):
                        break
                    rows.append([current.strip()] * len(header))
                end += 1
            listed = task_lines(rows)
            if listed is not None:
                out += listed
                k = end
                continue
        out.append(line)
        k += 1
    return "\n".join(out)


def _row_follows(lines: Sequence[str], start: int) -> bool:
    """Whether the next line that holds anything, from `start`, is a row of cells (read in place: a slice of the rest
    of the file at every heading of a long table would copy it each time)."""
    return next(("\t" in line for line in itertools.islice(lines, start, None) if line.strip()), False)
