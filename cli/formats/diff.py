"""`yigai diff` output: old | new side by side with the change kind; JSON, CSV, Markdown."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from yigai.diff import Change, Diff, ItemChange
from yigai.model import Document

from .cells import DECIDED, CsvWriter, decisions_line
from .cells import markdown_cell as _md

STYLE = {Change.KEPT: "cyan", Change.STRENGTHENED: "bold green", Change.WEAKENED: "bold red",
         Change.MERGED: "magenta", Change.SPLIT: "magenta", Change.DROPPED: "bold red", Change.NEW: "bold green"}
ORDER = (Change.KEPT, Change.STRENGTHENED, Change.WEAKENED, Change.MERGED, Change.SPLIT, Change.DROPPED, Change.NEW)


def counts(result: Diff) -> dict[str, int]:
    """Old items by change kind, and the new items with no old counterpart."""
    found = {kind.value: sum(c.change is kind for c in result.old_items) for kind in ORDER if kind is not Change.NEW}
    found["new"] = sum(c.change is Change.NEW for c in result.new_items)
    return found


def as_object(result: Diff) -> dict[str, Any]:
    return {
        "old": result.old.as_dict(),
        "new": result.new.as_dict(),
        "old_items": [c.as_dict() for c in result.old_items],
        "new_items": [c.as_dict() for c in result.new_items],
        "links": [{"old": k.old, "new": k.new, "grade": k.grade.value, "score": round(k.score, 3),
                   "old_sentence": k.old_sentence, "new_sentence": k.new_sentence}
                  | ({"decision": k.decision.as_dict()} if k.decision else {}) for k in result.links],
        "rejected": [{"old": k.old, "new": k.new} | ({"decision": k.decision.as_dict()} if k.decision else {})
                     for k in result.rejected],
        "counts": counts(result),
    }


def as_json(result: Diff) -> str:
    return json.dumps(as_object(result), ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side view: an old item (shown on its first line only), one counterpart, and
    the change the line stands for (the old item's, or, for a new item nothing points to, the new item's)."""

    change: Change
    old: ItemChange | None
    new: ItemChange | None
    first: bool  # the old item's first line


def rows(result: Diff) -> list[Row]:
    """Old items in their order, one line per counterpart; then the new items nothing points to."""
    found: list[Row] = []
    shown: set[int] = set()
    for change in result.old_items:
        partners: list[ItemChange | None] = [result.of_new(n) for n in change.counterparts] or [None]
        for k, partner in enumerate(partners):
            found.append(Row(change.change, change, partner, k == 0))
            if partner is not None:
                shown.add(partner.index)
    found += [Row(c.change, None, c, False) for c in result.new_items if c.index not in shown]
    return found


def _label(document: Document, index: int) -> str:
    item = document.item(index)
    return f"{item.label or index} {item.title}"


def _decided(result: Diff, row: Row) -> bool:
    """Whether the row's link (old item, new item) is the analyst's."""
    if row.old is None or row.new is None:
        return False
    return any(k.decision for k in result.links if k.old == row.old.index and k.new == row.new.index)


def as_csv(result: Diff) -> str:
    """One row per (old item, new item) link, plus one per dropped and per new item; BOM for Excel."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, lineterminator="\r\n")
    writer.writerow(["old_index", "old_label", "old_title", "change", "new_index", "new_label", "new_title",
                     "reworded", "details", "decided"])
    for row in rows(result):
        o = result.old.item(row.old.index) if row.old else None
        n = result.new.item(row.new.index) if row.new else None
        writer.writerow([o.index if o else "", o.label if o else "", o.title if o else "", row.change.value,
                         n.index if n else "", n.label if n else "", n.title if n else "",
                         "yes" if row.old and row.old.reworded else "",
                         " / ".join(row.old.details) if row.old else "", "yes" if _decided(result, row) else ""])
    return "\ufeff" + buffer.getvalue()


def _moved(result: Diff) -> bool:
    """Whether any item has something in the "what moved" column (a target or deadline); else it is left out."""
    return any(c.details for c in result.old_items)


def _new_cells(result: Diff) -> list[str]:
    """Each row's new item: in full where it first appears, then `2 (above)`, so that a long sentence
    several old items merged into is printed once."""
    seen: set[int] = set()
    cells = []
    for row in rows(result):
        if row.new is None:
            cells.append("")
            continue
        item = result.new.item(row.new.index)
        text = f"{item.label or item.index} (above)" if row.new.index in seen else _label(result.new, row.new.index)
        seen.add(row.new.index)
        cells.append(text + (f" {DECIDED}" if _decided(result, row) else ""))
    return cells


def as_markdown(result: Diff) -> str:
    c = counts(result)
    moved = _moved(result)
    lines = [f"## {_md(result.old.name)} → {_md(result.new.name)}", "",
             ", ".join(f"{n} {kind}" for kind, n in c.items() if n), "",
             "| old item | change | new item |" + (" what moved |" if moved else ""),
             "|---|:---:|---|" + ("---|" if moved else "")]
    for row, new in zip(rows(result), _new_cells(result)):
        old = _md(_label(result.old, row.old.index)) if row.old and row.first else ("〃" if row.old else "")
        details = _md(" / ".join(row.old.details)) if row.old and row.first else ""
        lines.append(f"| {old} | {row.change.value} | {_md(new)} |" + (f" {details} |" if moved else ""))
    return "\n".join(lines) + "\n"


def as_table(result: Diff) -> RenderableType:
    table = Table(title=f"{result.old.name} ({result.old.ref}) → {result.new.name} ({result.new.ref})",
                  title_justify="left", expand=True)
    table.add_column("old item", ratio=3, overflow="fold")
    table.add_column("change", no_wrap=True)
    table.add_column("new item", ratio=3, overflow="fold")
    moved = _moved(result)
    if moved:
        table.add_column("what moved", ratio=2, overflow="fold")
    for row, new in zip(rows(result), _new_cells(result)):
        mark = Text(row.change.value if row.first or not row.old else "〃", style=STYLE[row.change])
        if row.first and row.old and row.old.reworded:
            mark.append(" (reworded)", style="dim")
        # Text, not markup: document text is untrusted
        cells = [Text(_label(result.old, row.old.index)) if row.old and row.first else Text(""), mark, Text(new)]
        if moved:
            cells.append(Text(" / ".join(row.old.details)) if row.old and row.first else Text(""))
        table.add_row(*cells)
    summary = Text("  ".join(f"{n} {kind}" for kind, n in counts(result).items() if n), style="bold")
    said = decisions_line(sum(k.decision is not None for k in result.links), len(result.rejected), "links")
    if said:
        summary.append("\n" + said, style="dim")
    return Group(table, summary)


FORMATTERS = {"json": as_json, "csv": as_csv, "markdown": as_markdown}
