"""`yigai report`: one self-contained HTML file, a heatmap of the matrix with every pair's sentences.

The Python here gathers plain data from the library's results (columns with their pairs); the Jinja
template in `templates/report.html.j2` lays it out, with autoescape on, since every string in it comes
from documents. What the page's script reads (the pairs behind each cell) is embedded as JSON by Jinja's
`tojson`, which escapes `<`, `>`, `&` and `'`, so a document's text cannot close the script element. The
script puts text into the page with `textContent` only; highlights are character ranges computed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from yigai.align import Grade, Pair
from yigai.decisions import Applied, decision_of
from yigai.matrix import Column, Order, level_rank, ordered
from yigai.model import Document, Item
from yigai.vocab import Vocabulary

from .compare import MARK

LEVEL_NAMES = {"national": "国家", "provincial": "省级", "municipal": "市级", "county": "县级", "unknown": "未知"}
GRADE_CODE = {Grade.FULL: "f", Grade.PARTIAL: "p", Grade.NONE: "n"}


def _utf16(text: str, index: int) -> int:
    # the page's script counts UTF-16 code units; characters beyond the BMP (𠮷) take two
    return len(text[:index].encode("utf-16-le")) // 2


def spans(text: str, terms: Iterable[str]) -> list[list[int]]:
    """Where `terms` occur in `text`, overlapping occurrences merged: [[start, end], …] in UTF-16 units."""
    found: list[tuple[int, int]] = []
    for term in {t for t in terms if t}:
        at = text.find(term)
        while at >= 0:
            found.append((at, at + len(term)))
            at = text.find(term, at + 1)
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [[_utf16(text, a), _utf16(text, b)] for a, b in merged]


def _promises(item: Item) -> dict[str, Any]:
    """What an item promises: lead departments, deadline, numeric targets."""
    return {"departments": list(item.departments), "deadline": item.deadline, "targets": [t.text for t in item.targets]}


def _decision(applied: Applied) -> dict[str, Any]:
    d = applied.as_dict()
    return {k: d[k] for k in ("action", "grade", "machine", "note", "who", "when") if d.get(k)}


class _Strings:
    """A table of strings referred to by position: a national sentence recurs in every column, a local
    sentence in every pair its item is in; listing each once keeps a 1,000-document page small."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def table(self) -> list[str]:
        return list(self.index)


class _Pairs:
    """Pairs as the page's script reads them. Keys are short, since a page may hold 30,000 pairs:
    n, l: national and local item; g: grade (f, p); s: score; t: the shared instruments (positions in
    `terms`); ns, nm: the national sentence (a position in `sentences`) and its highlights; ls, lm: the
    local sentence (a position in the column's `sentences`) and its highlights; d: the analyst's decision
    on the pair, when there is one. Comparisons of what the
    two items promise (targets, deadlines), national against local, go in `c` as
    [{"aspect", "national", "local", "verdict"}]; the page shows them under the pair when present."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.sentences = _Strings()
        self.terms = _Strings()
        self._national_marks: dict[tuple[str, tuple[str, ...]], list[list[int]]] = {}

    def national_marks(self, sentence: str, instruments: tuple[str, ...]) -> list[list[int]]:
        key = (sentence, instruments)
        if key not in self._national_marks:  # one national sentence meets the same instruments in many columns
            named = set(instruments)
            surfaces = [m.surface for m in self.vocabulary.mentions(sentence) if m.instrument in named]
            self._national_marks[key] = spans(sentence, surfaces)
        return self._national_marks[key]

    def __call__(self, pair: Pair, local_sentences: _Strings) -> dict[str, Any]:
        decided = decision_of(pair)
        shown = {"d": _decision(decided)} if decided else {}
        return shown | {"n": pair.national, "l": pair.local, "g": GRADE_CODE[pair.grade], "s": round(pair.score, 2),
                "t": [self.terms(t) for t in pair.instruments or pair.evidence],
                "ns": self.sentences(pair.national_sentence),
                "nm": self.national_marks(pair.national_sentence, pair.instruments),
                "ls": local_sentences(pair.local_sentence), "lm": spans(pair.local_sentence, pair.local_terms)}


def _detail(column: Column, pairs: _Pairs) -> dict[str, Any]:
    """What a column's panels show: its pairs with their sentences, the local items they name, local-only items."""
    document = column.document
    if document is None:
        raise ValueError("report columns need detail=True")
    sentences = _Strings()
    shown = [pairs(p, sentences) for p in sorted(column.pairs, key=lambda p: (p.national, -p.score))]
    paired = sorted({p.local for p in column.pairs})
    return {
        "pairs": shown, "sentences": sentences.table(),
        # a cell whose pair the analyst rejected has no pair left to carry the decision: the column does
        "decisions": {str(cell.national): _decision(cell.decision) for cell in column.cells if cell.decision},
        "items": {str(i): {"label": document.item(i).label, "title": document.item(i).title,
                           **_promises(document.item(i))} for i in paired},
        "local_only": [{"index": i, "label": document.item(i).label, "title": document.item(i).title}
                       for i in column.local_only],
    }


def _shown(k: int, c: Column) -> dict[str, Any]:
    """A column as the summary and the heatmap show it; `k` is its position as given."""
    grades = [cell.grade for cell in c.cells]
    return {
        "id": k, "label": c.label or c.name, "name": c.name, "head": f"{c.name} {c.year or ''}".strip(),
        "jurisdiction": c.jurisdiction, "level": c.level, "level_name": LEVEL_NAMES.get(c.level, c.level),
        "level_rank": level_rank(c.level), "year": c.year, "source": c.source, "file": c.file, "coverage": c.coverage,
        "full": grades.count(Grade.FULL), "partial": grades.count(Grade.PARTIAL), "none": grades.count(Grade.NONE),
        "cells": [GRADE_CODE[g] for g in grades],
        "decided": [cell.decision is not None for cell in c.cells],
        "gaps": [cell.national for cell in c.cells if cell.grade is Grade.NONE],
        "local_only": len(c.local_only),
    }


def _by_topic(items: list[dict[str, Any]], columns: list[Column]) -> list[dict[str, Any]]:
    """Each topic's coverage over all columns: (full + 0.5 x partial) / (its items x columns)."""
    weight = {Grade.FULL: 1.0, Grade.PARTIAL: 0.5, Grade.NONE: 0.0}
    result = []
    for topic in dict.fromkeys(item["topic"] for item in items):
        rows = [r for r, item in enumerate(items) if item["topic"] == topic]
        scores = [weight[c.cells[r].grade] for c in columns for r in rows]
        result.append({"name": topic, "count": len(rows), "ratio": sum(scores) / len(scores) if scores else 0.0})
    return result


def gather(national: Document, columns: list[Column], topics: dict[int, str], vocabulary: Vocabulary,
           order: Order = Order.given) -> dict[str, Any]:
    """Everything the template shows, as plain data: the national items, the columns, per-topic coverage.

    Columns are laid out in `order`; each keeps its position as given as its id, which is the page's
    "as given" order and its index into the script's data."""
    position = {id(c): k for k, c in enumerate(columns)}
    items = [{"index": i.index, "label": i.label, "title": i.title, "section": i.section, "text": i.text,
              "topic": topics.get(i.index, "") or "其他", **_promises(i)} for i in national.items]
    pairs = _Pairs(vocabulary)
    script_data: dict[str, Any] = {
        "reference": national.as_reference,
        "national": {str(n["index"]): {k: n[k] for k in ("label", "title", "topic", "departments", "deadline", "targets")}
                     for n in items},
        "columns": [{"label": c.label or c.name, "level_name": LEVEL_NAMES.get(c.level, c.level), "year": c.year,
                     "source": c.source, "coverage": round(c.coverage, 4),
                     "gaps": [cell.national for cell in c.cells if cell.grade is Grade.NONE], **_detail(c, pairs)}
                    for c in columns],
    }
    script_data["sentences"] = pairs.sentences.table()
    script_data["terms"] = pairs.terms.table()
    mean = sum(c.coverage for c in columns) / len(columns) if columns else 0.0
    # the page's "by name" and "by level" menu items sort by this rank: the Chinese order of --sort name
    by_name = {id(c): k for k, c in enumerate(ordered(columns, Order.name))}
    return {
        "reference": national.as_reference,
        "national": {"title": national.title or national.jurisdiction, "ref": national.ref,
                     "doc_number": national.doc_number, "year": national.year, "date": national.date},
        "rows": items, "topics": _by_topic(items, columns),
        "columns": [{**_shown(position[id(c)], c), "name_rank": by_name[id(c)]} for c in ordered(columns, order)],
        "mean": mean, "order": Order(order).value, "script_data": script_data,
        "mark": {GRADE_CODE[g]: m for g, m in MARK.items()},
    }


def _asset(name: str) -> Markup:
    # the page's own CSS and script, written out inline (no CDN, nothing fetched)
    return Markup(resources.files("yigai_cli").joinpath("templates", name).read_text(encoding="utf-8"))


def render(report: dict[str, Any]) -> str:
    """The report as one HTML document."""
    env = Environment(loader=PackageLoader("yigai_cli", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    # JSON for the page's script: compact and in UTF-8 (tojson still escapes < > & ')
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":"), "sort_keys": False}
    template = env.get_template("report.html.j2")
    return template.render(report=report, css=_asset("report.css"), script=_asset("report.js"))
