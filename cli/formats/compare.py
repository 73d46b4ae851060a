"""`yigai compare` output: coverage and gap tables, local-only items, summary; JSON, CSV, Markdown."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from yigai.align import Alignment, Grade
from yigai.coverage import Coverage
from yigai.decisions import decision_of, rejected_of

MARK = {Grade.FULL: "✓", Grade.PARTIAL: "◐", Grade.NONE: "✗"}
STYLE = {Grade.FULL: "bold green", Grade.PARTIAL: "yellow", Grade.NONE: "bold red"}


def as_object(alignment: Alignment, cover: Coverage) -> dict[str, Any]:
    """The compare object of DESIGN.md (plus topics and per-topic coverage)."""
    result = cover.as_dict()
    result["by_topic"] = {t: {"items": n, "ratio": round(r, 4)} for t, (n, r) in cover.by_topic.items()}
    return {
        "national": alignment.national.as_dict(),
        "local": alignment.local.as_dict(),
        "pairs": [p.as_dict() for p in sorted(alignment.pairs, key=lambda p: (p.national, -p.score))],
        "coverage": result,
        "local_only": list(cover.local_only),
        "topics": {str(k): v for k, v in alignment.topics.items()},
        "rejected": [p.as_dict() for p in rejected_of(alignment)],
    }


def as_json(alignment: Alignment, cover: Coverage) -> str:
    return json.dumps(as_object(alignment, cover), ensure_ascii=False, indent=2)


DECIDED = "✎"  # marks a pair an analyst decided on (--decisions)


def decision_mark(pair: object) -> str:
    """` ✎` after a pair an analyst decided on; empty for yigai's own."""
    applied = decision_of(pair)  # type: ignore[arg-type]
    return f" {DECIDED}" if applied else ""


def _counterparts(alignment: Alignment, index: int) -> list[str]:
    pairs = sorted(alignment.pairs_of(index), key=lambda p: -p.score)
    lines = [f"{MARK[p.grade]} {alignment.local.item(p.local).label or p.local} "
             f"{alignment.local.item(p.local).short_title(24)}{decision_mark(p)}" for p in pairs]
    lines += [f"⊘ {alignment.local.item(p.local).label or p.local} {alignment.local.item(p.local).short_title(24)}"
              f"{decision_mark(p)}" for p in rejected_of(alignment) if p.national == index]
    return lines


def _decisions_cell(alignment: Alignment, index: int) -> str:
    """`14:confirm;12:reject`: the analyst's decisions on an item's pairs, for CSV."""
    decided = [p for p in alignment.pairs_of(index) if decision_of(p)]
    decided += [p for p in rejected_of(alignment) if p.national == index]
    return ";".join(f"{p.local}:{decision_of(p).decision.action.value}" for p in decided)  # type: ignore[union-attr]


def as_csv(alignment: Alignment, cover: Coverage) -> str:
    """One row per national item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["national_index", "national_label", "national_title", "topic", "grade", "score",
                     "local_indexes", "local_titles", "evidence", "decisions"])
    for item in alignment.national.items:
        pairs = sorted(alignment.pairs_of(item.index), key=lambda p: -p.score)
        writer.writerow([
            item.index, item.label, item.title, alignment.topics.get(item.index, ""),
            alignment.grade_of(item.index).value, f"{pairs[0].score:.3f}" if pairs else "",
            ";".join(str(p.local) for p in pairs),
            ";".join(alignment.local.item(p.local).title for p in pairs),
            ";".join(dict.fromkeys(e for p in pairs for e in p.evidence)),
            _decisions_cell(alignment, item.index),
        ])
    return buffer.getvalue()


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_markdown(alignment: Alignment, cover: Coverage) -> str:
    n, loc = alignment.national, alignment.local
    lines = [
        f"## {loc.jurisdiction or loc.title}: coverage of {n.title or n.jurisdiction}",
        "",
        f"Coverage **{cover.ratio:.0%}** ({cover.ratio:.4f}): {len(cover.full)} full, {len(cover.partial)} partial, "
        f"{len(cover.uncovered)} uncovered of {cover.total} national items; {len(cover.local_only)} local-only items.",
        "",
        "| # | national item | topic | grade | local counterparts | evidence |",
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
        lines += ["", "### Gaps: national items with no counterpart", ""]
        lines += [f"- {i} {_md(n.item(i).title)}" for i in cover.uncovered]
    if cover.local_only:
        lines += ["", "### Local-only items", ""]
        lines += [f"- {i} {_md(loc.item(i).title)}" for i in cover.local_only]
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
    text = Text()
    for k, pair in enumerate(pairs[:limit]):
        if k:
            text.append("\n")
        line = Text(excerpt(pair.local_sentence, pair.local_terms))  # Text, not markup: document text is untrusted
        line.highlight_words(pair.local_terms, style="bold magenta")
        text.append_text(line)
    return text


def as_table(alignment: Alignment, cover: Coverage) -> RenderableType:
    n, loc = alignment.national, alignment.local
    table = Table(title=f"{n.ref} → {loc.ref}", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("national item")
    table.add_column("topic", style="cyan")
    table.add_column("", justify="center")
    table.add_column("local counterparts")
    table.add_column("evidence: the local sentence", overflow="fold", min_width=16)
    for item in n.items:
        grade = alignment.grade_of(item.index)
        pairs = sorted(alignment.pairs_of(item.index), key=lambda p: -p.score)
        table.add_row(
            str(item.index), item.short_title(20), alignment.topics.get(item.index, ""),
            Text(MARK[grade], style=STYLE[grade]),
            Text("\n".join(_counterparts(alignment, item.index)[:3])) or Text("—", style="dim"),
            _quoted(pairs),
        )
    parts: list[RenderableType] = [table]
    if cover.uncovered:
        gaps = Table(title="Gaps: national items with no counterpart", title_justify="left", style="red")
        gaps.add_column("#", justify="right")
        gaps.add_column("national item")
        gaps.add_column("topic", style="cyan")
        for i in cover.uncovered:
            gaps.add_row(str(i), n.item(i).short_title(40), alignment.topics.get(i, ""))
        parts.append(gaps)
    if cover.local_only:
        own = Table(title="Local-only items (the locality's own initiatives)", title_justify="left")
        own.add_column("#", justify="right")
        own.add_column("local item")
        for i in cover.local_only:
            own.add_row(str(i), loc.item(i).short_title(40))
        parts.append(own)
    topics = "  ".join(f"{t} {r:.0%}" for t, (_, r) in sorted(cover.by_topic.items(), key=lambda kv: kv[1][1]))
    summary = Text()
    summary.append(f"coverage {cover.ratio:.0%} ", style="bold")
    summary.append(f"({len(cover.full)} ✓ full, {len(cover.partial)} ◐ partial, {len(cover.uncovered)} ✗ uncovered "
                   f"of {cover.total}; {len(cover.local_only)} local-only)\n")
    summary.append(f"by topic: {topics}", style="dim")
    decided = [p for p in alignment.pairs if decision_of(p)]
    if decided or rejected_of(alignment):
        summary.append(f"\n{DECIDED} analyst decisions: {len(decided)} pairs decided, "
                       f"{len(rejected_of(alignment))} ⊘ rejected", style="dim")
    parts.append(summary)
    return Group(*parts)


FORMATTERS = {"json": as_json, "csv": as_csv, "markdown": as_markdown}
