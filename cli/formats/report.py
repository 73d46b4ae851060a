"""`yigai report`: one self-contained HTML file, a heatmap of the matrix with every pair's sentences.

The Python here gathers plain data from the library's results (columns with their pairs); the Jinja
template in `templates/report.html.j2` lays it out, with autoescape on, since every string in it comes
from documents. What the page's script reads (the pairs behind each cell) is embedded as JSON by Jinja's
`tojson`, which escapes `<`, `>`, `&` and `'`, so a document's text cannot close the script element. The
script puts text into the page with `textContent` only; highlights are character ranges computed here.
The page is also where an analyst reviews the verdicts: it carries what the decisions file needs (every item's
fingerprint, each document's key and name) and writes that file itself (templates/report-decisions.js).
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from yigai.align import Grade, Pair, align
from yigai.decisions import Applied, Decisions, apply_decisions, decision_of, fingerprint, normalise, rejected_of
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
    n, l: national and local item; g: yigai's grade (f, p; n for a pair only an analyst made); s: score;
    k: the alignment's confidence {"value", "level"}, when it gives one; t: the shared instruments (positions in
    `terms`); ns, nm: the national sentence (a position in `sentences`) and its highlights; ls, lm: the
    local sentence (a position in the column's `sentences`) and its highlights; d: the analyst's decision
    on the pair (from --decisions), when there is one: the page's review starts from it. Comparisons of what the
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
        # `g` is yigai's own grade (n: a pair only the analyst made); `d` the decision the page starts from
        machine = decided.machine if decided else pair.grade
        shown = {"d": _decision(decided)} if decided else {}
        sure = _confidence(pair)
        if sure:
            shown["k"] = sure
        return shown | {"n": pair.national, "l": pair.local, "g": GRADE_CODE[machine], "s": round(pair.score, 2),
                "t": [self.terms(t) for t in pair.instruments or pair.evidence],
                "ns": self.sentences(pair.national_sentence),
                "nm": self.national_marks(pair.national_sentence, pair.instruments),
                "ls": local_sentences(pair.local_sentence), "lm": spans(pair.local_sentence, pair.local_terms)}


def _confidence(pair: Pair) -> dict[str, Any] | None:
    """The alignment's confidence in a pair, {"value": 0-1, "level": sure|likely|unsure}; none for a pair only an
    analyst made (yigai never weighed it)."""
    decided = decision_of(pair)
    if decided is not None and decided.machine is Grade.NONE:
        return None
    return {"value": round(pair.confidence, 3), "level": pair.certainty}


def document_key(document: Document) -> str:
    """A document's fingerprint: its items' fingerprints hashed in order (the page keeps review work under it)."""
    joined = ",".join(fingerprint(item) for item in document.items)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


class _Names:
    """What a decisions file's `local:` says to name each document of a report: its jurisdiction, unless
    another document of the report answers to it too (四川 2021 and 四川 2024), else its file name, else its
    ref. The same test as `Decisions.applies_to`, indexed: a report may hold 1,000 documents."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.named: dict[str, set[int]] = {}
        for k, d in enumerate(documents):
            source = Path(d.source)
            for name in {d.jurisdiction, d.short_name, source.name, source.stem, d.ref}:
                self.named.setdefault(name, set()).add(k)
        self.titles = sorted((normalise(d.title), k) for k, d in enumerate(documents) if d.title)

    def _count(self, name: str) -> int:
        key = normalise(name)
        if not key:
            return 0
        found = set(self.named.get(name, ()))
        at = bisect.bisect_left(self.titles, (key, -1))
        while at < len(self.titles) and self.titles[at][0].startswith(key) and len(found) < 2:
            found.add(self.titles[at][1])
            at += 1
        return len(found)

    def __call__(self, document: Document) -> str:
        for name in (document.jurisdiction, Path(document.source).name, document.title):
            if name and Decisions("", (), local=name).applies_to(document) and self._count(name) < 2:
                return name
        return document.ref


def _reviewed(column: Column, national: Document, vocabulary: Vocabulary,
              decisions: Sequence[Decisions]) -> tuple[tuple[Pair, ...], tuple[Pair, ...]]:
    """A column's pairs and the pairs its analyst rejected (which a column does not keep). Only a column
    with decisions is aligned again, to find the rejected pairs with their sentences."""
    document = column.document
    assert document is not None
    if not any(cell.decision for cell in column.cells):
        return column.pairs, ()
    files = [d for d in decisions if d.applies_to(document)]
    decided, _ = apply_decisions(align(national, document, vocabulary, quotes=True), files)
    return decided.pairs, rejected_of(decided)


def _rest(item: Item) -> dict[str, str]:
    """An item's text beyond its title, `x` (the page shows title + x), or its whole `text` when it does not
    begin with its label and title: the title is not written twice (1,000 documents' items are 2 MB of text)."""
    text = item.text.strip()
    after_label = text[len(item.label):].lstrip() if item.label and text.startswith(item.label) else text
    if item.title and after_label.startswith(item.title):
        rest = after_label[len(item.title):]
        return {"x": rest} if rest.strip() else {}
    return {"text": item.text} if text != item.title.strip() else {}


def _detail(column: Column, pairs: _Pairs, national: Document, vocabulary: Vocabulary,
            decisions: Sequence[Decisions], names: _Names) -> dict[str, Any]:
    """What a column's panels show: its pairs with their sentences (rejected ones too: the page can undo a
    rejection), the local document's items (any can be added as a counterpart), local-only items."""
    document = column.document
    if document is None:
        raise ValueError("report columns need detail=True")
    sentences = _Strings()
    kept, rejected = _reviewed(column, national, vocabulary, decisions)
    shown = [pairs(p, sentences) for p in sorted(kept + rejected, key=lambda p: (p.national, -p.score))]
    paired = {p.local for p in kept}
    items: dict[str, Any] = {}
    for item in document.items:
        entry: dict[str, Any] = {"label": item.label, "title": item.title, "f": fingerprint(item)}
        entry.update(_rest(item))
        if item.index in paired:
            entry.update(_promises(item))
        items[str(item.index)] = entry
    return {
        "pairs": shown, "sentences": sentences.table(),
        # a cell whose pair the analyst rejected has no pair left to carry the decision: the column does
        "decisions": {str(cell.national): _decision(cell.decision) for cell in column.cells if cell.decision},
        "items": items,
        "key": document_key(document), "file_name": names(document), "title": document.title,
        # what a decisions file's `local:` may say to name this document (the page opens such files)
        "names": sorted({n for n in (document.jurisdiction, document.short_name, Path(document.source).name,
                                     Path(document.source).stem, document.ref) if n}),
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
           order: Order = Order.given, decisions: Sequence[Decisions] = ()) -> dict[str, Any]:
    """Everything the template shows, as plain data: the national items, the columns, per-topic coverage.

    Columns are laid out in `order`; each keeps its position as given as its id, which is the page's
    "as given" order and its index into the script's data."""
    position = {id(c): k for k, c in enumerate(columns)}
    items = [{"index": i.index, "label": i.label, "title": i.title, "section": i.section, "text": i.text,
              "topic": topics.get(i.index, "") or "其他", **_promises(i)} for i in national.items]
    pairs = _Pairs(vocabulary)
    names = _Names([c.document for c in columns if c.document is not None])
    prints = {i.index: fingerprint(i) for i in national.items}
    script_data: dict[str, Any] = {
        "reference": national.as_reference,
        "key": document_key(national), "file_name": _Names([national])(national),
        "national": {str(n["index"]): {k: n[k] for k in ("label", "title", "topic", "departments", "deadline", "targets")}
                     | {"f": prints[n["index"]]} for n in items},
        "columns": [{"label": c.label or c.name, "level_name": LEVEL_NAMES.get(c.level, c.level), "year": c.year,
                     "source": c.source, "coverage": round(c.coverage, 4),
                     "gaps": [cell.national for cell in c.cells if cell.grade is Grade.NONE],
                     **_detail(c, pairs, national, vocabulary, decisions, names)}
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


# The page's script, by concern, inlined in this order into one function (they share its scope).
SCRIPTS = ("report-data.js", "report-heatmap.js", "report-panel.js", "report-review.js", "report-queue.js",
           "report-decisions.js", "report-start.js")


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
    script = Markup("\n").join(_asset(name) for name in SCRIPTS)
    return template.render(report=report, css=_asset("report.css"), script=script)
