"""`yigai report`: one self-contained HTML file, a heatmap of the matrix with every pair's sentences.

The Python here turns the library's results (columns with their pairs) into the page's data; the Jinja
template in `templates/report.html.j2` lays out the page around it, with autoescape on, since every string in
it comes from documents. The page draws the heatmap and the lists itself, only what is on screen, so that a
report of 10,000 documents opens in a few seconds (templates/report-heatmap.js).

The data is compact, for the same reason (see `Page`): each column's grades are one short string; every text
(an item's title and body, a sentence's national side, a shared term) is listed once in a table and named by
its position; a local sentence is a range of its item's text. What the panels show of a column (its items and
pairs) is one line of JSON per column in a script element of its own, which the page parses only when the
column is opened. Every piece of JSON is escaped as Jinja's `tojson` escapes (`<`, `>`, `&`, `'` as \\u
escapes), so a document's text cannot close the script element; the page puts text in with `textContent` only,
and highlights are character ranges computed here.
Each column's part of the page (`Panel`) is made where the column is aligned, in a worker process (`Panels`):
its panels' JSON comes as a template with a hole wherever a position in those tables goes, and the tables'
entries it names; the process writing the page lists the entries it has not seen and fills in the holes
(`Page.take`), so that it does little a column while the workers align the next ones.
The page is also where an analyst reviews the verdicts: it carries what the decisions file needs (every item's
fingerprint, each document's key and name) and writes that file itself (templates/report-decisions.js).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from yigai.align import Grade, Pair, align, confident
from yigai.decisions import Applied, Decisions, apply_decisions, decision_of, fingerprint, normalise, rejected_of
from yigai.matrix import Column, Labelled, Order, labelled, level_rank, ordered
from yigai.model import LEVELS, Document, Item
from yigai.vocab import Vocabulary

from .compare import MARK

LEVEL_NAMES = {"national": "国家", "provincial": "省级", "municipal": "市级", "county": "县级", "unknown": "未知"}
GRADE_CODE = {Grade.FULL: "f", Grade.PARTIAL: "p", Grade.NONE: "n"}


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _utf16(text: str, index: int) -> int:
    # the page's script counts UTF-16 code units; characters beyond the BMP (𠮷) take two
    if _ASTRAL.search(text, 0, index) is None:  # (the common case, without making a copy)
        return index
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
    if merged and _ASTRAL.search(text) is not None:
        return [[_utf16(text, a), _utf16(text, b)] for a, b in merged]
    return merged


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

    def positions(self, texts: Sequence[str]) -> list[int]:
        """The position of each of `texts` (distinct), those not listed yet listed in turn."""
        found: list[Any] = list(map(self.index.get, texts))
        if None in found:
            for k, at in enumerate(found):
                if at is None:
                    found[k] = self(texts[k])
        return found

    def table(self) -> list[str]:
        return list(self.index)


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


@dataclass(frozen=True)
class Naming:
    """What names a document in a decisions file's `local:` (see _Names), read from the document alone (in the
    worker that read it)."""

    names: tuple[str, ...]  # its jurisdiction, short name, file name and its stem, ref: those not empty, sorted
    title: str | None  # its title, normalised (None: it has none)
    choices: tuple[str, ...]  # of its jurisdiction, file name and title, in turn: those that name it
    ref: str


def naming(document: Document) -> Naming:
    source = Path(document.source)
    names = {document.jurisdiction, document.short_name, source.name, source.stem, document.ref}
    choices = (document.jurisdiction, source.name, document.title)
    return Naming(tuple(sorted(n for n in names if n)), normalise(document.title) if document.title else None,
                  tuple(n for n in choices if n and Decisions("", (), local=n).applies_to(document)), document.ref)


def _name_of(document: Document) -> str:
    named = naming(document)
    return _Names([named])(named)


class _Names:
    """What a decisions file's `local:` says to name each document of a report: its jurisdiction, unless
    another document of the report answers to it too (四川 2021 and 四川 2024), else its file name, else its
    ref. The same test as `Decisions.applies_to`, indexed: a report may hold 10,000 documents."""

    def __init__(self, documents: Sequence[Naming]) -> None:
        self.named: dict[str, set[int]] = {}
        for k, d in enumerate(documents):
            for name in d.names:
                self.named.setdefault(name, set()).add(k)
        self.titles = sorted((d.title, k) for k, d in enumerate(documents) if d.title is not None)

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

    def __call__(self, document: Naming) -> str:
        return next((name for name in document.choices if self._count(name) < 2), document.ref)


def _reviewed(column: Column, national: Document, vocabulary: Vocabulary, decisions: Sequence[Decisions],
              min_confidence: float | None = None) -> tuple[tuple[Pair, ...], tuple[Pair, ...]]:
    """A column's pairs and the pairs its analyst rejected (which a column does not keep). Only a column
    with decisions is aligned again, to find the rejected pairs with their sentences; as the column was
    (yigai.matrix.column): the pairs at least `min_confidence` sure, then the decisions."""
    document = column.document
    assert document is not None
    if not any(cell.decision for cell in column.cells):
        return column.pairs, ()
    files = [d for d in decisions if d.applies_to(document)]
    alignment = align(national, document, vocabulary, quotes=True)
    if min_confidence is not None:
        alignment = confident(alignment, min_confidence)
    decided, _ = apply_decisions(alignment, files)
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


def _json(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    """Compact JSON for a script element, in UTF-8, with < > & ' escaped as Jinja's `tojson` escapes them: no
    document text can end the element (`</script>`) or open a comment in it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=default)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def _trimmed(values: list[Any]) -> list[Any]:
    # a row's absent fields at its end are left out (a pair with no confidence, decision: 9 fields, not 11)
    while values and values[-1] is None:
        values.pop()
    return values


class _Table:
    """Values listed once and named by position (a list of departments, a mark list): what repeats over
    thousands of columns is written once."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.values: list[Any] = []

    def __call__(self, value: Any) -> int:
        key = _key(value)
        if key not in self.index:
            self.index[key] = len(self.values)
            self.values.append(value)
        return self.index[key]

    def positions(self, keys: Sequence[str]) -> list[int]:
        """The position of each value whose JSON (as `_key` writes it) is one of `keys` (distinct), those not
        listed yet listed in turn."""
        found: list[Any] = list(map(self.index.get, keys))
        if None in found:
            for k, at in enumerate(found):
                if at is None:
                    found[k] = self.index[keys[k]] = len(self.values)
                    self.values.append(json.loads(keys[k]))
        return found


CERTAINTY = ("sure", "likely", "unsure")

# The page's tables a column's panels refer to by position: texts, sentences, terms (strings), marks and
# promises (values, by their JSON).
TEXTS, SENTENCES, TERMS, MARKS, PROMISES = range(5)
_TABLES = 5


class _Ref:
    """A position in one of the page's tables, which only the process holding the tables can say: where a
    column's panels cannot be sent as a template with holes (a document's text reads as one), they are sent as
    they are with these in place, and the positions are written in where the tables are (`_filled`)."""

    __slots__ = ("table", "at")

    def __init__(self, table: int, at: int) -> None:
        self.table = table
        self.at = at


# A hole, a string no reader's text can be: NUL and a code (a table and a position in it), as _json writes it, a
# whole string in the JSON's structure (after [ , or :; inside a string a quote is \"). A document's string
# that is exactly one is caught by counting the holes (_template).
_HOLE = re.compile(r'(?<=[\[,:])"\\u0000(\d+)"')


class _Local:
    """A column's own tables, in the order it first names each entry: the page's tables take them in that
    order, so that a text has the position it would have had if the page had named it itself. Calling it
    gives the hole that stands for an entry's position: a string of NUL and a code (see _HOLE), or with `refs`
    a _Ref (for json's `default`)."""

    def __init__(self, refs: bool = False) -> None:
        self.tables: tuple[dict[str, int], ...] = tuple({} for _ in range(_TABLES))
        self.holes = 0
        self.refs = refs

    def __call__(self, table: int, key: str) -> Any:
        named = self.tables[table]
        at = named.setdefault(key, len(named))
        self.holes += 1
        if self.refs:
            return _Ref(table, at)
        code = at * _TABLES + table
        return _HOLES[code] if code < len(_HOLES) else f"\x00{code}"


_HOLES = [f"\x00{code}" for code in range(_TABLES * 1000)]  # (the common ones, made once)


def _filled(value: Any, positions: list[list[int]]) -> int:
    # (json's `default`, where a Panel came as a tree): a _Ref's position in the page's table
    if isinstance(value, _Ref):
        return positions[value.table][value.at]
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


@dataclass(frozen=True)
class Panel:
    """One column's part of the page, made where the column was made (a worker process): its panels as UTF-8
    JSON in `template`, with %d where the JSON names a position in one of the page's tables (% itself as %%):
    the entry `codes` gives, in `tables` one after the other (texts, sentences, terms, marks, promises), whose
    position in the page's own table goes there; and what the page's summary keeps of the column. `tree`
    replaces `template` where a document's text held what looks like a hole (its _Ref objects filled in by the
    page)."""

    template: bytes
    codes: array
    tables: tuple[tuple[str, ...], ...]
    key: str
    made: int
    decided: int
    named: Naming
    file: str
    grades: str
    own: int
    tree: Any = None


class Panels:
    """Makes each column's Panel (`column` made with detail): what the page needs of a column, done where it was
    aligned, so that the process writing the page only puts them together. Picklable, to be sent to workers;
    each process keeps its own memory of what recurs (a national sentence's highlights, an item text's promises)."""

    def __init__(self, national: Document, vocabulary: Vocabulary, decisions: Sequence[Decisions] = (),
                 min_confidence: float | None = None) -> None:
        self.national = national
        self.vocabulary = vocabulary
        self.decisions = tuple(decisions)
        self.min_confidence = min_confidence
        self._national_marks: dict[tuple[str, tuple[str, ...]], str] = {}
        self._read_promises: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__ | {"_national_marks": {}, "_read_promises": {}}

    def _national_mark(self, sentence: str, instruments: tuple[str, ...]) -> str:
        key = (sentence, instruments)
        if key not in self._national_marks:  # one national sentence meets the same instruments in many columns
            named = set(instruments)
            surfaces = [m.surface for m in self.vocabulary.mentions(sentence) if m.instrument in named]
            self._national_marks[key] = _key(spans(sentence, surfaces))
        return self._national_marks[key]

    def _promises_of(self, item: Item) -> str:
        # read from the item's text alone: a text that recurs (a county list copying its city's) is read once
        if item.text not in self._read_promises:
            if len(self._read_promises) >= PROMISES_KEPT:
                self._read_promises.clear()
            self._read_promises[item.text] = _key(_promises(item))
        return self._read_promises[item.text]

    def _item(self, item: Item, fingerprint_: str, paired: bool, local: _Local) -> tuple[list[Any], str]:
        """An item as the page reads it, and its text as the page shows it (title + x, or text)."""
        rest = _rest(item)
        row = [item.index, item.label, fingerprint_, local(TEXTS, item.title),
               local(TEXTS, rest["x"]) if "x" in rest else None, local(TEXTS, rest["text"]) if "text" in rest else None,
               local(PROMISES, self._promises_of(item)) if paired else None]
        return _trimmed(row), rest.get("text") or item.title + rest.get("x", "")

    def _pair(self, pair: Pair, shown: dict[int, str], local: _Local) -> list[Any]:
        decided = decision_of(pair)
        machine = decided.machine if decided else pair.grade  # yigai's own grade; the decision is `d`
        text = shown.get(pair.local, "")
        at = text.find(pair.local_sentence) if pair.local_sentence else -1
        local_sentence: Any = ([_utf16(text, at), _utf16(text, at + len(pair.local_sentence))] if at >= 0
                               else pair.local_sentence)
        sure = _confidence(pair)
        return _trimmed([
            pair.national, pair.local, GRADE_CODE[machine], round(pair.score, 2),
            [local(TERMS, t) for t in pair.instruments or pair.evidence],
            local(SENTENCES, pair.national_sentence),
            local(MARKS, self._national_mark(pair.national_sentence, pair.instruments)),
            local_sentence, spans(pair.local_sentence, pair.local_terms),
            [sure["value"], CERTAINTY.index(sure["level"]) if sure["level"] in CERTAINTY else 0] if sure else None,
            _decision(decided) if decided else None])

    def _detail(self, column: Column, document: Document, kept: tuple[Pair, ...], rejected: tuple[Pair, ...],
                fingerprints: list[str], named: Naming, local: _Local) -> tuple[dict[str, Any], list[list[Any]]]:
        """The column's panels as the page's JSON reads them, with `local`'s holes for positions; and its pairs."""
        paired = {p.local for p in kept}
        items, shown = [], {}
        for item, fingerprint_ in zip(document.items, fingerprints):
            row, shown[item.index] = self._item(item, fingerprint_, item.index in paired, local)
            items.append(row)
        pairs = [self._pair(p, shown, local) for p in sorted(kept + rejected, key=lambda p: (p.national, -p.score))]
        detail: dict[str, Any] = {
            "i": items, "p": pairs, "t": document.title,
            # what a decisions file's `local:` may say to name this document (the page opens such files)
            "m": list(named.names)}
        # a cell whose pair the analyst rejected has no pair left to carry the decision: the column does
        decisions = {str(cell.national): _decision(cell.decision) for cell in column.cells if cell.decision}
        if decisions:
            detail["d"] = decisions
        return detail, pairs

    def __call__(self, column: Column) -> Panel:
        document = column.document
        if document is None:
            raise ValueError("report columns need detail=True")
        kept, rejected = _reviewed(column, self.national, self.vocabulary, self.decisions, self.min_confidence)
        fingerprints = [fingerprint(item) for item in document.items]
        named = naming(document)
        local = _Local()
        detail, pairs = self._detail(column, document, kept, rejected, fingerprints, named, local)
        made = _template(_json(detail), local)
        tree = None
        if made is None:  # a text of the document's own read as a hole: the page encodes the panels whole
            local = _Local(refs=True)
            tree, pairs = self._detail(column, document, kept, rejected, fingerprints, named, local)
        template, codes = made or (b"", array("I"))
        key = hashlib.sha1(",".join(fingerprints).encode("utf-8")).hexdigest()[:16]  # as document_key
        grades = "".join(GRADE_CODE[cell.grade].upper() if cell.decision else GRADE_CODE[cell.grade]
                         for cell in column.cells)
        return Panel(template, codes, tuple(tuple(t) for t in local.tables), key,
                     sum(1 for p in pairs if p[2] != "n"), int(any(len(p) > 10 for p in pairs)),
                     named, column.file, grades, len(column.local_only), tree)


def _template(text: str, local: _Local) -> tuple[bytes, array] | None:
    """A column's panels as `Panel.template` and `codes`, from its JSON with holes; None where the document's
    own text holds what reads as one (more holes than `local` made)."""
    pieces = _HOLE.split(text.replace("%", "%%"))  # (a hole holds no %)
    if len(pieces) != 2 * local.holes + 1:
        return None
    offsets = [0]
    for table in local.tables:
        offsets.append(offsets[-1] + len(table))
    codes = array("I", (offsets[code % _TABLES] + code // _TABLES for code in map(int, pieces[1::2])))
    # (a file name may hold undecodable bytes: written as ?, as the whole page is)
    return "%d".join(pieces[::2]).encode("utf-8", "replace"), codes


# Item texts whose promises a process remembers (a county list copying its city's is read once), at the most.
PROMISES_KEPT = 20_000


def _key(value: Any) -> str:
    # how _Table names a value
    return json.dumps(value, ensure_ascii=False)


class Page:
    """The page's data, built a column at a time: `take` each column's Panel as the alignment gives it (made in
    a worker by `Panels`), keeping the summary it was given with it, or `add` each column made with detail (the
    Panel made here); then `finish` with those summaries or what `add` returned.

    Column k's panels are line k of `details`, JSON: {"i": items, "p": pairs, "t": title, "m": names,
    "d": decisions}. An item is [index, label, fingerprint, title, x, text, promises] (title, x, text:
    positions in `texts`; x the text after the title, text the whole text when it does not begin with the title;
    promises a position in `promises`: {departments, deadline, targets}, for items in a pair). A pair is
    [n, l, g, s, t, ns, nm, ls, lm, k, d]: national and local item; yigai's grade (f, p; n for a pair only an
    analyst made); score; the shared instruments (positions in `terms`); the national sentence (a position in
    `sentences`) and its highlights (a position in `marks`); the local sentence, [start, end] of its item's text
    (title + x, or text) in UTF-16 units, or the sentence itself when it is not part of that text; its highlights
    [[start, end], …]; the confidence [value, level] (level a position in CERTAINTY), when yigai weighed the
    pair; the analyst's decision (from --decisions). Absent fields at the end are left out, others are null.
    """

    def __init__(self, national: Document, topics: dict[int, str], vocabulary: Vocabulary,
                 decisions: Sequence[Decisions] = (), min_confidence: float | None = None) -> None:
        self.national = national
        self.topics = topics
        self.panels = Panels(national, vocabulary, decisions, min_confidence)
        self.texts = _Strings()
        self.sentences = _Strings()
        self.terms = _Strings()
        self.marks = _Table()
        self.promises = _Table()
        self._tables: tuple[_Strings | _Table, ...] = (self.texts, self.sentences, self.terms, self.marks, self.promises)
        self.details: list[bytes] = []  # each column's panels, as the file holds them (UTF-8: half the memory)
        self.keys: list[str] = []
        self.made: list[int] = []  # pairs yigai made (what the review counts), per column
        self.decided: list[int] = []  # 1 where a pair carries a decision from --decisions
        self.named: list[Naming] = []  # what names each document in a decisions file
        self.files: list[str] = []  # each column's file name
        self.grades: list[str] = []  # one letter a national item (f, p, n), upper case where an analyst decided
        self.own: list[int] = []  # local items of no national item's, per column

    def take(self, panel: Panel) -> None:
        """Write down one column's panels and what the summary needs of it (the column's Panel)."""
        positions = [table.positions(entries) for table, entries in zip(self._tables, panel.tables)]
        if panel.tree is not None:
            self.details.append(_json(panel.tree, default=lambda ref: _filled(ref, positions)).encode("utf-8", "replace"))
        else:
            flat = list(chain.from_iterable(positions))
            self.details.append(panel.template % tuple(map(flat.__getitem__, panel.codes)))
        self.keys.append(panel.key)
        self.made.append(panel.made)
        self.decided.append(panel.decided)
        self.named.append(panel.named)
        self.files.append(panel.file)
        self.grades.append(panel.grades)
        self.own.append(panel.own)

    def add(self, column: Column) -> Column:
        """Write down one column's panels and grades; returns the column without its document, pairs and cells
        (its name, coverage, level: what the summary and the orders need), so that the caller need not hold
        every document, or every cell, at once."""
        self.take(self.panels(column))
        # what the page's summary needs of the column is written down: its cells go with its document
        return replace(column, pairs=(), document=None, cells=(), by_topic=())

    def finish(self, columns: Sequence[Labelled], order: Order = Order.given, relabel: bool = True) -> dict[str, Any]:
        """Everything the template shows: `columns` are the summaries taken with each Panel (or what `add`
        returned), in the same order (its position is a column's id, the page's "as given" order); they are
        labelled here, across all of them, unless `relabel` is False (labelled so already)."""
        if len(columns) != len(self.details):
            raise ValueError("finish() takes a column for each panel taken, every one")
        columns = labelled(list(columns)) if relabel else list(columns)  # type: ignore[arg-type]
        national = self.national
        items = [{"index": i.index, "label": i.label, "title": i.title, "section": i.section, "text": i.text,
                  "topic": self.topics.get(i.index, "") or "其他", **_promises(i)} for i in national.items]
        names = _Names(self.named)
        # the page's "by name" and "by level" menu items sort by this rank: the Chinese order of --sort name
        by_name = {id(c): k for k, c in enumerate(ordered(columns, Order.name))}
        summary = {
            "label": [c.label or c.name for c in columns], "name": [c.name for c in columns],
            "year": [c.year for c in columns], "level": [level_rank(c.level) for c in columns],
            "source": [c.source for c in columns], "file": self.files,
            "cov": [round(c.coverage, 4) for c in columns],
            # one letter a national item: f, p, n; upper case where an analyst's decision made the grade
            "grades": self.grades,
            "own": self.own, "pairs": self.made, "decided": self.decided,
            "key": self.keys, "file_name": [names(d) for d in self.named],
            "rank": [by_name[id(c)] for c in columns],
        }
        data: dict[str, Any] = {
            "reference": national.as_reference, "key": document_key(national), "file_name": _name_of(national),
            "national": {str(n["index"]): {k: n[k] for k in ("label", "title", "topic", "departments", "deadline", "targets")}
                         | {"f": fingerprint(i)} for n, i in zip(items, national.items)},
            "order": [i.index for i in national.items],
            "levels": {str(level_rank(level)): LEVEL_NAMES.get(level, level) for level in LEVELS},
            "columns": summary, "sentences": self.sentences.table(), "terms": self.terms.table(),
            "marks": self.marks.values, "promises": self.promises.values, "certainty": list(CERTAINTY),
        }
        mean = sum(c.coverage for c in columns) / len(columns) if columns else 0.0
        return {
            "reference": national.as_reference,
            "national": {"title": national.title or national.jurisdiction, "ref": national.ref,
                         "doc_number": national.doc_number, "year": national.year, "date": national.date},
            "rows": items, "topics": _by_topic(items, self.grades), "count": len(columns),
            "single": (columns[0].label or columns[0].name) if len(columns) == 1 else None,
            "mean": mean, "order": Order(order).value, "mark": {GRADE_CODE[g]: m for g, m in MARK.items()},
            "data": Markup(_json(data)), "texts": Markup(_json(self.texts.table())),
        }

    def html(self, report: dict[str, Any]) -> bytes:
        """The report as one HTML document, in UTF-8: the page around the columns' panels, which are written
        in as they are held (10,000 columns' panels are not copied into one string first)."""
        head, tail = render(report | {"details": Markup(_DETAILS)}).split(_DETAILS)
        return b"".join([head.encode("utf-8", "replace"), b"\n".join(self.details), tail.encode("utf-8", "replace")])


def _by_topic(items: list[dict[str, Any]], grades: list[str]) -> list[dict[str, Any]]:
    """Each topic's coverage over all columns: (full + 0.5 x partial) / (its items x columns)."""
    weight = {"f": 1.0, "p": 0.5, "n": 0.0, "F": 1.0, "P": 0.5, "N": 0.0}
    result = []
    for topic in dict.fromkeys(item["topic"] for item in items):
        rows = [r for r, item in enumerate(items) if item["topic"] == topic]
        scores = [weight[g[r]] for g in grades for r in rows]
        result.append({"name": topic, "count": len(rows), "ratio": sum(scores) / len(scores) if scores else 0.0})
    return result


def gather(national: Document, columns: list[Column], topics: dict[int, str], vocabulary: Vocabulary,
           order: Order = Order.given, decisions: Sequence[Decisions] = ()) -> dict[str, Any]:
    """Everything the template shows, from columns made with detail (all in hand: `Page` takes them one by one)."""
    page = Page(national, topics, vocabulary, decisions)
    return page.finish([page.add(c) for c in columns], order)


# The page's script, by concern, inlined in this order into one function (they share its scope).
SCRIPTS = ("report-data.js", "report-heatmap.js", "report-panel.js", "report-review.js", "report-queue.js",
           "report-decisions.js", "report-start.js")


def _asset(name: str) -> Markup:
    # the page's own CSS and script, written out inline (no CDN, nothing fetched)
    return Markup(resources.files("yigai_cli").joinpath("templates", name).read_text(encoding="utf-8"))


# Where the columns' panels go in the page: markup only the template can write (document text in the page is
# escaped, in its JSON too), so it is found exactly once.
_DETAILS = "<!--yigai: the columns' panels-->"


def render(report: dict[str, Any]) -> str:
    """The page around the columns' panels (`Page.html` writes them in)."""
    env = Environment(loader=PackageLoader("yigai_cli", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("report.html.j2")
    script = Markup("\n").join(_asset(name) for name in SCRIPTS)
    return template.render(report=report, css=_asset("report.css"), script=script)
