"""Many local documents against one national list: one column of grades per local document."""

from __future__ import annotations

import glob
import itertools
import multiprocessing
import os
import re
import signal
import stat
import sys
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar

import numpy as np

from .align import Grade, Pair, align, confident, one_blas_thread, prepare
from .coverage import coverage
from .decisions import Applied, Decisions, DecisionWarning, apply_decisions, decision_of, rejected_of
from .documents import parse_ref, read_documents, read_ref
from .errors import InputError
from .fetch import STDIN, is_url
from .model import LEVELS, Document
from .order import Order, chinese_order
from .vocab import Vocabulary, load_vocabulary

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".xlsx", ".pdf")


@dataclass(frozen=True)
class Cell:
    national: int
    grade: Grade
    local: tuple[int, ...]
    score: float
    decision: Applied | None = None  # the analyst's decision on the cell's best pair (or a rejected one)


@dataclass(frozen=True)
class Column:
    """One local document's grades for every national item.

    `label` tells columns apart where names repeat (四川 2021 from one file, 四川 2024 from a round-up);
    `matrix()` sets it. With `detail`, a column also carries its local document and every graded pair
    (after decisions), which the HTML report shows; the grades are the same either way.
    """

    name: str
    source: str
    year: int | None
    coverage: float
    cells: tuple[Cell, ...]
    warnings: tuple[DecisionWarning, ...] = ()  # decisions entries that could not be applied to this column
    jurisdiction: str = ""
    level: str = "unknown"
    label: str = ""
    local_only: tuple[int, ...] = ()
    by_topic: tuple[tuple[str, int, float], ...] = ()  # (topic, national items, ratio)
    pairs: tuple[Pair, ...] = ()  # with detail only
    document: Document | None = None  # with detail only
    ocr: bool = False  # its document was read by OCR (a result that depends on the OCR engine: not cached)

    @property
    def file(self) -> str:
        """The file name the column was read from (without folders or selector)."""
        return _file_of(self.source)

    @property
    def grades(self) -> str:
        """One letter per national item, in order: f(ull), p(artial), n(one)."""
        return "".join(LETTER[c.grade] for c in self.cells)

    @property
    def decided(self) -> tuple[int, ...]:
        """The rows (positions among the national items) whose grade carries an analyst's decision."""
        return tuple(row for row, c in enumerate(self.cells) if c.decision)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "source": self.source, "year": self.year, "coverage": round(self.coverage, 4),
                "cells": [_cell_dict(c) for c in self.cells], "label": self.label or self.name,
                "jurisdiction": self.jurisdiction, "level": self.level, "local_only": list(self.local_only)}


def _cell_dict(c: Cell) -> dict[str, object]:
    score = round(c.score, 3) if c.score else c.score  # (0.0 or -0.0, as round gives them: round costs ~0.4 us)
    cell = {"national": c.national, "grade": _GRADE_VALUE[c.grade], "local": list(c.local), "score": score}
    if c.decision:
        cell["decision"] = c.decision.as_dict()
    return cell


_GRADE_VALUE = {grade: grade.value for grade in Grade}  # (an enum's .value is a descriptor: ~0.3 us a cell)


LETTER = {Grade.FULL: "f", Grade.PARTIAL: "p", Grade.NONE: "n"}
GRADE_OF = {letter: grade for grade, letter in LETTER.items()}


@dataclass(slots=True)
class Summary:
    """What the matrix's outputs keep of a column once it is written: small enough to hold 30,000 of.

    Its grades are one letter per national item (`LETTER`), `decided` the rows whose grade carries an analyst's
    decision; the rest is what labels, sorting and the warnings read. `label` is set by `label_all` once every
    column is in (a label tells apart columns that read alike, so it depends on all of them).
    """

    name: str
    source: str
    year: int | None
    coverage: float
    grades: str
    decided: tuple[int, ...] = ()
    warnings: tuple[DecisionWarning, ...] = ()
    jurisdiction: str = ""
    level: str = "unknown"
    label: str = ""

    @property
    def file(self) -> str:
        """The file name the column was read from (without folders or selector)."""
        return _file_of(self.source)


def summary(column: Column) -> Summary:
    return Summary(column.name, column.source, column.year, column.coverage, column.grades, column.decided,
                   column.warnings, column.jurisdiction, column.level, column.label)


class Summaries(Sequence[Summary]):
    """Many columns' summaries, packed: each column's grades one byte an item in one bytearray, its coverage and year in
    arrays, its name, jurisdiction and level one number into a table of those seen, its source the number of its ref
    and of its selector.

    Summary objects, one a column, took ~1.5 KiB of a process's memory a column (their own ~0.5 KiB and the holes
    they kept open among everything a run allocates and frees): 40 MiB at 30,000 documents; packed, ~50 bytes.
    Indexing (and iterating) makes Summary objects as they are read. `ordered` gives a view in another order;
    `label` labels every column as `labels_of` would (kept only where a label is not the plain `name year (file)`).
    """

    def __init__(self, items: int, refs: Sequence[str]) -> None:
        self.items = items
        self._refs = refs
        self._grades = bytearray()
        self._coverage = array("d")
        self._year = array("i")  # 0: none
        self._kind = array("i")  # (name, jurisdiction, level): a number into _kinds
        self._kinds: list[tuple[str | None, str, str]] = []  # name None: the stem of the column's file
        self._kind_of: dict[tuple[str | None, str, str], int] = {}
        self._source = array("i")  # the number of the column's ref, or -1 - its number in _other_sources
        self._selector = array("i")  # what follows the ref in the source (`#1`): a number into _selectors
        self._selectors: list[str] = []
        self._selector_of: dict[str, int] = {}
        self._other_sources: list[str] = []  # sources that do not start with their ref
        self._decided: dict[int, tuple[int, ...]] = {}
        self._warnings: dict[int, tuple[DecisionWarning, ...]] = {}
        self._labels: dict[int, str] | None = None  # labels other than the plain one; None: not labelled yet
        self._order: Sequence[int] | None = None  # a view's order: the numbers of its columns

    def add(self, summary: Summary, ref: int) -> None:
        """Add a column's summary, made from refs[ref]."""
        if len(summary.grades) != self.items:
            raise ValueError(f"a column of {len(summary.grades)} grades among columns of {self.items}")
        number = len(self._coverage)
        self._grades += summary.grades.encode("ascii")
        self._coverage.append(summary.coverage)
        self._year.append(summary.year or 0)
        name: str | None = summary.name
        if name == _stem(summary.source):  # a list that names no place goes by its file's name: one kind for all
            name = None
        kind = (name, summary.jurisdiction, summary.level)
        self._kind.append(self._kind_of.setdefault(kind, len(self._kinds)))
        if self._kind[-1] == len(self._kinds):
            self._kinds.append(kind)
        given = self._refs[ref]
        if summary.source.startswith(given):  # `file.txt#1` from `file.txt`: the ref and a selector many share
            rest = summary.source[len(given) :]
            self._source.append(ref)
            self._selector.append(self._selector_of.setdefault(rest, len(self._selectors)))
            if self._selector[-1] == len(self._selectors):
                self._selectors.append(rest)
        else:
            self._source.append(-1 - len(self._other_sources))
            self._selector.append(0)
            self._other_sources.append(summary.source)
        if summary.decided:
            self._decided[number] = summary.decided
        if summary.warnings:
            self._warnings[number] = summary.warnings

    def __len__(self) -> int:
        return len(self._order) if self._order is not None else len(self._coverage)

    def number(self, at: int) -> int:
        """The number (order added, from 0) of the column at `at`."""
        return self._order[at] if self._order is not None else at

    def __getitem__(self, at: int) -> Summary:  # type: ignore[override]
        if not -len(self) <= at < len(self):
            raise IndexError(at)
        return self._summary(self.number(at % len(self)))

    def __iter__(self) -> Iterator[Summary]:
        return (self._summary(self.number(at)) for at in range(len(self)))

    def _summary(self, number: int) -> Summary:
        name, jurisdiction, level = self._kinds[self._kind[number]]
        source = self._source_of(number)
        summary_ = Summary(_stem(source) if name is None else name, source, self._year[number] or None, self._coverage[number],
                           self._grades[number * self.items : (number + 1) * self.items].decode("ascii"),
                           self._decided.get(number, ()), self._warnings.get(number, ()), jurisdiction, level)
        if self._labels is not None:
            summary_.label = self._labels.get(number) or _plain_label(summary_)
        return summary_

    def _source_of(self, number: int) -> str:
        at = self._source[number]
        return self._refs[at] + self._selectors[self._selector[number]] if at >= 0 else self._other_sources[-1 - at]

    def row(self, row: int) -> str:
        """Every column's grade of the national item at `row`, in this order: one letter each."""
        letters = bytes(self._grades[row :: self.items]) if self.items else b""
        if self._order is not None:
            letters = np.frombuffer(letters, dtype=np.uint8)[np.asarray(self._order, dtype=np.intp)].tobytes()
        return letters.decode("ascii")

    def ordered(self, order: Order | str) -> Summaries:
        """A view of the columns in the order asked for (as `ordered` orders columns)."""
        order = Order(order)
        if order is Order.given:
            return self
        if order is Order.coverage:  # a stable sort, as sorted()'s
            numbers: Sequence[int] = array("i", np.argsort(-np.frombuffer(self._coverage, dtype=np.float64),
                                                         kind="stable").tolist())
        else:
            # (each column's key held while sorting, ~0.3 KiB, where the order given and coverage hold none)
            numbers = array("i", sorted(range(len(self)), key=lambda at: _order_key(order, self[at])))
        if self._order is not None:
            numbers = array("i", (self._order[k] for k in numbers))
        view = object.__new__(Summaries)
        view.__dict__.update(self.__dict__)
        view._order = numbers
        return view

    def label(self) -> None:
        """Label every column as labels_of labels columns. Labels are compared by their hashes first (an array of
        numbers): only the columns whose labels may read alike are compared by their text."""
        count = len(self._coverage)
        plain = np.fromiter((hash(self._plain(number)) for number in range(count)), dtype=np.int64, count=count)
        alike = _repeated(plain)  # every column of a plain label that two columns have is among them
        qualified = dict(zip(alike, _qualified([self._summary(k) for k in alike])))
        final = plain.copy()
        for number, label in qualified.items():
            final[number] = hash(label)
        again = _repeated(final)  # every column of a label, qualified or plain, that two columns have
        texts = [qualified.get(k) or self._plain(k) for k in again]
        labels = {**qualified, **dict(zip(again, _counted(texts)))}
        self._labels = {number: label for number, label in labels.items() if label != self._plain(number)}

    def _plain(self, number: int) -> str:
        """_plain_label of the column added `number`th, made from what is packed (without a Summary)."""
        name = self._kinds[self._kind[number]][0]
        file = _file_of(self._source_of(number))
        if name is None:
            name = _stem_of_name(file)
        return _label_text(name, self._year[number] or None, file)

    def label_of(self, at: int) -> str:
        """The label of the column at `at` (once `label` labelled them all; its name before)."""
        number = self.number(at)
        if self._labels is None:
            name = self._kinds[self._kind[number]][0]
            return _stem(self._source_of(number)) if name is None else name
        return self._labels.get(number) or self._plain(number)

    def coverage_of(self, at: int) -> float:
        return self._coverage[self.number(at)]

    def year_of(self, at: int) -> int | None:
        return self._year[self.number(at)] or None

    def warnings_of(self, at: int) -> tuple[DecisionWarning, ...]:
        return self._warnings.get(self.number(at), ())


def _file_of(source: str) -> str:
    """`Path(parse_ref(source)[0]).name`, without the two: a column's source is its document's ref, `path#1`, where
    parse_ref asks the disk whether `path#1` is a file, and a Path is made; the labels of 30,000 columns asked 60,000
    times (0.2 s)."""
    path, mark, selector = source.rpartition("#")
    if not (mark and selector.isascii() and selector.isdigit()):
        path = parse_ref(source)[0]
    name = path[path.rfind("/") + 1 :]
    if os.sep != "/" or name in ("", ".", ".."):  # (what Path makes of `folder/`, `a/.`)
        return Path(path).name
    return name


def _stem(source: str) -> str:
    """`Path(parse_ref(source)[0]).stem` (see _file_of)."""
    return _stem_of_name(_file_of(source))


def _stem_of_name(name: str) -> str:
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def grades_of_row(columns: Sequence[Labelled], row: int) -> str:
    """Every column's grade of the national item at `row`, one letter each (LETTER)."""
    return columns.row(row) if isinstance(columns, Summaries) else "".join(c.grades[row] for c in columns)


def picked_up(letters: str) -> int:
    """How many columns picked a national item up, from its row's letters (grades_of_row)."""
    return len(letters) - letters.count(LETTER[Grade.NONE])


def _repeated(hashes: Any) -> list[int]:
    """The positions, in order, of the values that occur more than once (by sorting a copy: ~10 bytes a value)."""
    ranked = np.sort(hashes)
    twice = ranked[1:][ranked[1:] == ranked[:-1]]
    del ranked
    return np.nonzero(np.isin(hashes, twice))[0].tolist() if len(twice) else []


def _plain_label(c: Labelled, selector: str = "") -> str:
    """`四川 2021 (sichuan-2021.txt)`; with a selector, `四川 2024 (roundup.txt#2)`."""
    return _label_text(c.name, c.year, c.file + selector)


def _label_text(name: str, year: int | None, file: str) -> str:
    return f"{name} {year} ({file})" if year else f"{name} ({file})"


def _order_key(order: Order, c: Labelled) -> Any:
    if order is Order.name:
        return _by_name(c)
    if order is Order.level:
        return (level_rank(c.level), _by_name(c))
    return -c.coverage


class Labelled(Protocol):
    """A column or its summary, as labels and the orders read it."""

    @property
    def name(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def year(self) -> int | None: ...
    @property
    def coverage(self) -> float: ...
    @property
    def jurisdiction(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def grades(self) -> str: ...
    @property
    def decided(self) -> tuple[int, ...]: ...


C = TypeVar("C", bound=Labelled)


# What yigai's own outputs start with (a table's frame, its CSV headers, JSON, the report's generator, a
# workbook's creator): `matrix -o drafts/m.txt`, then `matrix NATIONAL drafts/`, must not read m.txt as a list.
_OUTPUT_SIGNS = ("┏━".encode(), "┌─".encode(), b"national_index,", b"old_index,old_label,", b"jurisdiction,source,level,",
                 b'<meta name="generator" content="yigai', b"|---")


HEAD_BYTES = 8192  # how much of a file tells whether yigai wrote it


def written_by_yigai(path: str | Path) -> bool:
    """Whether a file found in a folder or by a glob is one of yigai's outputs (read: its first 8 KB)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))  # (not open(): its buffer cost 10 us a file)
        try:
            head = b""
            while len(head) < HEAD_BYTES and (more := os.read(fd, HEAD_BYTES - len(head))):
                head += more
        finally:
            os.close(fd)
    except OSError:
        return False  # reading it says why
    return looks_written_by_yigai(head, lambda: open(path, "rb"))


def looks_written_by_yigai(head: bytes, whole: Callable[[], BinaryIO]) -> bool:
    """Whether a file is one of yigai's outputs, from its first HEAD_BYTES bytes (`whole` opens all of it: a
    workbook tells its creator inside its zip archive)."""
    if head.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        from .readers import OUTPUT_CREATOR

        try:
            with whole() as handle, zipfile.ZipFile(handle) as archive:
                core = archive.open("docProps/core.xml").read(65536)
        except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError, io.UnsupportedOperation):
            return False
        return re.search(rb"<dc:creator[^>]*>" + re.escape(OUTPUT_CREATOR.encode()) + rb"</dc:creator>", core) is not None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")) and (b'"source"' in head or b'"national"' in head):
        return True
    return any(sign in head for sign in _OUTPUT_SIGNS)


# Files found in a folder or by a glob that are known not to be yigai's outputs without reading them: given their
# paths and what stat said of each, those known (yigai.cache.Store.not_outputs: files read before, unchanged since).
Known = Callable[[Sequence[tuple[str, os.stat_result]]], Collection[str]]


KNOWN_AT_ONCE = 1024  # files asked about at once: a folder of 30,000 would hold every one's stat (~12 MiB) at once


def _not_written_by_yigai(files: Iterable[tuple[str, os.stat_result | None]], known: Known | None) -> list[str]:
    """The paths of the files (with what stat said of each regular one) that are not yigai's outputs: those `known`,
    and the others by their first 8 KB. The files are taken a slice at a time, so that only their paths are kept."""
    found: list[str] = []
    files = iter(files)
    while chunk := list(itertools.islice(files, KNOWN_AT_ONCE)):
        regular = [(path, info) for path, info in chunk if info is not None]
        plain = known(regular) if known is not None and regular else ()
        found += [path for path, _ in chunk if path in plain or not written_by_yigai(path)]
    return found


def _glob(pattern: str) -> list[str]:
    """glob.glob(pattern, recursive=True), except that `**` does not follow links to directories: a folder holding
    `ln -s . loop` made glob walk loop/loop/loop/… until the path grew too long (minutes, memory growing)."""
    if "**" not in pattern:
        return glob.glob(pattern)
    head, _, _ = pattern.partition("**")
    root = head.rstrip("/") or ("/" if head.startswith("/") else ".")
    if any(ch in root for ch in "*?["):  # a wildcard before **: each folder it matches is a root of its own
        folders = [f for f in glob.glob(root) if os.path.isdir(f) and not os.path.islink(f)]
        return [hit for folder in folders for hit in _glob(folder + pattern[len(root):])]
    matcher = _glob_regex(pattern)
    found = []
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]  # as glob: hidden folders are not entered
        for name in [*subfolders, *files]:
            path = os.path.join(folder, name)
            path = path[2:] if not head and path.startswith("./") else path  # `**/*.txt` names a/x.txt, as glob does
            if not name.startswith(".") and matcher.fullmatch(path):
                found.append(path)
    return found


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob pattern as a regex over paths: `**/` any number of folders, `*` and `?` within one name, […] a class."""
    out, at = [], 0
    while at < len(pattern):
        if pattern.startswith("**/", at):
            out.append("(?:[^/]*/)*")
            at += 3
        elif pattern.startswith("**", at):
            out.append(".*")
            at += 2
        elif pattern[at] == "*":
            out.append("[^/]*")
            at += 1
        elif pattern[at] == "?":
            out.append("[^/]")
            at += 1
        elif pattern[at] == "[" and "]" in pattern[at + 2 :]:
            end = pattern.index("]", at + 2)
            body = pattern[at + 1 : end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            at = end + 1
        else:
            out.append(re.escape(pattern[at]))
            at += 1
    return re.compile("".join(out))


def _documents_under(folder: str, known: Known | None = None) -> list[str]:
    """The supported documents under `folder`, as `sorted(Path(folder).rglob("*"))` names and orders them (folders
    behind links not entered, unreadable ones skipped), but as text: rglob holds every Path it gave in a set,
    ~0.7 KiB a file (13 MiB of 20,000). yigai's own outputs are left out (`known`: see Known)."""
    found = [path.replace("/", "\0") for path in _not_written_by_yigai(_regular_files_under(folder), known)]
    found.sort()  # Paths sort part by part: as if "/" came before any character
    for at, path in enumerate(found):
        found[at] = path.replace("\0", "/")
    return found


def _regular_files_under(folder: str) -> Iterator[tuple[str, os.stat_result]]:
    """The supported regular files under `folder` (links to folders not entered), each with what stat says of it."""
    base = str(Path(folder))
    for directory, _, names in os.walk(base):
        for name in names:
            path = os.path.join(directory, name)
            path = path[2:] if base == "." else path  # Path(".") / "a.txt" is `a.txt`
            dot = name.rfind(".")
            suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # PurePath.suffix
            if suffix.lower() in SUPPORTED_SUFFIXES and (info := _regular(path)) is not None:
                yield path, info


def _regular(path: str) -> os.stat_result | None:
    """What stat says of a regular file (links followed); None for anything else (os.path.isfile, with the stat)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def expand(refs: Iterable[str], known: Known | None = None) -> list[str]:
    """Files, globs, directories (recursively, supported formats only) and PATH#SEL refs, in order; yigai's own
    outputs found in a folder or by a glob are left out (`known`: those known not to be, without reading them)."""
    found: list[str] = []
    for ref in refs:
        path, selector = parse_ref(ref)
        if path == STDIN or is_url(path):  # (an address's ? is no glob)
            found.append(ref)
        elif selector is None and os.path.isdir(path):  # (os.path: a name too long is no directory, not an error)
            files = _documents_under(path, known)
            if not files:
                raise InputError(path, "directory holds no supported documents", f"yigai reads {', '.join(SUPPORTED_SUFFIXES)}")
            found += files
        elif selector is None and any(ch in path for ch in "*?[") and not os.path.exists(path):
            matches = sorted(_not_written_by_yigai(((m, _regular(m)) for m in _glob(path)), known))
            if not matches:
                raise InputError(path, "pattern matches no file", "check the glob")
            found += matches
        else:
            found.append(ref)
    return found




def column(national: Document, local: Document, vocabulary: Vocabulary, decisions: tuple[Decisions, ...] = (),
           detail: bool = False, min_confidence: float | None = None) -> Column:
    """One local document's column; with `detail`, its pairs and document too (for the report); with
    `min_confidence`, only the pairs at least that sure (an analyst's decisions apply after)."""
    alignment = align(national, local, vocabulary, quotes=detail)  # only the detail shows quotes
    if min_confidence is not None:
        alignment = confident(alignment, min_confidence)
    warnings: tuple[DecisionWarning, ...] = ()
    files = [d for d in decisions if d.applies_to(local)]
    if files:
        alignment, warnings = apply_decisions(alignment, files)
    cover = coverage(alignment)
    rejected = {p.national: p.decision for p in rejected_of(alignment)}
    cells = []
    for index, grade in alignment.grades.items():
        pairs = sorted(alignment.pairs_of(index), key=lambda p: -p.score)
        decided = next((d for d in map(decision_of, pairs) if d), None) or rejected.get(index)
        cells.append(Cell(index, grade, tuple(p.local for p in pairs), pairs[0].score if pairs else 0.0, decided))
    name = local.short_name or local.jurisdiction or Path(local.source).stem
    by_topic = tuple((t, n, r) for t, (n, r) in cover.by_topic.items())
    return Column(name, local.ref, local.year, cover.ratio, tuple(cells), warnings, jurisdiction=local.jurisdiction,
                  level=local.level, label=name, local_only=cover.local_only, by_topic=by_topic,
                  pairs=alignment.pairs if detail else (), document=local if detail else None, ocr=local.ocr)


def _same_document(a: Document, b: Document) -> bool:
    """The same part of the same file, under whatever name or link (one stat each: resolving both paths
    cost ~0.1 ms a document)."""
    if a.selector != b.selector:
        return False
    try:
        x, y = os.stat(a.source), os.stat(b.source)
    except (OSError, ValueError):  # not a file on disk (standard input): the same name is the same file
        return a.source == b.source
    return (x.st_dev, x.st_ino) == (y.st_dev, y.st_ino)


def _columns_of(ref: str, national: Document, vocabulary: Vocabulary, decisions: tuple[Decisions, ...] = (),
                detail: bool = False, min_confidence: float | None = None,
                documents: list[Document] | None = None) -> list[Column]:
    """A ref's columns (`documents`: its file's, read already)."""
    # `matrix national.txt folder/` often finds the national list in the folder too: no column for it
    return [column(national, d, vocabulary, decisions, detail, min_confidence) for d in read_ref(ref, documents)
            if not _same_document(d, national)]


def labels_of(columns: Sequence[Labelled]) -> list[str]:
    """Labels that tell the columns apart: `四川 2021 (sichuan-2021.txt)`, `四川 2024 (roundup.txt)`;
    the selector is added where one file gives two columns of one name, a counter where a ref is given twice."""
    return _counted(_qualified(columns))


def _qualified(columns: Sequence[Labelled]) -> list[str]:
    """Plain labels, the selector added where columns of one plain label come from more than one source."""
    labels = [_plain_label(c) for c in columns]
    sources: dict[str, set[str] | str] = {}  # one source held as itself: a set for each of 30,000 labels weighs
    for c, label in zip(columns, labels):
        held = sources.setdefault(label, c.source)
        if held != c.source:
            sources[label] = (held if isinstance(held, set) else {held}) | {c.source}
    return [_plain_label(c, f"#{parse_ref(c.source)[1]}") if isinstance(sources[label], set) else label
            for c, label in zip(columns, labels)]


def _counted(labels: list[str]) -> list[str]:
    """A counter after each label that came before: `… [2]`."""
    seen: Counter[str] = Counter()
    for at, label in enumerate(labels):
        seen[label] += 1
        if seen[label] > 1:
            labels[at] = f"{label} [{seen[label]}]"
    return labels


def labelled(columns: list[Column]) -> list[Column]:
    """Columns with labels that tell them apart (see labels_of)."""
    return [replace(c, label=label) for c, label in zip(columns, labels_of(columns))]


def level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def ordered(columns: list[C], order: Order | str = Order.given) -> list[C]:
    """The columns in the order asked for; ties keep the order given (the sort is stable). (Summaries.ordered
    orders summaries.)"""
    order = Order(order)
    if order is Order.coverage:
        return sorted(columns, key=lambda c: -c.coverage)
    if order is Order.name:
        return sorted(columns, key=_by_name)
    if order is Order.level:
        return sorted(columns, key=lambda c: (level_rank(c.level), _by_name(c)))
    return list(columns)


def _by_name(column: Labelled) -> tuple[object, ...]:
    """Provinces in division order, other places by pinyin; one place's lists by year, then by label."""
    return (*chinese_order(column.jurisdiction, column.name), column.year or 0, column.label or column.name)


_WORKER: dict[str, object] = {}
_INHERITED: dict[str, object] = {}  # what the parent had loaded when it started its workers


def _die_with_parent() -> None:
    """A worker ends when the process that started it does, even one killed outright (SIGKILL), which
    could not stop its workers itself; Linux only (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def _init_worker(national: Document, vocab_files: tuple[str, ...], parent: int,
                 decisions: tuple[Decisions, ...] = (), detail: bool = False,
                 render: Callable[[Column], Any] | None = None, keyer: Keyer | None = None,
                 min_confidence: float | None = None) -> None:
    from threadpoolctl import threadpool_limits

    # Ctrl-C reaches the whole process group: the parent alone answers it and stops the workers.
    # SIGTERM (how the parent stops them) ends a worker at once, whatever handler it inherited.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    # Alignment multiplies small matrices; BLAS threads in every worker only fight over the cores
    # (measured: 63 documents/s with them, 160 without, on 2 cores). Held for the worker's life.
    threadpool_limits(limits=1)
    held = _WORKER["blas"] = one_blas_thread()  # kept: a context manager nobody holds is closed at once
    held.__enter__()
    # Forked workers find the parent's vocabulary and prepared national side in memory (spawned ones read them)
    inherited = _INHERITED.get("vocabulary")
    vocabulary = inherited if inherited is not None and _INHERITED.get("files") == vocab_files else None
    _WORKER["national"] = national
    _WORKER["vocabulary"] = vocabulary or load_vocabulary([Path(p) for p in vocab_files])
    _WORKER["decisions"] = decisions
    _WORKER["detail"] = detail
    _WORKER["render"] = render
    _WORKER["keyer"] = keyer
    _WORKER["min_confidence"] = min_confidence
    prepare(national, _WORKER["vocabulary"])  # type: ignore[arg-type]  # the national side, once per worker


class Keyer(Protocol):
    """How the results cache keys a ref (yigai.cache.Keyer): from the bytes of its file, read once; what it is kept
    under (yigai.cache.Kept) is the cache's business."""

    def read(self, ref: str) -> tuple[bytes | None, Any]: ...


def _keyed_columns(ref: str, national: Document, vocabulary: Vocabulary, decisions: tuple[Decisions, ...],
                   detail: bool, min_confidence: float | None,
                   keyer: Keyer | None) -> tuple[list[Column], Any]:
    """A ref's columns, with (`keyer`) the key the cache keeps them under: made from the very bytes that were read
    and aligned, so that a file changed since the cache was looked up (or while it is read) is kept under the key
    of what it holds now. None: not to be kept."""
    data, key = keyer.read(ref) if keyer is not None else (None, None)
    documents = read_documents(parse_ref(ref)[0], data) if data is not None else None
    return _columns_of(ref, national, vocabulary, decisions, detail, min_confidence, documents), key


def _work(ref: str) -> tuple[list[Column], Any]:
    return _keyed_columns(ref, _WORKER["national"], _WORKER["vocabulary"], _WORKER["decisions"],  # type: ignore[arg-type]
                          _WORKER["detail"], _WORKER.get("min_confidence"), _WORKER.get("keyer"))  # type: ignore[arg-type]


class Remembered(Protocol):
    """Columns kept from earlier runs (yigai.cache.ColumnCache): looked up before aligning, kept after."""

    @property
    def keyer(self) -> Keyer | None: ...

    def look_up(self, refs: Sequence[str]) -> bytearray: ...

    def fetch(self, at: int) -> list[Column] | None: ...

    def fetch_summaries(self, at: int, render: Callable[[Column], Any] | None) -> list[tuple[Summary, Any]] | None: ...

    def keep(self, kept: Any, columns: list[Column]) -> None: ...

    def keep_packed(self, kept: Any, value: bytes | None) -> None: ...

    def flush(self) -> None: ...


def _summarised(ref: str) -> tuple[list[tuple[tuple[Any, ...], Any]], Any, bytes | None]:
    """In a worker: each column of `ref` as its summary and what the parent's `render` makes of it (the column
    itself stays here: 2-5 KB of cells a document the parent would otherwise receive and hold), with the key and
    value the cache keeps them under when the parent keeps them (None otherwise). The summary goes as the tuple of
    its fields: a dataclass of slots is pickled through Python code, ~60 us a column both ways, a tuple in ~3."""
    render: Callable[[Column], Any] | None = _WORKER.get("render")  # type: ignore[assignment]
    columns, key = _work(ref)
    pairs, key, value = _compact(columns, render, key)
    return [(_fields(s), rendered) for s, rendered in pairs], key, value


def _fields(s: Summary) -> tuple[Any, ...]:
    return (s.name, s.source, s.year, s.coverage, s.grades, s.decided, s.warnings, s.jurisdiction, s.level, s.label)


def _compact(columns: list[Column], render: Callable[[Column], Any] | None,
             key: Any) -> tuple[list[tuple[Summary, Any]], Any, bytes | None]:
    rendered = [render(c) if render else None for c in columns]
    return list(zip(map(summary, columns), rendered)), key, _packed(columns, rendered, render) if key is not None else None


def _packed(columns: list[Column], rendered: list[Any], render: Callable[[Column], Any] | None) -> bytes | None:
    """The columns as the cache keeps them, with what `render` made of them (yigai.cache.pack), made where they were
    made (a worker); None where they are not to be kept (read by OCR) or cannot be."""
    if any(c.ocr for c in columns):
        return None
    from .cache import pack

    try:
        return pack(columns, rendered, getattr(render, "cache_tag", None))
    except Exception:  # not storable (a figure that is not finite, a name that is not UTF-8): computed next time
        return None


# Below this many files a process pool costs more than it saves (start-up ~0.3 s per worker).
PARALLEL_FROM = 40
# Documents a worker is handed, and sends back, at once, at the most: a batch is held whole by the worker and the
# parent. Every message wakes the parent's pool threads (batches of 16: the parent spent 1.1-1.3 s CPU on 3,000
# documents, of up to 128: 0.9-1.1 s); batches shrink towards the end (_sizes), so that no worker is left with a
# long one while the other has none.
BATCH_MOST = 128


def _batches(national: Document, refs: list[str], vocab_files: tuple[str, ...], workers: int | None,
             progress: Callable[[int], None] | None, decisions: tuple[Decisions, ...], detail: bool,
             vocabulary: Vocabulary, render: Callable[[Column], Any] | None, compact: bool,
             cache: Remembered | None = None, min_confidence: float | None = None) -> Iterator[list[Any]]:
    """What each ref gives, in order, as soon as it is made: its columns, or (`compact`) (summary, render(column)).
    With `cache`, the refs it holds are not read again: their kept columns are given in their turn."""
    kept_at = cache.look_up(refs) if cache is not None else bytearray(len(refs))
    keyer = cache.keyer if cache is not None else None
    made = _made(national, (ref for ref, hit in zip(refs, kept_at) if not hit), len(refs) - sum(kept_at), vocab_files,
                 workers, decisions, detail, vocabulary, render, compact, keyer, min_confidence)
    try:
        for at, ref in enumerate(refs):
            batch: list[Any] | None = None
            if kept_at[at]:
                assert cache is not None
                batch = cache.fetch_summaries(at, render) if compact else cache.fetch(at)
                if batch is None:  # (gone or damaged since it was found: made here, as it would be)
                    columns = _columns_of(ref, national, vocabulary, decisions, detail, min_confidence)
                    batch = _compact(columns, render, None)[0] if compact else columns
            else:
                batch, key, value = next(made)
                if cache is not None and key is not None:
                    if compact:
                        cache.keep_packed(key, value)
                    else:
                        cache.keep(key, batch)
            if progress:
                progress(1)
            yield batch
    finally:
        made.close()  # (a reader that stops early stops the workers)
        if cache is not None:
            cache.flush()


def _sizes(count: int, workers: int) -> list[int]:
    """The sizes of the batches `count` refs are handed out in: at most BATCH_MOST, else a quarter of each worker's
    share of what is left, so that the last ones are short (a batch of 128 documents is ~0.4 s of a worker's time)."""
    sizes = []
    while count > 0:
        size = max(1, min(BATCH_MOST, count // (workers * 4)))
        sizes.append(size)
        count -= size
    return sizes


def _summarised_all(refs: list[str]) -> list[tuple[list[tuple[tuple[Any, ...], Any]], Any, bytes | None]]:
    return [_summarised(ref) for ref in refs]


def _work_all(refs: list[str]) -> list[tuple[list[Column], Any]]:
    return [_work(ref) for ref in refs]


def _made(national: Document, refs: Iterable[str], count: int, vocab_files: tuple[str, ...], workers: int | None,
          decisions: tuple[Decisions, ...], detail: bool, vocabulary: Vocabulary, render: Callable[[Column], Any] | None,
          compact: bool, keyer: Keyer | None,
          min_confidence: float | None) -> Generator[tuple[list[Any], Any, bytes | None], None, None]:
    """What each of the `count` refs gives, in order: its columns, or (`compact`) (summary, render(column)) pairs,
    with (`keyer`) the key the cache keeps them under and (compact only) the value it keeps."""
    workers = workers or os.cpu_count() or 1
    if workers > 1 and count >= PARALLEL_FROM:
        # multiprocessing.Pool, for its terminate(): on an error, SIGINT or SIGTERM the workers are stopped
        # at once, instead of finishing their queue first (which took 5-13 s).
        prepare(national, vocabulary)  # before the fork: forked workers start with it done
        getattr(render, "cache_tag", None)  # (worked out once, here: forked workers find it done)
        _INHERITED.update(files=vocab_files, vocabulary=vocabulary)
        pool = multiprocessing.Pool(workers, initializer=_init_worker,
                                    initargs=(national, vocab_files, os.getpid(), decisions, detail, render, keyer,
                                              min_confidence))
        sizes = _sizes(count, workers)
        # The pool reads what the workers send back as fast as they send it, and holds it until it is taken: when the
        # reader stalls (its disk busy writing back, the machine loaded), 16 MiB piled up at 10,000 documents. So
        # no more refs are handed out than two batches a worker ahead of what the reader has taken.
        window, stopping = threading.Semaphore(max(sizes, default=1) * workers * 2), threading.Event()

        def paced() -> Iterator[list[str]]:  # (read by the pool's own thread: waiting here holds up no one else)
            them = iter(refs)
            for size in sizes:
                batch = []
                for ref in itertools.islice(them, size):
                    window.acquire()
                    if stopping.is_set():
                        return
                    batch.append(ref)
                yield batch

        try:
            work: Callable[[list[str]], list[Any]] = _summarised_all if compact else _work_all
            for results in pool.imap(work, paced()):
                window.release(len(results))
                for result in results:
                    if compact:
                        pairs, key, value = result
                        yield [(Summary(*fields), rendered) for fields, rendered in pairs], key, value
                    else:
                        yield (*result, None)
        except BaseException:  # an error, a signal, or the reader stopping early (GeneratorExit)
            stopping.set()
            window.release(count)  # the pool's thread, waiting for room, sees it must stop
            pool.terminate()
            raise
        finally:
            _INHERITED.clear()
            pool.close()
            pool.join()
    else:
        prepare(national, vocabulary)  # the national side, once for every column
        with one_blas_thread():
            for ref in refs:
                columns, key = _keyed_columns(ref, national, vocabulary, decisions, detail, min_confidence, keyer)
                yield _compact(columns, render, key) if compact else (columns, key, None)


def summaries(
    national: Document,
    refs: list[str],
    vocab_files: tuple[str, ...] = (),
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    decisions: tuple[Decisions, ...] = (),
    vocabulary: Vocabulary | None = None,
    render: Callable[[Column], Any] | None = None,
    cache: Remembered | None = None,
    min_confidence: float | None = None,
    detail: bool = False,
) -> Iterator[tuple[int, Summary, Any]]:
    """Each local document's column as it is made, in the order given: the number of its ref (from 0), its summary
    (not labelled yet: Summaries.label labels them all), with what `render` makes of the whole column (None without
    `render`), made where the column was made (a worker), so that the whole column never reaches the caller.
    `render` must be picklable (a module's function) where workers are spawned. Decisions, `cache` and
    `min_confidence` apply as in `matrix`; `detail` gives `render` each column with its pairs and local document
    (the report's panels), and is never kept in the cache (it carries the documents' text)."""
    vocabulary = vocabulary or load_vocabulary([Path(p) for p in vocab_files])
    batches = _batches(national, refs, vocab_files, workers, progress, decisions, detail, vocabulary, render, compact=True,
                       cache=None if detail else cache, min_confidence=min_confidence)
    for number, batch in enumerate(batches):
        for summary_, rendered in batch:
            yield number, summary_, rendered


def matrix(
    national: Document,
    refs: list[str],
    vocab_files: tuple[str, ...] = (),
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    decisions: tuple[Decisions, ...] = (),
    detail: bool = False,
    vocabulary: Vocabulary | None = None,
    cache: Remembered | None = None,
    min_confidence: float | None = None,
) -> list[Column]:
    """Labelled columns for every local document the refs name, in the order given (decisions files apply
    to the columns whose document they name, or to every column when they name none); `detail` keeps each
    column's pairs and local document (what the report shows). Every column is held: `summaries` streams. With
    `cache`, only the refs it does not hold are read and aligned; with `min_confidence`, only the pairs at least
    that sure count (an analyst's decided pairs always do)."""
    # `vocabulary`: loaded from vocab_files already (the command needs it too); each worker loads its own once
    vocabulary = vocabulary or load_vocabulary([Path(p) for p in vocab_files])
    batches = _batches(national, refs, vocab_files, workers, progress, decisions, detail, vocabulary, None, compact=False,
                       cache=cache, min_confidence=min_confidence)
    return labelled([c for columns in batches for c in columns])
