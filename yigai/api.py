"""yigai in a notebook: `yigai.read`, `yigai.compare` and `yigai.matrix` (re-exported by the package), and the
results they return, each with `to_records()`: a list of flat dicts (text, numbers, None), one per row, which
`pandas.DataFrame(records)` takes as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .align import Alignment, Grade, align
from .coverage import Coverage, coverage, percent
from .decisions import apply_decisions, load_decisions
from .documents import read_document
from .matrix import Column, Order, expand, ordered
from .matrix import matrix as columns_of
from .model import Document
from .vocab import load_vocabulary

Record = dict[str, Any]


def _joined(values: Iterable[object]) -> str:
    return "、".join(str(v) for v in values)


@dataclass(frozen=True)
class Comparison:
    """A local document against the national one: the alignment (every pair) and its coverage."""

    alignment: Alignment
    coverage: Coverage

    @property
    def ratio(self) -> float:
        """(full + 0.5 x partial) / national items."""
        return self.coverage.ratio

    def __str__(self) -> str:
        c = self.coverage
        return (f"{self.alignment.local.name} against {self.alignment.national.name}: coverage {percent(c.ratio)} "
                f"({len(c.full)} full, {len(c.partial)} partial, {len(c.uncovered)} uncovered of {c.total})")

    def to_records(self) -> list[Record]:
        """One record per (national item, counterpart) pair, and one per national item without any (local
        fields None), in national order."""
        n, loc, alignment = self.alignment.national, self.alignment.local, self.alignment
        records: list[Record] = []
        for item in n.items:
            head = {"national_index": item.index, "national_title": item.title, "topic": alignment.topics.get(item.index, ""),
                    "item_grade": alignment.grade_of(item.index).value}
            pairs = sorted(alignment.pairs_of(item.index), key=lambda p: (p.grade is not Grade.FULL, -p.score))
            if not pairs:
                records.append({**head, "local_index": None, "local_title": None, "grade": Grade.NONE.value,
                                "score": None, "evidence": "", "local_sentence": None})
            for pair in pairs:
                records.append({**head, "local_index": pair.local, "local_title": loc.item(pair.local).title,
                                "grade": pair.grade.value, "score": round(pair.score, 3),
                                "evidence": _joined(pair.evidence), "local_sentence": pair.local_sentence})
        return records


@dataclass(frozen=True)
class Matrix:
    """Many local documents against the national one: one column of grades per local document."""

    national: Document
    columns: tuple[Column, ...]

    def to_records(self) -> list[Record]:
        """Long format: one record per (national item, column), the column named by its label."""
        return [{"national_index": item.index, "national_title": item.title, "column": c.label or c.name,
                 "jurisdiction": c.jurisdiction, "level": c.level, "year": c.year, "grade": cell.grade.value,
                 "score": round(cell.score, 3), "local": _joined(cell.local), "coverage": round(c.coverage, 4)}
                for c in self.columns for item, cell in zip(self.national.items, c.cells)]


def _paths(values: Sequence[str | Path] | None) -> list[Path]:
    return [Path(v) for v in values or ()]


def read(ref: str | Path) -> Document:
    """The one document `ref` names: a file (`.txt`, `.html`, `.docx`, `.xlsx`, `.pdf`), `PATH#SEL` for one
    of several in a file, an http(s) address, or `-` (standard input)."""
    return read_document(str(ref))


def compare(national: str | Path | Document, local: str | Path | Document, vocab: Sequence[str | Path] | None = None,
            decisions: Sequence[str | Path] | None = None) -> Comparison:
    """Align a local document with the national one (either a ref or a Document read already), after the
    analyst's decisions files if any, with extra vocabulary files if any."""
    national_doc = national if isinstance(national, Document) else read(national)
    local_doc = local if isinstance(local, Document) else read(local)
    alignment = align(national_doc, local_doc, load_vocabulary(_paths(vocab)))
    if decisions:
        alignment, _ = apply_decisions(alignment, [load_decisions(p) for p in _paths(decisions)])
    return Comparison(alignment, coverage(alignment))


def matrix(national: str | Path | Document, local: Sequence[str | Path], vocab: Sequence[str | Path] | None = None,
           sort: str = "given", workers: int | None = None) -> Matrix:
    """One column per local document (files, folders, globs, multi-document files, as `yigai matrix` takes
    them), ordered as `sort` says: given, coverage, name (the Chinese order) or level."""
    national_doc = national if isinstance(national, Document) else read(national)
    refs = expand(str(ref) for ref in local)
    columns = columns_of(national_doc, refs, tuple(str(p) for p in _paths(vocab)), workers=workers)
    return Matrix(national_doc, tuple(ordered(columns, Order(sort))))
