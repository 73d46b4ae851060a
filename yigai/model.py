"""The domain: documents, their items, and what items promise (departments, deadlines, targets)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

LEVELS = ("national", "provincial", "municipal", "county", "unknown")


@dataclass(frozen=True)
class Target:
    """A numeric target printed in an item: `全区集采药品数超过500个` -> subject 全区集采药品数, 超过, 500, 个."""

    text: str
    value: float
    unit: str
    subject: str = ""  # the measured thing, as printed ("" when the sentence does not say)
    comparator: str = ""  # as printed: 超过, 不少于, 达到…以上, 全覆盖; "" for a bare number
    bound: str = "about"  # what the comparator means: at_least, at_most or about
    due: int | None = None  # the year it is due, where the sentence says so (到2025年)

    def as_dict(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        return {"text": self.text, "value": value, "unit": self.unit, "subject": self.subject,
                "comparator": self.comparator, "bound": self.bound, "due": self.due}


@dataclass(frozen=True)
class Deadline:
    """A deadline as printed (`2017年9月底前`, `年底前`, `到2025年`) and the date it stands for.

    `year` is None where the text leaves it to the document (年底前, 年内, 10月底前)."""

    text: str
    year: int | None
    month: int
    day: int

    def date(self, document_year: int | None = None) -> str | None:
        """ISO date (`2017-09-30`); None when neither the text nor the document names a year."""
        year = self.year if self.year is not None else document_year
        return f"{year:04d}-{self.month:02d}-{self.day:02d}" if year is not None else None


@dataclass(frozen=True)
class Item:
    """One numbered task of a document (or a clause/sentence of a prose document).

    What it promises (lead departments, deadline, targets) is read from its text when first asked for:
    alignment never asks, so a matrix of thousands of documents does not spend a fifth of its reading on it."""

    index: int
    label: str
    section: str
    title: str
    text: str
    measures: str = ""  # the text without label, title and lead-department notes: what matching reads

    @cached_property
    def _promises(self) -> tuple[tuple[str, ...], Deadline | None, tuple[Target, ...]]:
        from .segment import promises_of  # (segment builds items: it imports this module)

        return promises_of(self.text)

    @property
    def departments(self) -> tuple[str, ...]:
        return self._promises[0]

    @property
    def due(self) -> Deadline | None:
        """The deadline, read as a date."""
        return self._promises[1]

    @property
    def deadline(self) -> str | None:
        """The deadline as printed."""
        due = self._promises[1]
        return due.text if due else None

    @property
    def targets(self) -> tuple[Target, ...]:
        return self._promises[2]

    def short_title(self, width: int = 18) -> str:
        title = self.title.rstrip("。;")
        return title if len(title) <= width else title[: width - 1] + "…"

    def as_dict(self, document_year: int | None = None) -> dict[str, Any]:
        return {
            "index": self.index,
            "label": self.label,
            "section": self.section,
            "title": self.title,
            "text": self.text,
            "departments": list(self.departments),
            "deadline": self.deadline,
            "deadline_date": self.due.date(document_year) if self.due else None,
            "targets": [t.as_dict() for t in self.targets],
        }


R = TypeVar("R")


class ItemReadings(Generic[R]):
    """What something reads of an item, kept per item (known by its title, measures and text: local lists copy one
    another's items word for word) for the last reader given (a vocabulary, a task language), up to `most` items
    (then it starts again)."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._reader: object = None
        self._known: dict[tuple[str, str, str, bool], R] = {}

    def __len__(self) -> int:
        return len(self._known)

    def clear(self) -> None:
        self._known.clear()

    def get(self, item: Item, reader: object, read: Callable[[Item], R], health: bool = False) -> R:
        """The reading of `item` by `reader`, read once (by `read`); `health`: the item stands in a document on health
        (the reader reads such an item otherwise: see Vocabulary.on_health)."""
        if reader is not self._reader:
            self._reader, self._known = reader, {}
        key = (item.title, item.measures, item.text, health)
        found = self._known.get(key)
        if found is None:
            if len(self._known) >= self.most:
                self._known.clear()
            found = self._known[key] = read(item)
        return found


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
    ocr: bool = False  # its text was read by OCR from a scan or a photo: names and figures may be misread

    @property
    def name(self) -> str:
        """广西壮族自治区 2023: how an analyst names a list (its jurisdiction and year)."""
        return " ".join(x for x in (self.jurisdiction, str(self.year or "")) if x) or self.title or self.ref

    @property
    def as_reference(self) -> str:
        """What this list's items are called when others are read against it: "national", or its own name
        when the reference is a province's or a city's list (广西壮族自治区 2023 item 7)."""
        return "national" if self.level == "national" else self.name

    def reference_metadata(self) -> dict[str, Any]:
        """The reference list, as JSON outputs name it beside the contract's "national" key."""
        return {"name": self.as_reference, "jurisdiction": self.jurisdiction, "level": self.level,
                "year": self.year, "ref": self.ref}

    @property
    def ref(self) -> str:
        """`source#selector`, the way the CLI names this document."""
        return f"{self.source}#{self.selector}"

    def item(self, index: int) -> Item:
        return self.items[index - 1]

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per item (pandas.DataFrame takes the list as it is): where it is from, its number,
        title, text and what it promises."""
        return [{"document": self.ref, "jurisdiction": self.jurisdiction, "level": self.level, "year": self.year,
                 "index": item.index, "label": item.label, "section": item.section, "title": item.title,
                 "text": item.text, "departments": "、".join(item.departments), "deadline": item.deadline,
                 "targets": len(item.targets)} for item in self.items]

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
            "items": [item.as_dict(self.year) for item in self.items],
            **({"ocr": True} if self.ocr else {}),  # an added field, present only when true
        }
