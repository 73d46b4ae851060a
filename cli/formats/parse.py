"""`yigai parse` output: a rich view of documents -> sections -> items, and the JSON contract."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yigai.model import Document

from .. import jsonout

if TYPE_CHECKING:  # rich is imported where a table is drawn: JSON, CSV and Markdown do without it
    from rich.console import RenderableType
    from rich.text import Text


def as_json(groups: list[tuple[str, list[Document]]]) -> str:
    """`{"source": PATH, "documents": [...]}` per path; several paths give a list of those."""
    objects: list[dict[str, Any]] = [
        {"source": source, "documents": [d.as_dict() for d in documents]} for source, documents in groups
    ]
    payload: Any = objects[0] if len(objects) == 1 else objects
    return jsonout.dumps(payload)


def _heading(document: Document) -> Text:
    from rich.text import Text

    text = Text()
    text.append(f"{document.ref}  ", style="bold cyan")
    text.append(document.jurisdiction or "(jurisdiction unknown)", style="bold")
    facts = [document.level, str(document.year or "year ?"), document.doc_number or "", document.date or ""]
    text.append("  " + " · ".join(f for f in facts if f), style="dim")
    text.append(f"\n{document.title}\n{len(document.items)} items", style="")
    return text


def as_table(groups: list[tuple[str, list[Document]]]) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = []
    for _, documents in groups:
        for document in documents:
            parts.append(_heading(document))
            table = Table(show_lines=False, expand=False, pad_edge=False)
            table.add_column("#", justify="right", style="bold")
            table.add_column("label", style="dim")
            table.add_column("task", ratio=3, overflow="fold")
            table.add_column("lead departments", style="green", ratio=2, overflow="fold")
            table.add_column("deadline", style="yellow", no_wrap=True)
            table.add_column("targets", style="magenta", ratio=1, overflow="fold")
            section = None
            for item in document.items:
                if item.section and item.section != section:
                    section = item.section
                    table.add_row("", "", Text(section, style="bold blue"), "", "", "")
                departments = "、".join(item.departments[:3]) + ("…" if len(item.departments) > 3 else "")
                table.add_row(
                    str(item.index),
                    item.label,
                    item.short_title(60),
                    departments,
                    item.deadline or "",
                    " ".join(t.text for t in item.targets[:3]),
                )
            parts.append(table)
    return Group(*parts)
