"""How Chinese policy documents number things: section headings, items, sub-points, prose clauses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "[一二三四五六七八九十百零〇]+"


def chinese_number(text: str) -> int:
    """一 -> 1, 十 -> 10, 二十一 -> 21, 一百零二 -> 102."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[ch]
    return total + current


_NUMERALS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一 (as item labels print them, up to 99; larger stay Arabic)."""
    if n < 10:
        return _NUMERALS[n]
    if n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")


# A section heading: 一、加快构建有序的就医和诊疗新格局
SECTION = re.compile(rf"^({CN_NUMERAL})、\s*(\S.*)$")


Numbered = tuple[int, str, str]  # a numbered line: (number, printed label, rest of the line)


@dataclass(frozen=True)
class Style:
    """One way of numbering items; `name` is used in logs and tests."""

    name: str
    pattern: re.Pattern[str]
    numeral: str  # "chinese" or "arabic"

    def __hash__(self) -> int:
        # Lines keeps what each style matched by style: the generated hash hashed the compiled pattern every time
        return hash(self.name)

    def match(self, line: str) -> Numbered | None:
        """(number, printed label, rest of the line) when the line starts an item in this style."""
        m = self.pattern.match(line)
        if not m:
            return None
        raw = m.group("n")
        number = chinese_number(raw) if self.numeral == "chinese" else int(raw)
        return number, m.group("label").strip(), line[m.end():].strip()


# Item styles, outermost first. A document's items are the outermost style it uses twice or more;
# the others become sub-points inside those items.
ITEM_STYLES: tuple[Style, ...] = (
    Style("paren-chinese", re.compile(rf"^(?P<label>\((?P<n>{CN_NUMERAL})\))\s*(?=\S)"), "chinese"),
    # Seven digits: more items than 20 MB can hold, so that no list loses its tail (items 10000. and on).
    Style("arabic-dot", re.compile(r"^(?P<label>(?P<n>\d{1,7})(?:\.(?!\d)|、))\s*(?=\S)"), "arabic"),
    Style("paren-arabic", re.compile(r"^(?P<label>\((?P<n>\d{1,3})\))\s*(?=\S)"), "arabic"),
)

# Section headings as items: a list numbered 一、二、… with nothing numbered beneath (many provinces
# print their task list that way). Used only when no style of ITEM_STYLES numbers two lines.
SECTION_ITEMS = Style("chinese-comma", re.compile(rf"^(?P<label>(?P<n>{CN_NUMERAL})、)\s*(?=\S)"), "chinese")

# Prose enumerations: 一是…二是…, and a meeting's 一要…二要…; each clause is an item of a paragraph that has no
# numbering. Only from the start of a run of numerals: retried at every numeral of a long run, it is quadratic.
# 一要 only where a sentence or clause starts (统一要求, 进一步要 hold 一要 too).
CLAUSE = re.compile(rf"(?<![一二三四五六七八九十百零〇])({CN_NUMERAL})是(?=\S)|(?:^|(?<=[。;:,!?]))({CN_NUMERAL})要(?=\S)")


class Lines:
    """A document's lines, each matched against a numbering style at most once: splitting a file and segmenting
    its documents ask the same line about the same style again and again (a fifth of reading a document went
    to matching the same lines anew). A slice is a view: what any view matches, every view of the file knows,
    and a view matches only its own lines."""

    __slots__ = ("lines", "_all", "_marks", "_start")

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = tuple(lines)
        self._all = self.lines  # every line of the file
        # per style, what it matches of each line of the file, and which lines it was asked about (1) or not (0)
        self._marks: dict[Style, tuple[list[Numbered | None], bytearray]] = {}
        self._start = 0  # where these lines start among them

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, part: slice) -> Lines:
        start, stop, step = part.indices(len(self.lines))
        if step != 1:
            raise ValueError("Lines are sliced without a step")
        view = Lines.__new__(Lines)
        view._all, view._marks, view._start = self._all, self._marks, self._start + start
        view.lines = self._all[view._start : view._start + max(stop - start, 0)]
        return view

    def _matched(self, style: Style, start: int, stop: int) -> list[Numbered | None]:
        """What `style` matches of the file's lines, matched at least from line `start` to `stop`."""
        marks = self._marks.get(style)
        if marks is None:
            marks = self._marks[style] = ([None] * len(self._all), bytearray(len(self._all)))
        found, asked = marks
        gap = asked.find(0, start, stop)
        while gap >= 0:  # each run of lines not asked about yet, matched in one go
            end = asked.find(1, gap, stop)
            end = stop if end < 0 else end
            found[gap:end] = [style.match(line) for line in self._all[gap:end]]
            asked[gap:end] = b"\x01" * (end - gap)
            gap = asked.find(0, end, stop)
        return found

    def matches(self, style: Style) -> list[Numbered | None]:
        """Per line, what `style.match` says of it."""
        start, stop = self._start, self._start + len(self.lines)
        return self._matched(style, start, stop)[start:stop]

    def match(self, style: Style, at: int) -> Numbered | None:
        """What `style.match` says of line `at`."""
        at += self._start
        return self._matched(style, at, at + 1)[at]

    def count(self, style: Style) -> int:
        """How many lines start an item in `style`."""
        return sum(1 for m in self.matches(style) if m is not None)
