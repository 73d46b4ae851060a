"""Task tables (重点任务分工表): rows of 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限, read as a numbered list.

Many local lists are published as a table, in a Word document, a web page or a spreadsheet. Read cell by cell
into one line per row, such a table loses what each cell is; here each task row becomes the line a list prints
(`3.深化药品耗材集中带量采购…(县医保局、县卫生健康局按职责分工负责,2024年12月底前完成)`), so that numbering,
lead departments and deadlines are read as everywhere else. A table whose header names no task column, and a
lead or deadline column, is left to the caller (a table of indicators, a contact list).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_TASK = re.compile(r"^(重点|主要|具体|年度)?(工作)?(任务|举措|措施)(内容|名称|事项)?$|^工作(内容|事项)$")
_LEAD = re.compile(r"^(牵头|责任|主责)(单位|部门)$|^牵头$")
_PARTNERS = re.compile(r"^(配合|参与|协办|协助)(单位|部门)?$")
_DEADLINE = re.compile(r"^(完成)?(时限|时间)$|^时间(节点|安排|进度)$|^完成时间节点$|^进度安排$")
_INDEX = re.compile(r"^(序号|编号)$")
_NUMBER = re.compile(r"^\d{1,4}[.、]?$")
_LABELLED = re.compile(r"^(\d{1,4}[.、]|\(\d{1,4}\)|\([一二三四五六七八九十]+\))")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Columns:
    task: int
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
    return _Columns(task, lead, find(_PARTNERS), deadline, find(_INDEX))


def _cell(row: Sequence[str], k: int | None) -> str:
    return row[k].strip() if k is not None and k < len(row) else ""


def _names(text: str) -> str:
    """A cell of departments, one line or several, as a list prints them (县医保局、县卫生健康局)."""
    return "、".join(p for p in re.split(r"[\n、,;\s]+", text) if p)


def task_lines(rows: Sequence[Sequence[str]]) -> list[str] | None:
    """The table's rows as lines of a numbered list, or None when it is not a task table.

    Rows before the header are kept as they are (a caption); a row whose cells all say the same (a merged
    section heading, 一、强化…) is kept once; a row with no task is dropped (a note spanning the table)."""
    start = next((k for k, row in enumerate(rows) if _header(row)), None)
    if start is None:
        return None
    columns = _header(rows[start])
    assert columns is not None
    lines = [" ".join(c.strip() for c in row if c.strip()) for row in rows[:start]]
    number = 0
    for row in rows[start + 1 :]:
        filled = [c.strip() for c in row if c.strip()]
        if not filled:
            continue
        if len(set(filled)) == 1 and len(row) > 1:  # one text across the row: a heading
            lines.append(filled[0])
            continue
        task = _cell(row, columns.task)
        if not task:
            continue
        index = _cell(row, columns.index).rstrip(".、")
        number = int(index) if index.isdigit() else number + 1
        line = task if _LABELLED.match(task) else f"{number}.{task}"
        lead, partners = _names(_cell(row, columns.lead)), _names(_cell(row, columns.partners))
        deadline = _SPACE.sub("", _cell(row, columns.deadline))
        note = [who + ("按职责分工负责" if partners else "负责")] if (who := "、".join(x for x in (lead, partners) if x)) else []
        note += [deadline] if deadline else []
        lines.append(line.rstrip() + (f"({','.join(note)})" if note else ""))
    return lines
