"""The domain: documents, their items, and what items promise (departments, deadlines, targets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS = ("national", "provincial", "municipal", "county", "unknown")


@dataclass(frozen=True)
class Target:
    """A numeric target printed in an item: `超过350个` -> value 350, unit 个."""

    text: str
    value: float
    unit: str

    def as_dict(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        return {"text": self.text, "value": value, "unit": self.unit}


@dataclass(frozen=True)
class Item:
    """One numbered task of a document (or a clause/sentence of a prose document)."""

    index: int
    label: str
    section: str
    title: str
    text: str
    departments: tuple[str, ...] = ()
    deadline: str | None = None
    targets: tuple[Target, ...] = ()
    measures: str = ""  # the text without label, title and lead-department notes: what matching reads

    def short_title(self, width: int = 18) -> str:
        title = self.title.rstrip("。;")
        return title if len(title) <= width else title[: width - 1] + "…"

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "label": self.label,
            "section": self.section,
            "title": self.title,
            "text": self.text,
            "departments": list(self.departments),
            "deadline": self.deadline,
            "targets": [t.as_dict() for t in self.targets],
        }


@dataclass(frozen=True)
class Document:
    """One policy document: its metadata and its items, as read from one file (or part of one)."""

    source: str
    selector: str
    title: str
    jurisdiction: str
    level: str
    year: int | None
    doc_number: str | None
    items: tuple[Item, ...]
    issuer: tuple[str, ...] = ()
    date: str | None = None
    short_name: str = ""
    sections: tuple[str, ...] = field(default=())

    @property
    def ref(self) -> str:
        """`source#selector`, the way the CLI names this document."""
        return f"{self.source}#{self.selector}"

    def item(self, index: int) -> Item:
        return self.items[index - 1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "selector": self.selector,
            "title": self.title,
            "jurisdiction": self.jurisdiction,
            "level": self.level,
            "year": self.year,
            "doc_number": self.doc_number,
            "issuer": list(self.issuer),
            "date": self.date,
            "items": [item.as_dict() for item in self.items],
        }
