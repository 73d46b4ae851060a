"""`yigai compare` output: coverage and gap tables, how strongly each pair promises, local-only items,
summary; one national item in detail; JSON, the 对标 table as CSV (and as xlsx, in xlsx.py), Markdown."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from yigai.align import Alignment, Grade, Pair
from yigai.coverage import Coverage, percent
from yigai.decisions import decision_of, rejected_of
from yigai.model import Item, Target
from yigai.promises import Departments, load_departments
from yigai.strength import DeadlineVerdict, LeadVerdict, PairStrength, Strength, TargetVerdict, strength

from .. import jsonout
from .cells import DECIDED, UNSURE, CsvWriter, decisions_line, markdown_cell
from .marks import MARK

if TYPE_CHECKING:  # rich is imported where a table is drawn: JSON, CSV and Markdown do without it
    from collections.abc import Callable

    from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
    from rich.table import Table
    from rich.text import Text

STYLE = {Grade.FULL: "bold green", Grade.PARTIAL: "yellow", Grade.NONE: "bold red"}
VERDICT_STYLE = {TargetVerdict.STRICTER: "green", TargetVerdict.SAME: "cyan", TargetVerdict.LOOSER: "bold red",
                 TargetVerdict.NOT_COMPARABLE: "dim", TargetVerdict.ABSENT: "yellow",
                 DeadlineVerdict.EARLIER: "green", DeadlineVerdict.SAME: "cyan", DeadlineVerdict.LATER: "yellow",
                 DeadlineVerdict.NONE: "dim", LeadVerdict.SAME_FUNCTION: "green", LeadVerdict.DIFFERS: "bold yellow",
                 LeadVerdict.UNKNOWN: "dim"}
COUNTERPARTS_SHOWN = 3  # the table lists this many counterparts per national item, then `+N more`


def _with_strength(alignment: Alignment, found: Strength | None, departments: Departments | None
                   ) -> tuple[Strength, Departments]:
    departments = departments or load_departments()
    return found or strength(alignment, departments), departments


def ordered_pairs(alignment: Alignment, index: int) -> list[Pair]:
    """A national item's counterparts: full ones first, then partial, each by score."""
    return sorted(alignment.pairs_of(index), key=lambda p: (p.grade is not Grade.FULL, -p.score))


def _pair_object(pair: Pair, found: Strength | None, departments: Departments | None) -> dict[str, Any]:
    data = pair.as_dict()
    if found is not None and departments is not None:
        side_by_side = found.of(pair)
        data.update(side_by_side.as_dict())
        data["notes"] = list(side_by_side.notes(departments))
    return data


def as_object(alignment: Alignment, cover: Coverage, found: Strength | None = None,
              departments: Departments | None = None) -> dict[str, Any]:
    """The compare object of DESIGN.md (plus topics, per-topic coverage and, given a Strength, each pair's
    targets, deadline and lead side by side)."""
    result = cover.as_dict()
    result["by_topic"] = {t: {"items": n, "ratio": round(r, 4)} for t, (n, r) in cover.by_topic.items()}
    return {
        "national": alignment.national.as_dict(),
        "reference": alignment.national.reference_metadata(),
        "local": alignment.local.as_dict(),
        "pairs": [_pair_object(p, found, departments)
                  for p in sorted(alignment.pairs, key=lambda p: (p.national, -p.score))],
        "coverage": result,
        "local_only": list(cover.local_only),
        "topics": {str(k): v for k, v in alignment.topics.items()},
        "rejected": [p.as_dict() for p in rejected_of(alignment)],
    }


def as_json(alignment: Alignment, cover: Coverage, found: Strength | None = None,
            departments: Departments | None = None) -> str:
    found, departments = _with_strength(alignment, found, departments)
    return jsonout.dumps(as_object(alignment, cover, found, departments))


def decision_mark(pair: object) -> str:
    """` ✎` after a pair an analyst decided on; ` (?)` after one of yigai's own it is unsure of; else empty."""
    applied = decision_of(pair)  # type: ignore[arg-type]
    if applied:
        return f" {DECIDED}"
    return f" {UNSURE}" if getattr(pair, "certainty", "") == "unsure" else ""


def _decision(pair: Pair) -> str:
    applied = decision_of(pair)
    return applied.decision.action.value if applied else ""


def _counterparts(alignment: Alignment, index: int, limit: int | None = None) -> list[str]:
    """Full counterparts first, then partial (at most `limit`, then `+N more`), then the rejected ones."""
    pairs = ordered_pairs(alignment, index)
    shown = pairs if limit is None else pairs[:limit]
    local = alignment.local.item
    lines = [f"{MARK[p.grade]} {local(p.local).label or p.local} {local(p.local).title}{decision_mark(p)}" for p in shown]
    if len(pairs) > len(shown):
        lines.append(f"+{len(pairs) - len(shown)} more")
    lines += [f"⊘ {local(p.local).label or p.local} {local(p.local).title}{decision_mark(p)}"
              for p in rejected_of(alignment) if p.national == index]
    return lines


def target_text(target: Target | None) -> str:
    """超过500个 (全区集采药品数, 2023): the figure, what it measures, the year it is due."""
    if target is None:
        return "—"
    facts = [f for f in (target.subject, str(target.due) if target.due else "") if f]
    return target.text + (f" ({', '.join(facts)})" if facts else "")


def _lead_text(name: str | None, functions: tuple[str, ...], departments: Departments) -> str:
    if name is None:
        return "—"
    return f"{name} ({'/'.join(departments.label(f) for f in functions)})" if functions else name


# The 对标 table: one row per (national item, counterpart) pair, one per uncovered national item and one
# per local-only item. CSV and xlsx share it; `width` is the xlsx column width in Excel units.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("national_index", "#", 5), ("national_label", "label", 8), ("national_title", "national item", 24),
    ("national_text", "what the national text asks", 60), ("topic", "topic", 12), ("grade", "grade", 10),
    ("score", "score", 7), ("confidence", "confidence", 10), ("certainty", "how sure", 9),
    ("local_index", "local #", 7), ("local_label", "local label", 8),
    ("local_title", "local counterpart", 24), ("local_text", "what the local text says", 60),
    ("evidence", "evidence", 18), ("local_sentence", "local sentence", 36),
    ("national_target", "national target", 26), ("local_target", "local target", 26),
    ("target_verdict", "stricter or looser", 14), ("national_lead", "national lead", 18),
    ("local_lead", "local lead", 18), ("lead_verdict", "who leads", 13), ("national_deadline", "national deadline", 14),
    ("local_deadline", "local deadline", 14), ("deadline_verdict", "by when", 9), ("decision", "decision", 10),
    ("note", "note", 40),
)


def _national_cells(alignment: Alignment, item: Item) -> dict[str, Any]:
    return {"national_index": item.index, "national_label": item.label, "national_title": item.title,
            "national_text": item.text, "topic": alignment.topics.get(item.index, "")}


def _local_cells(item: Item) -> dict[str, Any]:
    return {"local_index": item.index, "local_label": item.label, "local_title": item.title, "local_text": item.text}


def _pair_cells(pair: Pair, side: PairStrength, departments: Departments) -> dict[str, Any]:
    return {
        "grade": pair.grade.value, "score": round(pair.score, 3), "confidence": round(pair.confidence, 3),
        "certainty": pair.certainty, "evidence": "、".join(pair.evidence),
        "local_sentence": pair.local_sentence,
        "national_target": "\n".join(target_text(t.national) for t in side.targets),
        "local_target": "\n".join(target_text(t.local) for t in side.targets),
        "target_verdict": "\n".join(t.verdict.value for t in side.targets),
        "national_lead": _lead_text(side.lead.national, side.lead.national_functions, departments),
        "local_lead": _lead_text(side.lead.local, side.lead.local_functions, departments),
        "lead_verdict": side.lead.verdict.value,
        "national_deadline": side.deadline.national or "", "local_deadline": side.deadline.local or "",
        "deadline_verdict": side.deadline.verdict.value,
        "decision": _decision(pair),
        "note": "; ".join(side.notes(departments)),
    }


def rows(alignment: Alignment, cover: Coverage, found: Strength | None = None,
         departments: Departments | None = None) -> list[dict[str, Any]]:
    """The 对标 table's rows, in national order; local-only items last."""
    found, departments = _with_strength(alignment, found, departments)
    table: list[dict[str, Any]] = []
    for item in alignment.national.items:
        pairs = ordered_pairs(alignment, item.index)
        if not pairs:
            table.append({**_national_cells(alignment, item), "grade": Grade.NONE.value,
                          "national_target": "\n".join(target_text(t) for t in item.targets),
                          "national_deadline": item.deadline or "", "note": "no local counterpart"})
        for pair in pairs:
            table.append({**_national_cells(alignment, item), **_local_cells(alignment.local.item(pair.local)),
                          **_pair_cells(pair, found.of(pair), departments)})
        for pair in (p for p in rejected_of(alignment) if p.national == item.index):
            table.append({**_national_cells(alignment, item), **_local_cells(alignment.local.item(pair.local)),
                          "grade": "rejected", "decision": _decision(pair), "note": "rejected by the analyst"})
    for index in cover.local_only:
        local = alignment.local.item(index)
        table.append({**_local_cells(local), "grade": "local only",
                      "local_target": "\n".join(target_text(t) for t in local.targets),
                      "local_deadline": local.deadline or "", "note": "the locality's own initiative"})
    return [{key: row.get(key, "") for key, _, _ in COLUMNS} for row in table]


def as_csv(alignment: Alignment, cover: Coverage, found: Strength | None = None,
           departments: Departments | None = None) -> str:
    """The 对标 table, one row per pair, as UTF-8 with a BOM so that Excel and WPS open it as Chinese."""
    buffer = io.StringIO()
    keys = [key for key, _, _ in COLUMNS]
    writer = CsvWriter(buffer, lineterminator="\r\n")
    writer.writerow(keys)
    writer.writerows([row[k] for k in keys] for row in rows(alignment, cover, found, departments))
    return "\ufeff" + buffer.getvalue()


def _md(text: str) -> str:
    return markdown_cell(text, newline="<br>")  # a cell keeps its lines


def as_markdown(alignment: Alignment, cover: Coverage, found: Strength | None = None,
                departments: Departments | None = None) -> str:
    n, loc = alignment.national, alignment.local
    lines = [
        f"## {loc.jurisdiction or loc.title}: coverage of {n.title or n.jurisdiction}",
        "",
        f"Coverage **{percent(cover.ratio)}** ({cover.ratio:.4f}): {len(cover.full)} full, {len(cover.partial)} partial, "
        f"{len(cover.uncovered)} uncovered of {cover.total} {n.as_reference} items; {len(cover.local_only)} local-only items.",
        "",
        f"| # | {_md(n.as_reference)} item | topic | grade | local counterparts | evidence |",
        "|---:|---|---|:---:|---|---|",
    ]
    for item in n.items:
        pairs = sorted(alignment.pairs_of(item.index), key=lambda p: -p.score)
        grade = alignment.grade_of(item.index)
        locals_ = "<br>".join(_md(c) for c in _counterparts(alignment, item.index)) or "—"
        evidence = ", ".join(dict.fromkeys(e for p in pairs for e in p.evidence))
        lines.append(f"| {item.index} | {_md(item.short_title(30))} | {alignment.topics.get(item.index, '')} | "
                     f"{MARK[grade]} {grade.value} | {locals_} | {_md(evidence)} |")
    if cover.uncovered:
        lines += ["", f"### Gaps: {_md(n.as_reference)} items with no counterpart", ""]
        lines += [f"- {i} {_md(n.item(i).title)}" for i in cover.uncovered]
    if cover.local_only:
        lines += ["", "### Local-only items", ""]
        lines += [f"- {i} {_md(loc.item(i).title)}" for i in cover.local_only]
    lines += ["", "### Coverage by topic", "", f"| topic | {_md(n.as_reference)} items | coverage |", "|---|---:|---:|"]
    for topic, (count, ratio) in sorted(cover.by_topic.items(), key=lambda kv: kv[1][1]):
        lines.append(f"| {_md(topic)} | {count} | {percent(ratio)} |")
    found, departments = _with_strength(alignment, found, departments)
    promised = [r for r in rows(alignment, cover, found, departments)
                if r["local_index"] != "" and r["national_index"] != "" and (r["national_target"] or r["national_deadline"])]
    if promised:
        lines += ["", "### How strongly: targets, deadlines, lead departments", "",
                  "| # | local | national target | local target | stricter or looser | by when | who leads |",
                  "|---:|---:|---|---|---|---|---|"]
        for r in promised:
            cells = [r["national_target"], r["local_target"], r["target_verdict"]]
            lines.append(f"| {r['national_index']} | {r['local_index']} | "
                         + " | ".join(_md(c).replace("\\n", "<br>") if c else "—" for c in cells)
                         + f" | {_md(r['deadline_verdict'])} | {_md(r['lead_verdict'])} |")
    return "\n".join(lines) + "\n"


def excerpt(sentence: str, terms: tuple[str, ...], width: int = 36) -> str:
    """The sentence, shortened to about `width` characters around the first shared term."""
    if len(sentence) <= width:
        return sentence
    at = min((sentence.find(t) for t in terms if t in sentence), default=0)
    start = max(0, min(at - width // 3, len(sentence) - width))
    text = sentence[start : start + width]
    return ("…" if start else "") + text + ("…" if start + width < len(sentence) else "")


def _quoted(pairs: list, limit: int = 3) -> Text:  # type: ignore[type-arg]
    """Each counterpart's local sentence, shortened around the shared terms, which are highlighted."""
    from rich.text import Text

    text = Text()
    for k, pair in enumerate(pairs[:limit]):
        if k:
            text.append("\n")
        line = Text(excerpt(pair.local_sentence, pair.local_terms))  # Text, not markup: document text is untrusted
        line.highlight_words(pair.local_terms, style="bold magenta")
        text.append_text(line)
    return text


def _verdict(text: Text, verdict: TargetVerdict | DeadlineVerdict | LeadVerdict) -> None:
    text.append("  ")
    text.append(verdict.value, style=VERDICT_STYLE[verdict])


def _targets_cell(side: PairStrength) -> Text:
    from rich.text import Text

    cell = Text()
    for k, t in enumerate(side.targets):
        if k:
            cell.append("\n")
        cell.append(f"{t.national.text} → {t.local.text if t.local else '—'}")
        _verdict(cell, t.verdict)
    return cell


def _deadline_cell(side: PairStrength) -> Text:
    from rich.text import Text

    cell = Text(f"{side.deadline.national or '—'} → {side.deadline.local or '—'}")
    _verdict(cell, side.deadline.verdict)
    return cell


def _lead_cell(side: PairStrength) -> Text:
    from rich.text import Text

    cell = Text(f"{side.lead.national or '—'} → {side.lead.local or '—'}")
    _verdict(cell, side.lead.verdict)
    return cell


def _says_something(pair: Pair, side: PairStrength) -> bool:
    """A target, two deadlines, or a full counterpart led by a department of another function."""
    return (bool(side.targets) or side.deadline.verdict is not DeadlineVerdict.NONE
            or (pair.grade is Grade.FULL and side.lead.verdict is LeadVerdict.DIFFERS))


def strength_table(alignment: Alignment, found: Strength) -> Table | None:
    """Pairs with a target, two deadlines or leads of different functions: what each side promises."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"How strongly: targets, deadlines and lead departments ({alignment.national.as_reference} → local)",
                  title_justify="left", expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("local", justify="right", no_wrap=True)
    table.add_column("targets", overflow="fold", ratio=4)
    table.add_column("by when", overflow="fold", ratio=2)
    table.add_column("who leads", overflow="fold", ratio=3)
    for item in alignment.national.items:
        for pair in ordered_pairs(alignment, item.index):
            side = found.of(pair)
            if _says_something(pair, side):
                table.add_row(str(item.index), Text(f"{MARK[pair.grade]} {pair.local}", style=STYLE[pair.grade]),
                              _targets_cell(side), _deadline_cell(side), _lead_cell(side))
    return table if table.row_count else None


WIDE = 120  # columns from which the six-column table has room for its text; below, one block per national item


class ByWidth:
    """The wide table at `WIDE` columns or more, else the blocks: chosen when drawn, at the width drawn to
    (the terminal's, or a file's)."""

    def __init__(self, wide: Callable[[], RenderableType], narrow: Callable[[Console, int], RenderableType]) -> None:
        self.wide, self.narrow = wide, narrow

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.wide() if options.max_width >= WIDE else self.narrow(console, options.max_width)


def as_table(alignment: Alignment, cover: Coverage, found: Strength | None = None,
             departments: Departments | None = None) -> ByWidth:
    """What compare prints: the table on a wide terminal, one block per national item on a narrow one."""
    return ByWidth(lambda: wide_table(alignment, cover, found, departments),
                   lambda console, width: narrow_blocks(console, alignment, cover, found, width))


def _summary(alignment: Alignment, cover: Coverage) -> Text:
    from rich.text import Text

    topics = "  ".join(f"{t} {percent(r)}" for t, (_, r) in sorted(cover.by_topic.items(), key=lambda kv: kv[1][1]))
    summary = Text()
    summary.append(f"coverage {percent(cover.ratio)} ", style="bold")
    summary.append(f"({len(cover.full)} ✓ full, {len(cover.partial)} ◐ partial, {len(cover.uncovered)} ✗ uncovered "
                   f"of {cover.total}; {len(cover.local_only)} local-only)\n")
    summary.append(f"by topic: {topics}", style="dim")
    said = decisions_line(sum(1 for p in alignment.pairs if decision_of(p)), len(rejected_of(alignment)), "pairs")
    if said:
        summary.append("\n" + said, style="dim")
    return summary


def _wrapped(console: Console, text: Text, width: int) -> list[Text]:
    """The text's lines at `width` columns (folded where a Chinese sentence has no space to wrap at)."""
    return list(text.wrap(console, max(width, 8), overflow="fold"))


def _hanging(lead: Text, lines: list[Text], lead_width: int) -> list[Text]:
    """`lead line` for the first line, the others indented beneath it: a hanging indent, drawn as plain lines
    (a grid per block draws the same and took a third longer than the whole table)."""
    from rich.text import Text

    hung = []
    for k, line in enumerate(lines):
        head = lead.copy() if k == 0 else Text()
        head.pad_right(lead_width + 1 - head.cell_len)
        head.append_text(line)
        hung.append(head)
    return hung


EXCERPT_CELLS = 2  # a Chinese character takes two terminal columns


def _counterpart_block(console: Console, alignment: Alignment, pair: Pair, room: int,
                       rejected: bool = False) -> list[Text]:
    """`✓ (十四) title` and, beneath the title, the local sentence that carries the match, in `room` columns.
    The label hangs apart: a title without spaces would otherwise wrap whole below it."""
    from rich.text import Text

    local = alignment.local.item(pair.local)
    mark = Text("⊘", style="dim") if rejected else Text(MARK[pair.grade], style=STYLE[pair.grade])
    label = Text(local.label or str(pair.local))
    width = room - 3 - label.cell_len  # less the mark and the label, each with its space
    lines = _wrapped(console, Text(f"{local.title}{decision_mark(pair)}"), width)
    if not rejected and pair.local_sentence:
        # one line: the sentence around its shared terms, in 「」 (two columns wide everywhere, where “” take
        # one or two as the font has it) and up to two …, two columns a character
        characters = (width - 6) // EXCERPT_CELLS
        quoted = Text(f"「{excerpt(pair.local_sentence, pair.local_terms, max(12, characters))}」", style="dim")
        quoted.highlight_words(pair.local_terms, style="bold magenta")
        lines += _wrapped(console, quoted, width)
    return _hanging(mark, _hanging(label, lines, label.cell_len), 1)


def _item_block(console: Console, alignment: Alignment, item: Item, width: int) -> list[Text]:
    """`7 title`, `✓ full · topic`, then each counterpart (at most COUNTERPARTS_SHOWN) and the rejected ones."""
    from rich.text import Text

    grade = alignment.grade_of(item.index)
    status = Text(f"{MARK[grade]} {grade.value}", style=STYLE[grade])
    topic = alignment.topics.get(item.index, "")
    if topic:
        status.append(" · ")
        status.append(topic, style="cyan")
    number = len(str(len(alignment.national.items)))
    room = width - number - 1
    lines = _wrapped(console, Text(item.title.rstrip("。;"), style="bold"), room) + _wrapped(console, status, room)
    pairs = ordered_pairs(alignment, item.index)
    for pair in pairs[:COUNTERPARTS_SHOWN]:
        lines += _counterpart_block(console, alignment, pair, room)
    if len(pairs) > COUNTERPARTS_SHOWN:
        more = Text(f"+{len(pairs) - COUNTERPARTS_SHOWN} more (--detail {item.index} lists every one)", style="dim")
        lines += _wrapped(console, more, room)
    for pair in (p for p in rejected_of(alignment) if p.national == item.index):
        lines += _counterpart_block(console, alignment, pair, room, rejected=True)
    return _hanging(Text(str(item.index).rjust(number), style="bold"), lines, number)


def _strength_rows(alignment: Alignment, found: Strength) -> RenderableType | None:
    """The strength table's rows, its cells one beneath the other: `7 ✓ 14 targets …`, `by when …`,
    `who leads …` (a deadline neither side sets is left out)."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    for item in alignment.national.items:
        for pair in ordered_pairs(alignment, item.index):
            side = found.of(pair)
            if not _says_something(pair, side):
                continue
            cells: list[tuple[str, Text]] = []
            if side.targets:
                cells.append(("targets", _targets_cell(side)))
            if side.deadline.national or side.deadline.local:
                cells.append(("by when", _deadline_cell(side)))
            cells.append(("who leads", _lead_cell(side)))
            for k, (label, value) in enumerate(cells):
                grid.add_row(Text(str(item.index) if not k else ""),
                             Text(f"{MARK[pair.grade]} {pair.local}", style=STYLE[pair.grade]) if not k else Text(""),
                             label, value)
    return grid if grid.row_count else None


def narrow_blocks(console: Console, alignment: Alignment, cover: Coverage, found: Strength | None,
                  width: int) -> RenderableType:
    """Below `WIDE` columns: each national item a block (title, grade and topic, then each counterpart with its
    local sentence beneath it), the strength rows as paragraphs, gaps and local-only items as lists."""
    from rich.console import Group
    from rich.text import Text

    n, loc = alignment.national, alignment.local
    parts: list[RenderableType] = [Text(f"{n.ref} → {loc.ref}", style="italic")]
    for item in n.items:
        parts.append(Text(""))
        parts += _item_block(console, alignment, item, width)
    if found is not None:
        promised = _strength_rows(alignment, found)
        if promised is not None:
            parts += [Text(""), Text(f"How strongly: targets, deadlines and lead departments ({n.as_reference} → local)",
                                     style="bold"), promised]
    if cover.uncovered:
        parts += [Text(""), Text(f"Gaps: {n.as_reference} items with no counterpart", style="bold red")]
        for i in cover.uncovered:
            topic = alignment.topics.get(i, "")
            line = Text(n.item(i).title)
            if topic:
                line.append(f" · {topic}", style="cyan")
            parts += _hanging(Text(str(i)), _wrapped(console, line, width - len(str(i)) - 1), len(str(i)))
    if cover.local_only:
        parts += [Text(""), Text("Local-only items (the locality's own initiatives)", style="bold")]
        for i in cover.local_only:
            parts += _hanging(Text(str(i)), _wrapped(console, Text(loc.item(i).title), width - len(str(i)) - 1), len(str(i)))
    parts += [Text(""), _summary(alignment, cover)]
    return Group(*parts)


def wide_table(alignment: Alignment, cover: Coverage, found: Strength | None = None,
               departments: Departments | None = None) -> Group:
    """From `WIDE` columns: the six-column table, the strength table, gaps, local-only items, the summary."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    n, loc = alignment.national, alignment.local
    # expand with ratios: the text columns share the terminal's width, however wide (CJK text has no
    # spaces to wrap at, so left to itself rich would size each column to a whole sentence and crop)
    table = Table(title=f"{n.ref} → {loc.ref}", title_justify="left", expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(f"{n.as_reference} item", overflow="fold", ratio=3)
    table.add_column("topic", style="cyan", overflow="fold", ratio=1)
    table.add_column("grade", justify="center", no_wrap=True)
    table.add_column("local counterparts", overflow="fold", ratio=3)
    table.add_column("evidence: the local sentence", overflow="fold", ratio=4)
    for item in n.items:
        grade = alignment.grade_of(item.index)
        pairs = ordered_pairs(alignment, item.index)
        table.add_row(
            str(item.index), item.title.rstrip("。;"), alignment.topics.get(item.index, ""),
            Text(MARK[grade], style=STYLE[grade]),
            Text("\n".join(_counterparts(alignment, item.index, COUNTERPARTS_SHOWN))) or Text("—", style="dim"),
            _quoted(pairs, COUNTERPARTS_SHOWN),
        )
    parts: list[RenderableType] = [table]
    if found is not None:
        promised = strength_table(alignment, found)
        if promised is not None:
            parts.append(promised)
    if cover.uncovered:
        gaps = Table(title=f"Gaps: {n.as_reference} items with no counterpart", title_justify="left", style="red")
        gaps.add_column("#", justify="right")
        gaps.add_column(f"{n.as_reference} item", overflow="fold")
        gaps.add_column("topic", style="cyan")
        for i in cover.uncovered:
            gaps.add_row(str(i), n.item(i).title, alignment.topics.get(i, ""))
        parts.append(gaps)
    if cover.local_only:
        own = Table(title="Local-only items (the locality's own initiatives)", title_justify="left")
        own.add_column("#", justify="right")
        own.add_column("local item", overflow="fold")
        for i in cover.local_only:
            own.add_row(str(i), loc.item(i).title)
        parts.append(own)
    parts.append(_summary(alignment, cover))
    return Group(*parts)


def _promises(item: Item, year: int | None, departments: Departments) -> Text:
    from rich.text import Text

    text = Text()
    lead = item.departments[0] if item.departments else None
    text.append("lead: ", style="bold")
    text.append(_lead_text(lead, departments.functions_of(lead, year) if lead else (), departments))
    if len(item.departments) > 1:
        text.append(f" (with {'、'.join(item.departments[1:])})", style="dim")
    text.append("\ndeadline: ", style="bold")
    text.append(f"{item.deadline} ({item.due.date(year) or 'year not printed'})" if item.deadline and item.due else "—")
    for target in item.targets:
        text.append("\ntarget: ", style="bold")
        text.append(f"{target_text(target)} · {target.comparator or 'no comparator'} {target.value:g} {target.unit}")
    return text


def as_detail(alignment: Alignment, index: int, found: Strength | None = None,
              departments: Departments | None = None) -> RenderableType:
    """One national item in full, then every counterpart in full with what both promise side by side."""
    from rich.console import Group
    from rich.text import Text

    found, departments = _with_strength(alignment, found, departments)
    n, loc = alignment.national, alignment.local
    item = n.item(index)
    grade = alignment.grade_of(index)
    head = Text()
    head.append(f"{n.ref} item {index} {item.label} ", style="bold cyan")
    head.append(item.title, style="bold")
    head.append("  ")
    head.append(f"{MARK[grade]} {grade.value}", style=STYLE[grade])
    topic = alignment.topics.get(index, "")
    head.append(f"\n{item.section or '(no section)'}" + (f" · topic {topic}" if topic else ""), style="dim")
    parts: list[RenderableType] = [head, Text(item.text), _promises(item, n.year, departments)]
    pairs = ordered_pairs(alignment, index)
    if not pairs:
        parts.append(Text(f"\nno counterpart in {loc.ref}", style="bold red"))
    for pair in pairs:
        local = loc.item(pair.local)
        side = found.of(pair)
        title = Text("\n")
        title.append(f"{MARK[pair.grade]} {pair.grade.value}", style=STYLE[pair.grade])
        title.append(f"  score {pair.score:.2f}  confidence {pair.confidence:.2f} {pair.certainty}  ")
        title.append(f"{loc.ref} item {pair.local} {local.label} {local.title}", style="bold")
        evidence = Text()
        evidence.append("evidence: ", style="bold")
        evidence.append("、".join(pair.evidence) or "—")
        quoted = Text(f"{n.as_reference} sentence: ", style="bold")
        quoted.append(pair.national_sentence or "—")
        quoted.append("\nlocal sentence: ", style="bold")
        line = Text(pair.local_sentence or "—")
        line.highlight_words(pair.local_terms, style="bold magenta")
        quoted.append_text(line)
        side_by_side = Text("targets: ", style="bold")
        side_by_side.append_text(_targets_cell(side) if side.targets else Text(f"— (the {n.as_reference} item sets none)"))
        side_by_side.append("\nby when: ", style="bold")
        side_by_side.append_text(_deadline_cell(side))
        side_by_side.append("\nwho leads: ", style="bold")
        side_by_side.append(f"{_lead_text(side.lead.national, side.lead.national_functions, departments)} → "
                            f"{_lead_text(side.lead.local, side.lead.local_functions, departments)}")
        _verdict(side_by_side, side.lead.verdict)
        for note in side.notes(departments):
            side_by_side.append(f"\nnote: {note}", style="italic")
        parts += [title, Text(local.text), evidence, quoted, side_by_side]
    return Group(*parts)


FORMATTERS = {"json": as_json, "csv": as_csv, "markdown": as_markdown}
