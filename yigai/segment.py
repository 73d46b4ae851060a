"""Segment one document's lines into items, and read its metadata (title, jurisdiction, year…)."""

from __future__ import annotations

import dataclasses
import re

from .errors import InputError
from .jurisdiction import UNKNOWN, Jurisdiction, canonical, identify, short_name
from .model import Deadline, Document, Item, Target
from .numbering import CLAUSE, ITEM_STYLES, SECTION, SECTION_ITEMS, Lines, Style
from .promises import deadline_of, plain_years, targets_of
from .split import DOC_NUMBER, ISSUER, Part

# A lead-department note: (国家医保局、财政部…按职责分工负责) or (县人社局负责,2017年9月底前完成)
# The duty word is looked for in a lookahead, which never backtracks: `[^()]*?(?:负责…)[^()]*` retried
# at every duty word of an unclosed note is quadratic.
# A department's own name may hold one bracket of its own: 县医改办(县卫健局), 各县(市)政府.
_NOTE_PART = r"(?:[^()]|\([^()]*\))"
DEPARTMENT_NOTE = re.compile(rf"\((?={_NOTE_PART}*?(?:负责|牵头|按职责分工|配合|参与))({_NOTE_PART}*)\)")
_DEPARTMENT_SPLIT = re.compile(r"[、,;]|等和|和(?=各|地方)|等(?=[省市县区自国])")

DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_TITLE_END = re.compile(r"(通知|意见|方案|办法|任务|要点|计划|决定|规划|函|稿|报告|通报|总结|公告|通告|公示|纪要|批复|细则)$")
_TITLE_WORDS = re.compile(r"(重点工作任务|工作要点|实施方案|行动计划|重点工作|工作总结|工作计划|工作方案)")
_CLOSING = re.compile(r"^(各地|各级|各有关|各部门|各单位|各市|各县|各区|全区|全省|全市|全县|以上任务|下一步)")
# a sentence with the closing quotes after its end (“…好帮手。”聂振华说。: the quote's close is not the next one's start)
_SENTENCE = re.compile(r"[^。!?;]+[。!?;]?[”’」』]*")
_YEAR = re.compile(r"(20\d{2}|19\d{2})年")
_CJK = re.compile(r"[\u4e00-\u9fff]")

HEADER_LINE_MAX = 60  # header lines longer than this are preamble, not title/issuer/number


def departments_of(note: str) -> tuple[str, ...]:
    """国家医保局、财政部等按职责分工负责 -> (国家医保局, 财政部)."""
    note = note.split("。")[0]
    # what follows the duty word is a deadline or a remark (排在第一位的部门为牵头部门)
    note = re.split(r"按职责分工负责|分别负责|牵头负责|负责|牵头|参与|配合", note)[0]
    # a name's own bracket is one name's (各县(市、区)政府): its separators are set aside while the note is split
    held = _BRACKET.sub(lambda m: m.group(0).translate(_HIDE), note) if "(" in note else note
    names = []
    for part in _DEPARTMENT_SPLIT.split(held):
        part = part.translate(_SHOW).strip(" 等")  # 国家中医药局等 -> 国家中医药局
        if part and len(part) <= 40:
            names.append(part)
    return tuple(dict.fromkeys(names))


_BRACKET = re.compile(r"\([^()]*\)")
_HIDE = str.maketrans("、,;", "\x00\x01\x02")
_SHOW = str.maketrans("\x00\x01\x02", "、,;")


_FIRST_SENTENCE = re.compile(r"^(.*?)(?:。|$)")


def _first_sentence(text: str) -> str:
    m = _FIRST_SENTENCE.match(text)
    return (m.group(1) if m else text).strip()


def build_item(index: int, label: str, section: str, lines: list[str]) -> Item:
    """An item from its printed lines (label already removed from the first)."""
    text = "\n".join(lines).strip()
    # (a note opens with a bracket: most items have none to remove)
    without_notes = DEPARTMENT_NOTE.sub("", text) if "(" in text else text
    title = _first_sentence(without_notes.partition("\n")[0]) or _first_sentence(without_notes)
    measures = without_notes[len(title):].lstrip("。\n ") if without_notes.startswith(title) else without_notes
    return Item(index=index, label=label, section=section, title=title, text=text, measures=measures)


def promises_of(text: str) -> tuple[tuple[str, ...], Deadline | None, tuple[Target, ...]]:
    """An item's lead departments, deadline and targets, from its text (Item reads them when asked)."""
    notes = DEPARTMENT_NOTE.findall(text)
    note = notes[-1] if notes else None
    without_notes = DEPARTMENT_NOTE.sub("", text)
    return departments_of(note) if note else (), deadline_of(note, without_notes), targets_of(without_notes)


def _is_signature(line: str) -> bool:
    return bool(DATE.match(line)) or (len(line) <= 30 and bool(ISSUER.match(line)))


_NUMERAL_CHARACTERS = frozenset("一二三四五六七八九十百零〇")  # what a section heading opens with (a cheap look first)


def _is_heading(line: str) -> bool:
    return line[:1] in _NUMERAL_CHARACTERS and len(line) <= 60 and bool(SECTION.match(line))


def _other_style(lines: Lines, at: int, style: Style) -> bool:
    """Whether line `at` is numbered in another style than `style` (a sub-point)."""
    return any(lines.match(s, at) for s in ITEM_STYLES if s is not style)


def numbered_items(marked: Lines | tuple[str, ...], style: Style, before: int = 0,
                   sections: tuple[int, ...] = (), grouping: Style | None = None) -> tuple[list[Item], int, int]:
    """Items, and where they start and end in the lines (the rest is header and trailer); given as Lines, what
    the split matched of them already is not matched again. `before`: how many items the document has before
    these (their indexes follow on); `sections`: the lines of section headings that are items too (_prose_sections);
    `grouping`: an outer numbering whose lines head groups of the items (split.item_styles), headings as 一、 are."""
    marked = marked if isinstance(marked, Lines) else Lines(marked)
    lines, marks = marked.lines, marked.matches(style)
    groups = marked.matches(grouping) if grouping is not None else None

    def heading(line: str, at: int) -> bool:  # (a group's line is a heading too)
        return _is_heading(line) or (groups is not None and groups[at] is not None)

    if sections:
        marks = list(marks)
        for at in sections:
            marks[at] = SECTION_ITEMS.match(lines[at])
    starts = [i for i, m in enumerate(marks) if m is not None]
    last_start = starts[-1]
    items: list[Item] = []
    headings = [line for k, line in enumerate(lines[: starts[0]]) if heading(line, k)]
    section = headings[-1] if headings else ""
    i, end = starts[0], starts[0]
    while i < len(lines):
        line = lines[i]
        match = marks[i]
        if match is None:
            if heading(line, i) and i < last_start:
                section = line
            i += 1
            continue
        _, label, rest = match
        if i in sections:  # a section that is a task: its own heading is its section
            section = line
        body, j = [rest], i + 1
        closed = bool(DEPARTMENT_NOTE.search(rest))
        is_last = i == last_start
        title_only = "。" not in rest and len(rest) <= 40
        while j < len(lines):
            nxt = lines[j]
            if marks[j] is not None or heading(nxt, j) or _is_signature(nxt):
                break
            # A department note closes the item, except for sub-points that follow it (1. (1) …).
            if closed and not _other_style(marked, j, style):
                break
            # After the last item, only its own sub-points (or the body of a title-only item)
            # belong to it; the closing paragraph of the document does not.
            if is_last and (_CLOSING.match(nxt) or not (_other_style(marked, j, style) or title_only)):
                break
            body.append(nxt)
            closed = bool(DEPARTMENT_NOTE.search(nxt))
            j += 1
        items.append(build_item(before + len(items) + 1, label, section, body))
        end = j
        i = j
    return items, starts[0], end


_ANNEX = re.compile(r"^附件")


def _later_list(marked: Lines, end: int) -> tuple[int, Style] | None:
    """Where a list numbered in another style starts after the items end (`end`), under a section heading of its
    own, and its style: a work summary's 三、2024年工作计划 numbers its tasks 1., 2., … after a year's results
    numbered (一), (二) …, and a report's 三、下一步工作打算 does the same. Such tasks are the document's too. Only
    under a heading (a closing paragraph's 1. 2. are no tasks), and not an annex's list of attachments."""
    tail = marked[end:]
    lines = tail.lines
    heading = next((i for i, line in enumerate(lines) if _is_heading(line)), None)
    if heading is None:
        return None
    annex = next((i for i, line in enumerate(lines) if _ANNEX.match(line)), len(lines))
    if annex < heading:
        return None
    below = tail[heading + 1 : annex]
    for style in ITEM_STYLES:
        starts = [i for i, m in enumerate(below.matches(style)) if m is not None]
        if len(starts) >= 2:
            # the heading nearest the list's first line is its own (二、存在的问题 before 三、2024年工作计划)
            own = max(i for i, line in enumerate(lines[: heading + 1 + starts[0]]) if _is_heading(line))
            return end + own, style
    return None


# The sections of a document's frame, not of its tasks: what it is for and aims at, what went wrong, how it will
# be carried out. A heading that ends so is no task, whatever is printed beneath it.
_FRAME = re.compile(r"(总体要求|指导思想|基本原则|主要目标|工作目标|总体目标|发展目标|目标任务|存在的?问题|问题和不足|"
                    r"困难和问题|不足之处|保障措施|组织实施|工作要求|实施步骤|进度安排|时间安排|附则)$")


def _prose_sections(marked: Lines, style: Style) -> tuple[int, ...]:
    """Section headings that are tasks of their own: after the first item, with prose beneath and nothing
    numbered (a 2024 review's 六、促进中医药传承创新发展 and its paragraph, between sections that number their
    points (一), (二) …). Not the frame's sections (_FRAME), nor the sections of a list numbered 一、二、… alone."""
    if style is SECTION_ITEMS:
        return ()
    lines, own = marked.lines, marked.matches(style)
    first = next(i for i, m in enumerate(own) if m is not None)
    headings = [i for i in range(first, len(lines)) if _is_heading(lines[i])]
    found = []
    for at, following in zip(headings, [*headings[1:], len(lines)]):
        body = range(at + 1, following)
        if not body or any(own[k] is not None for k in body):  # (most sections: their items are beneath)
            continue
        heading = SECTION.match(lines[at])
        if (heading and not _FRAME.search(heading.group(2).rstrip("。:"))
                and not _ANNEX.match(lines[at + 1]) and not _is_signature(lines[at + 1])
                and not any(marked.match(s, k) for s in ITEM_STYLES for k in body)):
            found.append(at)
    return tuple(found)


def _items_and_frame(marked: Lines, style: Style, grouping: Style | None = None) -> tuple[list[Item], int, int]:
    """A numbered document's items, with where they start and end: those of its own style, with the sections
    that are tasks of their own (_prose_sections), then those of any list in another style that follows them
    under a heading of its own (_later_list)."""
    sections = _prose_sections(marked, style)
    items, first, end = numbered_items(marked, style, sections=sections, grouping=grouping)
    if grouping is None:
        items, first = _sections_in_other_styles(marked, style, sections, items, first, end)
    while (later := _later_list(marked, end)) is not None:
        at, other = later
        more, _, more_end = numbered_items(marked[at:], other, before=len(items))
        items += more
        end = at + more_end
    return items, first, end


def _sections_in_other_styles(marked: Lines, style: Style, sections: tuple[int, ...], items: list[Item], first: int,
                              end: int) -> tuple[list[Item], int]:
    """The items with those of the sections, before the items end, that number their points in another style: a
    医保局's 工作要点 numbers 一、 and 二、 1., 2., …, 三、 (一), (二) …, 四、 1., 2. … again (each department wrote its own).
    A section counts where its lines hold none of `style` and two or more of one other, the first numbered line's;
    not the frame's sections (一、总体要求 over (一)指导思想), nor an annex's. Indexes follow the document's order."""
    lines = marked.lines
    headings = [i for i in range(end) if _is_heading(lines[i])]
    if not headings:  # (most lists: nothing to look at)
        return items, first
    own = marked.matches(style)
    extra: list[tuple[int, list[Item]]] = []
    for at, following in zip(headings, [*headings[1:], end]):
        heading = SECTION.match(lines[at])
        if heading is None or _FRAME.search(heading.group(2).rstrip("。:")):
            continue
        body = range(at + 1, following)
        if any(own[k] is not None for k in body):
            continue
        # (the style of the section's first numbered line)
        other = next((s for k in body for s in ITEM_STYLES if s is not style and marked.match(s, k)), None)
        if other is None or sum(marked.match(other, k) is not None for k in body) < 2:
            continue
        found, start, _ = numbered_items(marked[at:following], other)
        extra.append((at + start, found))
    if not extra:
        return items, first
    # (where each of the items starts: its own style's lines, and the sections that are items of their own)
    starts = sorted({i for i, m in enumerate(own) if m is not None} | set(sections))
    return _in_order(starts, items, extra), min(first, *(at for at, _ in extra))


def _in_order(starts: list[int], items: list[Item], extra: list[tuple[int, list[Item]]]) -> list[Item]:
    """The items (starting at `starts`) and the other sections' (each section's from where it starts) in the
    document's order, indexed anew."""
    placed = [(at, k, item) for k, (at, item) in enumerate(zip(starts, items))]
    placed += [(at, len(placed) + n, item) for n, (at, found) in enumerate(extra) for item in found]
    ordered = [item for _, _, item in sorted(placed, key=lambda x: (x[0], x[1]))]
    return [dataclasses.replace(item, index=k) for k, item in enumerate(ordered, start=1)]


_SENTENCE_END = re.compile(r"[。!?;]")


def _prose_frame(lines: tuple[str, ...]) -> tuple[list[str], tuple[str, ...], list[str]]:
    """A news article's headline lines (short, no sentence in them), its text, and its closing signature
    (issuer, date): the headline names the place and the year and is no task, the signature neither."""
    start = 0
    while start < len(lines) and len(lines[start]) <= HEADER_LINE_MAX and not _SENTENCE_END.search(lines[start]):
        start += 1
    end = len(lines)
    while end > start and _is_signature(lines[end - 1]):
        end -= 1
    if start == end:  # nothing but short lines: they are the text (a one-line note is read, not dropped)
        return [], lines, []
    return list(lines[:start]), lines[start:end], list(lines[end:])


# A paragraph that opens by naming what went wrong, its 一是/二是 the problems one by one
_PROBLEMS = re.compile(r"(?:存在|还有|仍有|面临)[^。;]{0,12}(?:问题|不足|短板|差距|困难|挑战)|问题和不足|短板和不足|不足之处")


def _sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences, each with its closing quote mark: a straight quote (") that opens a sentence closes
    the one before where that one holds an odd number of them (\"…药也一样。\"章桂芬说。)."""
    sentences = _SENTENCE.findall(paragraph)
    for k in range(1, len(sentences)):
        if sentences[k].startswith('"') and sentences[k - 1].count('"') % 2 == 1:
            sentences[k - 1] += '"'
            sentences[k] = sentences[k][1:]
    return [s for s in sentences if s]


def prose_items(lines: tuple[str, ...]) -> list[Item]:
    """Items of a paragraph without numbering: its 一是/二是 clauses, else its sentences."""
    items: list[Item] = []
    for paragraph in lines:
        clauses = list(CLAUSE.finditer(paragraph))
        if clauses and _PROBLEMS.search(paragraph, 0, clauses[0].start()):
            continue  # a summary's 还存在一些短板和不足。一是…二是…: what went wrong, no task
        if clauses:
            for k, m in enumerate(clauses):
                stop = clauses[k + 1].start() if k + 1 < len(clauses) else len(paragraph)
                body = paragraph[m.end() : stop].strip()
                if _CJK.search(body):
                    items.append(build_item(len(items) + 1, m.group(0), "", [body]))
            continue
        pending: list[str] = []
        cjk = 0  # counted as sentences come: recounting the pending text each time is quadratic
        first = len(items)  # this paragraph's first item
        for sentence in _sentences(paragraph):
            pending.append(sentence)
            cjk += len(_CJK.findall(sentence))
            if cjk >= 8:
                items.append(build_item(len(items) + 1, "", "", ["".join(pending).strip()]))
                pending, cjk = [], 0
        if pending and len(items) > first:
            # a paragraph's short last words (under 8 characters: more made an item above) go with the sentence
            # before them (“…。”聂振华说。: who said it)
            last = items.pop()
            items.append(build_item(last.index, "", "", [last.text + "".join(pending).strip()]))
        elif cjk >= 4:
            items.append(build_item(len(items) + 1, "", "", ["".join(pending).strip()]))
    return items


def find_title(lines: list[str]) -> str:
    """The notice title (issuer + 关于…的通知), joined when the page broke it over lines."""
    for i, line in enumerate(lines):
        if "关于" in line and len(line) <= 80:
            title, j = line, i
            # (not into the addressees' line, 各设区市…,省…各成员单位:, nor into a heading)
            while (not _TITLE_END.search(title) and j + 1 < len(lines) and len(lines[j + 1]) <= 40
                   and not lines[j + 1].rstrip().endswith((":", "：")) and not _is_heading(lines[j + 1])):
                j += 1
                title += lines[j]
            if title.startswith("关于") and i > 0 and ISSUER.match(lines[i - 1]):
                title = lines[i - 1] + title
            return title
    for i, line in enumerate(lines):
        if _TITLE_WORDS.search(line):
            # 深化医药卫生体制改革 / 2022年重点工作任务: a title printed on two lines
            if i > 0 and not _TITLE_WORDS.search(lines[i - 1]) and len(lines[i - 1]) <= 20 and _YEAR.match(line):
                return lines[i - 1] + line
            return line
    return lines[0] if lines else ""


def _date(lines: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """The signature date (ISO) and the issuers printed just above it."""
    for i, line in enumerate(lines):
        m = DATE.match(line)
        if m:
            issuers: list[str] = []
            k = i - 1
            while k >= 0 and len(lines[k]) <= 30 and ISSUER.match(lines[k]):
                issuers.insert(0, lines[k])
                k -= 1
            return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}", tuple(issuers)
    return None, ()


def _year(title: str, date: str | None, doc_number: str | None, part: Part) -> int | None:
    # a year in the title, unless it is a deadline (…行动计划(到2025年)) rather than the plan's year
    years = plain_years(title)
    if years:
        return years[0]
    if date:
        return int(date[:4])
    if doc_number:
        m = re.search(r"\d{4}", doc_number)
        if m:
            return int(m.group(0))
    # a round-up: the latest year its paragraphs name; a paragraph that names none (展望新年,…) is of
    # the round-up's own year, which its lead paragraph names (2024年全国卫生健康体改工作会议…)
    roundup = next((years[0] for line in part.lead if (years := plain_years(line))), None)
    found: list[int] = []
    for line in part.lines:
        own = plain_years(line)
        year = own[0] if own else roundup
        if year is not None:
            found.append(year)
    return max(found) if found else None


# Tasks of one document: a list holds tens to hundreds, a long table some thousands; every command's work grows
# with them (compare: a second for a thousand), so a file of 50,000 numbered lines or 3 MB of prose read as
# sentences is refused.
MAX_ITEMS = 20_000


def segment(part: Part, source: str, selector: str) -> Document:
    """A Document from one part of a file."""
    if part.style is not None:
        items, first, end = _items_and_frame(part.marked(), part.style, part.grouping)
        header, trailer = list(part.lines[:first]), list(part.lines[end:])
    elif part.jurisdiction is None:
        header, body, trailer = _prose_frame(part.lines)
        items = prose_items(body)
    else:  # a round-up's paragraph: its lines are its text (the round-up's own header is its lead)
        items = prose_items(part.lines)
        header, trailer = [], []
    if not items:
        raise InputError(source, "no tasks found: no numbered items and no sentences", "is this a reform task list?")
    if len(items) > MAX_ITEMS:
        what = "numbered items" if part.style is not None else "sentences"
        raise InputError(source, f"holds {len(items):,} {what}, more than the {MAX_ITEMS:,} tasks of a document yigai reads",
                         "one task list holds tens to hundreds; split the file, or save the list alone")
    short = [line for line in header if len(line) <= HEADER_LINE_MAX]
    short_trailer = [line for line in trailer if len(line) <= HEADER_LINE_MAX]
    title = find_title(short)
    date, issuers = _date(short + short_trailer)
    doc_number = next((line for line in short if DOC_NUMBER.match(line)), None)
    if part.jurisdiction:
        place = Jurisdiction(part.jurisdiction, "provincial", short_name(part.jurisdiction))
        title = title or f"{place.name}深化医药卫生体制改革工作"
    else:
        place = identify([title] + short + list(issuers)) if (title or short) else UNKNOWN
    sections = tuple(dict.fromkeys(item.section for item in items if item.section))
    return Document(
        source=source,
        selector=selector,
        title=title,
        jurisdiction=canonical(place.name),
        level=place.level,
        year=_year(title, date, doc_number, part),
        doc_number=doc_number,
        items=tuple(items),
        issuer=issuers,
        date=date,
        short_name=place.short or place.name,
        sections=sections,
    )
