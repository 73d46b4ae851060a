"""What items promise: numeric targets with what they measure, deadlines read as dates, and lead
departments mapped to the function they serve whatever their name at each level and year.

Read beside `segment`: `segment.build_item` calls `targets_of` and `deadline_of` on each item's text;
`Departments` is read from data/departments.yaml. Every pattern here is linear in the text: digit runs
are matched possessively, so a page of digits cannot make them backtrack.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Deadline, Target
from .resources import data_path, read_yaml

# --- targets -------------------------------------------------------------------------------------

# Comparators printed before the number, and what bound each sets. 达到30% means at least 30%;
# 控制在10%以下 is a ceiling, which the `以下` printed after the number says.
_BEFORE = {
    "超过": "at_least", "不少于": "at_least", "不低于": "at_least", "至少": "at_least", "高于": "at_least",
    "达到": "at_least", "达": "at_least", "提高到": "at_least", "提高至": "at_least", "提升到": "at_least",
    "提升至": "at_least", "增加到": "at_least", "增至": "at_least", "新增": "at_least", "增加": "at_least",
    "完成": "at_least", "覆盖": "at_least",
    "不超过": "at_most", "不高于": "at_most", "低于": "at_most", "降至": "at_most", "降低到": "at_most",
    "下降到": "at_most", "控制在": "at_most",
    "稳定在": "about", "保持在": "about",
}
_AFTER = {"以上": "at_least", "以内": "at_most", "以下": "at_most", "左右": "about"}

TARGET = re.compile(
    # the lookahead lets the search skip, in one step, every position that starts neither a comparator nor a number
    "(?=[" + "".join(sorted({w[0] for w in _BEFORE})) + r"\d])"
    "(?P<pre>" + "|".join(sorted(_BEFORE, key=len, reverse=True)) + ")?"
    r"(?<![\d.—\-~～])(?P<num>\d++(?:\.\d++)?+)(?P<mult>万|亿)?"
    r"(?P<unit>个百分点|%|个|家|人次|人|元|项|所|张|种|批|名|床|户|条|支|台|分钟|小时|天|倍|类)"
    r"(?P<post>以上|以内|以下|左右)?"
    r"(?P<noun>的[\u4e00-\u9fff]{1,4}(?=[,。、;]))?"
)
# 全覆盖 at the end of a clause is a target of 100%: `DRG/DIP付费统筹地区全覆盖`.
FULL_COVERAGE = re.compile(r"全(?:面)?覆盖(?=[,。;]|$)")
_MULTIPLIER = {"万": 10_000, "亿": 100_000_000}
# A number that is followed by 提高到 is where a target starts from, not the target (由420元提高到450元).
_BASELINE_AFTER = re.compile(r"(?:提高|增加|提升|降低|下降|减少|增长)(?:到|至)")
_BASELINE_BEFORE = re.compile(r"(?:由|从)[^由从\d]*\d[^由从]*$")
_AIM = re.compile(r"确保|力争")  # not 争取: 累计争取…资金 is what is counted
_NEXT_NUMBER = re.compile(r"(?:至少|不少于|超过)?\d|[和、](?:若干|每个)")
_CLAUSE_STOP = re.compile(r"[,。;:!?\n]")
_SENTENCE_STOP = re.compile(r"[。;!?\n]")
# Words that open a clause without being part of what it measures (力争到2023年底,全区集采药品数…).
_LEADING = re.compile(r"^(?:力争|争取|确保|实现|推动|推进|使|全面|基本|其中|同时|并|且|要|将|逐步|进一步|当年|以上)+")


def _bound(pre: str, post: str) -> str:
    if post:
        return _AFTER[post]
    return _BEFORE.get(pre, "about")


# How far a target's clause or sentence is looked for on either side: a sentence of a task list is a
# few dozen characters; bounding the look keeps a page with no punctuation linear.
_REACH = 160


def _last_stop(stops: re.Pattern[str], text: str, start: int) -> int:
    """Where the clause (or sentence) holding position `start` begins."""
    window = max(0, start - _REACH)
    return max((m.end() for m in stops.finditer(text, window, start)), default=window)


def _strip_leading(text: str) -> str:
    """力争到2023年底全区集采药品数 -> 全区集采药品数: opening words and deadlines are not the subject."""
    while True:
        stripped = _LEADING.sub("", text)
        m = DEADLINE.match(stripped)
        if m and m.end() > 0 and _deadline(m):
            stripped = stripped[m.end():]
        if stripped == text:
            return text
        text = stripped


def _subject(text: str, start: int, end: int, noun: str, floor: int = 0) -> str:
    """The measured thing, as printed: what the clause says before the target (县域住院率 达85%),
    or, when the number counts what follows it, that (40%以上 的统筹地区开展DRG付费).

    `floor` is where the previous target of the clause ended: 占比56.32%、公立医院医疗服务收入占比32.53%."""
    clause_start = _last_stop(_CLAUSE_STOP, text, start)
    stop = _CLAUSE_STOP.search(text, end, end + _REACH)
    after = text[end : stop.start() if stop else min(len(text), end + _REACH)]
    after = _NEXT_NUMBER.split(after, maxsplit=1)[0]  # 25个省级临床重点专科和至少60个…: up to the next count
    after = after.rstrip("和及与、").strip()
    before = text[max(clause_start, floor) : start].strip().lstrip("、和及与")
    before = _BASELINE_BEFORE.sub("", before)  # 由每人每年420元 (提高到): the baseline
    before = _AIM.split(before)[-1]  # 采取巡诊等方式确保村级医疗卫生服务 (全覆盖): what is to be reached
    before = _strip_leading(before).strip(" 的、")
    if noun:  # 覆盖全国95%的区县: the short noun closes the clause; what precedes says what is counted
        return (before + noun[1:]).strip()
    if after.startswith(("、", "和")):  # 稳定在95%、85%左右: the subject is the list's, before it
        after = ""
    if after:
        return after.lstrip("的").strip()
    return before


def _due(text: str, start: int, end: int) -> int | None:
    """The year the target's sentence names as its deadline (到2025年, 力争到2023年底), before it first."""
    sentence_start = _last_stop(_SENTENCE_STOP, text, start)
    stop = _SENTENCE_STOP.search(text, end, end + _REACH)
    before = [d for d in deadlines_in(text[sentence_start:start]) if d.year is not None]
    if before:
        return before[-1].year
    after = [d for d in deadlines_in(text[end : stop.start() if stop else min(len(text), end + _REACH)])
             if d.year is not None]
    return after[0].year if after else None


def targets_of(text: str) -> tuple[Target, ...]:
    """超过350个 -> Target(超过350个, 350, 个, subject, 超过, at_least); 3.5万人 -> value 35000, unit 人."""
    found: list[tuple[int, Target]] = []
    previous_end, previous_subject = -1, ""
    for m in TARGET.finditer(text):
        if not m["pre"] and (_BASELINE_AFTER.match(text, m.end()) or text[m.start() - 1 : m.start()] == "第"):
            continue  # 由420元提高到…: where it starts; 第5批: an ordinal
        value = round(float(m["num"]) * _MULTIPLIER.get(m["mult"] or "", 1), 6)  # 9.3亿 is 930000000, not …0001
        pre, post = m["pre"] or "", m["post"] or ""
        comparator = f"{pre}…{post}" if pre and post else pre or post
        listed = previous_end >= 0 and text[previous_end : m.start()] in {"、", "和"}
        floor = previous_end if previous_end >= 0 and not _CLAUSE_STOP.search(text, previous_end, m.start()) else 0
        subject = _subject(text, m.start(), m.end(), m["noun"] or "", floor)
        if listed and not subject:  # 稳定在95%、85%左右: one subject, two figures
            subject = previous_subject
        found.append((m.start(), Target(
            text=m.group(0), value=value, unit=m["unit"], subject=subject,
            comparator=comparator, bound=_bound(pre, post), due=_due(text, m.start(), m.end()),
        )))
        previous_end, previous_subject = m.end(), subject
    for m in FULL_COVERAGE.finditer(text):
        found.append((m.start(), Target(
            text=m.group(0), value=100.0, unit="%", subject=_subject(text, m.start(), m.end(), ""),
            comparator=m.group(0), bound="at_least", due=_due(text, m.start(), m.end()),
        )))
    return tuple(t for _, t in sorted(found, key=lambda pair: pair[0]))


# --- deadlines -----------------------------------------------------------------------------------

# Every printed form: 2017年9月底前, 2017年底以前, 2017年年底前, 年底前, 年内, 10月底前, 上半年,
# 到2025年, 力争到2023年底, 2024年6月30日前. Each part is optional and possessive; which combinations make a
# deadline is decided in `_deadline`, so that a bare 2020年 (比2020年提高) is none.
DEADLINE = re.compile(
    r"(?<!\d)(?=[力到于上下年\d])(?P<reach>力争到|力争于|到|于)?+"  # the lookahead: a deadline starts with one of these
    r"(?:(?P<year>\d{4})年)?+"
    r"(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日)?+(?P<part>底|末|中旬|上旬|下旬)?+|(?P<half>上半年|下半年)"
    r"|(?P<end>年底|年末|年内|底|末|内))?+"
    r"(?P<before>以前|之前|前)?+"
)
_PART_DAY = {"上旬": 10, "中旬": 20}


def _deadline(m: re.Match[str]) -> Deadline | None:
    year = int(m["year"]) if m["year"] else None
    month, part, half, end, before = m["month"], m["part"], m["half"], m["end"], m["before"]
    if end in {"底", "末", "内"} and year is None:
        return None  # 底 alone is a word (底线), not a deadline
    if month is not None and m["day"] is not None:
        # 2024年6月30日前, 到2024年6月30日: a day to finish by; 2024年3月5日 alone, or 于…印发, is a date
        if part or not (before or m["reach"] in {"到", "力争到"}):
            return None
        number, day = int(month), int(m["day"])
        if not 1 <= number <= 12 or not 1 <= day <= calendar.monthrange(year or 2000, number)[1]:
            return None
        return Deadline(m.group(0), year, number, day)
    if month is not None:
        if not (part or before or m["reach"]):
            return None  # 2022年5月 (印发): a date, not a deadline
        number = int(month)
        if not 1 <= number <= 12:
            return None
        if part in _PART_DAY:
            day = _PART_DAY[part]
        elif part or not before:
            day = calendar.monthrange(year or 2001, number)[1]
        else:  # 9月前: before September
            number, day = (number - 1, calendar.monthrange(year or 2001, number - 1)[1]) if number > 1 else (12, 31)
            year = year - 1 if year is not None and number == 12 else year
        return Deadline(m.group(0), year, number, day)
    if half is not None:
        if not (year or before or m["reach"]):
            return None
        return Deadline(m.group(0), year, 6 if half == "上半年" else 12, 30 if half == "上半年" else 31)
    if end is not None:
        return Deadline(m.group(0), year, 12, 31)
    if year is not None and (m["reach"] in {"到", "力争到"} or before):
        return Deadline(m.group(0), year, 12, 31)
    return None


def deadlines_in(text: str) -> list[Deadline]:
    """Every deadline printed in `text`, in reading order."""
    found = []
    for m in DEADLINE.finditer(text):
        if m.end() > m.start():
            deadline = _deadline(m)
            if deadline is not None:
                found.append(deadline)
    return found


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")


def plain_years(text: str) -> list[int]:
    """The years `text` names other than as a deadline: 2024年,北京市将… -> [2024]; 到2025年县域住院率达85% -> []."""
    spans = [(m.start(), m.end()) for m in DEADLINE.finditer(text) if m.end() > m.start() and _deadline(m)]
    return [int(m.group(1)) for m in _YEAR.finditer(text) if not any(a <= m.start() < b for a, b in spans)]


def deadline_of(note: str | None, text: str) -> Deadline | None:
    """The first deadline printed, in the department note first (县人社局负责,2017年9月底前完成)."""
    for source in (note or "", text):
        found = deadlines_in(source)
        if found:
            return found[0]
    return None


# --- departments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentName:
    """One printed name of a department serving `function`, at `level`, in use from `since` to `until`."""

    function: str
    level: str
    name: str
    since: int | None = None
    until: int | None = None

    def in_use(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.since is None or year >= self.since) and (self.until is None or year <= self.until)


@dataclass(frozen=True)
class Departments:
    """Department names by function, across levels and years (data/departments.yaml)."""

    labels: dict[str, str]  # function -> how analysts name it (医疗保障)
    names: tuple[DepartmentName, ...]

    def functions_of(self, department: str, year: int | None = None) -> tuple[str, ...]:
        """The functions `department` served in `year`: 县人社局 in 2017 -> (人社, 医保); () when unknown.

        A printed name carries its level as a prefix (国家, 省, 自治区, 县) or none (财政厅), so it is
        matched by its longest known ending; names out of use that year count only if nothing else fits."""
        matches = [n for n in self.names if department.endswith(n.name)]
        if not matches:
            return ()
        longest = max(len(n.name) for n in matches)
        matches = [n for n in matches if len(n.name) == longest]
        current = [n for n in matches if n.in_use(year)] or matches
        return tuple(dict.fromkeys(n.function for n in current))

    def label(self, function: str) -> str:
        return self.labels.get(function, function)


def _departments(data: Any, source: str) -> Departments:
    if not isinstance(data, dict) or not isinstance(data.get("functions"), list):
        raise InputError(source, "expected a top-level `functions:` list", "see data/departments.yaml")
    labels: dict[str, str] = {}
    names: list[DepartmentName] = []
    for entry in data["functions"]:
        if not isinstance(entry, dict) or "function" not in entry or not isinstance(entry.get("names"), list):
            raise InputError(source, f"function entry {entry!r} needs `function` and `names`", "see data/departments.yaml")
        function = str(entry["function"])
        labels[function] = str(entry.get("label", function))
        for group in entry["names"]:
            if not isinstance(group, dict) or not isinstance(group.get("names"), list):
                raise InputError(source, f"{function}: each names entry needs a `names` list", "see data/departments.yaml")
            for name in group["names"]:
                names.append(DepartmentName(function, str(group.get("level", "any")), str(name),
                                            group.get("since"), group.get("until")))
    return Departments(labels, tuple(names))


@cache
def load_departments(path: str | None = None) -> Departments:
    """The department map shipped in data/ (or another file in the same format)."""
    file = Path(path) if path else data_path("departments.yaml")
    return _departments(read_yaml(file.read_text(encoding="utf-8")), str(file))
