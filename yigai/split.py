"""Split one cleaned file into its documents.

A page may hold several documents (a national notice and a provincial list), print one document
twice, or be a news round-up with a paragraph or more per jurisdiction. Numbered documents are
split where numbering restarts after a new document's header; prose round-ups where a paragraph
opens with another jurisdiction's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .jurisdiction import leading_province
from .numbering import ITEM_STYLES, SECTION_ITEMS, Lines, Style

# A line that opens a document: a notice title, a document number, a task-list title.
_TITLE = re.compile(r"^.{0,30}关于.{2,80}$|^.{0,40}(重点工作任务|工作要点|实施方案|行动计划)$")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,14}[〔\[【(]\d{4}[〕\]】)]\s*\d+\s*号$")
ISSUER = re.compile(r"^[\u4e00-\u9fff、]{2,30}(办公厅|人民政府|办公室|委员会|领导小组|卫生健康委|医保局|局|厅|委|部)$")


@dataclass(frozen=True)
class Part:
    """The lines of one document within a file; `style` is None for prose."""

    lines: tuple[str, ...]
    style: Style | None
    jurisdiction: str | None = None  # known when a round-up was split by jurisdiction
    lead: tuple[str, ...] = ()  # a round-up's opening paragraphs, before the first jurisdiction (they date it)
    # the lines with what the split matched of them already (None: a part made otherwise, matched when asked)
    matched: Lines | None = field(default=None, compare=False, repr=False)
    grouping: Style | None = None  # an outer numbering whose lines head groups of the items (see item_styles)

    def marked(self) -> Lines:
        """The lines, to ask what numbering styles match of them."""
        return self.matched if self.matched is not None else Lines(self.lines)


def item_style(lines: Lines | Sequence[str]) -> Style | None:
    """The outermost numbering style that starts at least two lines; a list numbered only 一、二、…
    (nothing numbered beneath) has those entries as its items."""
    marked = lines if isinstance(lines, Lines) else Lines(lines)
    for style in (*ITEM_STYLES, SECTION_ITEMS):
        if marked.count(style) >= 2:
            return style
    return None


# A report groups its tasks under headings numbered in an outer style: (一)强化责任担当,全面高效履职 over
# 1.立足城市战略定位,推动优质医疗资源扩容布局。一是… (a 绩效 self-assessment, a year's summary). Such a line is a
# couplet of two phrases, not a task: no sentence, short, no lead department, a comma between its phrases, and a run of
# the inner style follows it at once. (A task list's (一)深化医保支付方式改革 over 1. 2. measures is one task and its
# measures: no comma.)
_GROUP_MOST = 40
GROUPED_AT_LEAST = 2  # inner items per group, on average, for the outer lines to be groups and not tasks


def item_styles(lines: Lines | Sequence[str]) -> tuple[Style | None, Style | None]:
    """The items' numbering style (item_style), and the outer style whose lines head groups of them where a document
    numbers groups and tasks apart ((一) over 1.: the tasks are the 1. items, the (一) lines their headings)."""
    marked = lines if isinstance(lines, Lines) else Lines(lines)
    outer = item_style(marked)
    if outer is None or outer not in ITEM_STYLES:
        return outer, None
    inner = next((s for s in ITEM_STYLES[ITEM_STYLES.index(outer) + 1 :] if marked.count(s) >= 2), None)
    if inner is None or marked.count(inner) < GROUPED_AT_LEAST * marked.count(outer):
        return outer, None
    heads = [(k, m) for k, m in enumerate(marked.matches(outer)) if m is not None]
    for k, (_, _, rest) in heads:
        if (len(rest) > _GROUP_MOST or any(mark in rest for mark in "。;:") or "负责" in rest or "," not in rest
                or k + 1 >= len(marked) or marked.match(inner, k + 1) is None):
            return outer, None
    return inner, outer


def _header_start(between: Sequence[str]) -> int | None:
    """Where a new document's header begins among the lines between two numbered runs."""
    for k, line in enumerate(between):
        if len(line) <= 90 and (_TITLE.match(line) or DOC_NUMBER.match(line)):
            while k > 0 and len(between[k - 1]) <= 30 and ISSUER.match(between[k - 1]):
                k -= 1
            return k
    return None


def _numbered_parts(lines: Lines, style: Style, grouping: Style | None = None) -> list[Part]:
    marks = lines.matches(style)
    starts = [(i, m[0]) for i, m in enumerate(marks) if m is not None]
    cuts = [0]
    for (prev_i, prev_n), (i, n) in zip(starts, starts[1:]):
        if n <= prev_n:  # numbering restarts: a new document, or a new section of the same one
            k = _header_start(lines.lines[prev_i + 1 : i])
            if k is not None:
                cuts.append(prev_i + 1 + k)
    cuts.append(len(lines))
    return [Part(lines.lines[a:b], style, matched=lines[a:b], grouping=grouping) for a, b in zip(cuts, cuts[1:])]


def _drop_repeats(parts: list[Part]) -> list[Part]:
    """A document printed twice on one page counts once (when the cleaner could not tell)."""
    kept: list[Part] = []
    holding: dict[str, list[int]] = {}  # item line -> the kept documents that print it
    count = 0
    for part in parts:
        style = part.style
        if style is None:
            kept.append(part)
            continue
        items = {line for line, m in zip(part.lines, part.marked().matches(style)) if m is not None}
        # how many of these items each earlier document prints, from the lines' index: linear in the text,
        # where comparing with every earlier document was quadratic in their number
        shared: dict[int, int] = {}
        for line in items:
            for other in holding.get(line, ()):
                shared[other] = shared.get(other, 0) + 1
        if any(n >= 0.8 * max(len(items), 1) for n in shared.values()):
            continue
        for line in items:
            holding.setdefault(line, []).append(count)
        count += 1
        kept.append(part)
    return kept


def _prose_parts(lines: list[str]) -> list[Part]:
    """A round-up: a new document wherever a paragraph opens with a new jurisdiction.

    Paragraphs before the first jurisdiction (the news lead) belong to none; a paragraph that
    names no jurisdiction continues the current one (2024年,自治区将…)."""
    groups: dict[str, list[str]] = {}
    lead: list[str] = []
    current: str | None = None
    for line in lines:
        name = leading_province(line)
        if name is not None:
            current = name
            groups.setdefault(name, [])
        if current is not None:
            groups[current].append(line)
        else:
            lead.append(line)
    if len(groups) < 2:
        return [Part(tuple(lines), None)]
    return [Part(tuple(group), None, name, tuple(lead)) for name, group in groups.items()]


def _other_style_cut(lines: Lines, starts: list[int]) -> int | None:
    """Where a document numbered in another style begins, before the first item or after the last.

    A page may pair a national list numbered (一) with a county list numbered 1.; the outer style's
    numbering never restarts, so the split has to look for the other list and its header."""
    head = lines[: starts[0]]
    other = item_style(head)
    if other is not None:
        last_other = max(i for i, m in enumerate(head.matches(other)) if m is not None)
        k = _header_start(head.lines[last_other + 1 :])
        if k is not None:
            return last_other + 1 + k
    tail = lines[starts[-1] + 1 :]
    if item_style(tail) is not None:
        k = _header_start(tail.lines)
        if k is not None and item_style(tail[k:]) is not None:
            return starts[-1] + 1 + k
    return None


def _split_lines(lines: Lines) -> list[Part]:
    style, grouping = item_styles(lines)
    if style is None:
        return _prose_parts(list(lines.lines))
    starts = [i for i, m in enumerate(lines.matches(style)) if m is not None]
    cut = _other_style_cut(lines, starts) if grouping is None else None
    if cut is not None:
        return _split_lines(lines[:cut]) + _split_lines(lines[cut:])
    return _numbered_parts(lines, style, grouping)


def split(text: str) -> list[Part]:
    """The documents of one cleaned file, in reading order."""
    lines = Lines(line for line in map(str.strip, text.split("\n")) if line)
    return _drop_repeats(_split_lines(lines))
