"""Many local documents against one national list: one column of grades per local document."""

from __future__ import annotations

import glob
import multiprocessing
import os
import re
import signal
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from .align import Grade, Pair, align, one_blas_thread, prepare
from .coverage import coverage
from .decisions import Applied, Decisions, DecisionWarning, apply_decisions, decision_of, rejected_of
from .documents import parse_ref, read_ref
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
        return Path(parse_ref(self.source)[0]).name

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "source": self.source, "year": self.year, "coverage": round(self.coverage, 4),
                "cells": [{"national": c.national, "grade": c.grade.value, "local": list(c.local),
                           "score": round(c.score, 3)} | ({"decision": c.decision.as_dict()} if c.decision else {})
                          for c in self.cells],
                "label": self.label or self.name, "jurisdiction": self.jurisdiction, "level": self.level,
                "local_only": list(self.local_only)}


# What yigai's own outputs start with (a table's frame, its CSV headers, JSON, the report's generator, a
# workbook's creator): `matrix -o drafts/m.txt`, then `matrix NATIONAL drafts/`, must not read m.txt as a list.
_OUTPUT_SIGNS = ("┏━".encode(), "┌─".encode(), b"national_index,", b"old_index,old_label,", b"jurisdiction,source,level,",
                 b'<meta name="generator" content="yigai', b"|---")


def written_by_yigai(path: str | Path) -> bool:
    """Whether a file found in a folder or by a glob is one of yigai's outputs (read: its first 8 KB)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False  # reading it says why
    if head.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        from .readers import OUTPUT_CREATOR

        try:
            with open(path, "rb") as handle, zipfile.ZipFile(handle) as archive:
                core = archive.open("docProps/core.xml").read(65536)
        except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError, io.UnsupportedOperation):
            return False
        return re.search(rb"<dc:creator[^>]*>" + re.escape(OUTPUT_CREATOR.encode()) + rb"</dc:creator>", core) is not None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")) and (b'"source"' in head or b'"national"' in head):
        return True
    return any(sign in head for sign in _OUTPUT_SIGNS)


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


def expand(refs: Iterable[str]) -> list[str]:
    """Files, globs, directories (recursively, supported formats only) and PATH#SEL refs, in order."""
    found: list[str] = []
    for ref in refs:
        path, selector = parse_ref(ref)
        if path == STDIN or is_url(path):  # (an address's ? is no glob)
            found.append(ref)
        elif selector is None and os.path.isdir(path):  # (os.path: a name too long is no directory, not an error)
            files = sorted(p for p in Path(path).rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                           and not written_by_yigai(p))
            if not files:
                raise InputError(path, "directory holds no supported documents", f"yigai reads {', '.join(SUPPORTED_SUFFIXES)}")
            found += [str(p) for p in files]
        elif selector is None and any(ch in path for ch in "*?[") and not os.path.exists(path):
            matches = sorted(m for m in _glob(path) if not written_by_yigai(m))
            if not matches:
                raise InputError(path, "pattern matches no file", "check the glob")
            found += matches
        else:
            found.append(ref)
    return found


def column(national: Document, local: Document, vocabulary: Vocabulary, decisions: tuple[Decisions, ...] = (),
           detail: bool = False) -> Column:
    """One local document's column; with `detail`, its pairs and document too (for the report)."""
    alignment = align(national, local, vocabulary, quotes=detail)  # only the detail shows quotes
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
                detail: bool = False) -> list[Column]:
    # `matrix national.txt folder/` often finds the national list in the folder too: no column for it
    return [column(national, d, vocabulary, decisions, detail) for d in read_ref(ref) if not _same_document(d, national)]


def labelled(columns: list[Column]) -> list[Column]:
    """Columns with labels that tell them apart: `四川 2021 (sichuan-2021.txt)`, `四川 2024 (roundup.txt)`;
    the selector is added where one file gives two columns of one name, a counter where a ref is given twice."""

    def base(c: Column) -> str:
        return f"{c.name} {c.year}" if c.year else c.name

    labels = [f"{base(c)} ({c.file})" for c in columns]
    sources: dict[str, set[str]] = {}
    for c, label in zip(columns, labels):
        sources.setdefault(label, set()).add(c.source)
    labels = [f"{base(c)} ({c.file}#{parse_ref(c.source)[1]})" if len(sources[label]) > 1 else label
              for c, label in zip(columns, labels)]
    seen: Counter[str] = Counter()
    unique = []
    for label in labels:
        seen[label] += 1
        unique.append(label if seen[label] == 1 else f"{label} [{seen[label]}]")
    return [replace(c, label=label) for c, label in zip(columns, unique)]


def level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def ordered(columns: list[Column], order: Order | str = Order.given) -> list[Column]:
    """The columns in the order asked for; ties keep the order given (the sort is stable)."""
    order = Order(order)
    if order is Order.coverage:
        return sorted(columns, key=lambda c: -c.coverage)
    if order is Order.name:
        return sorted(columns, key=_by_name)
    if order is Order.level:
        return sorted(columns, key=lambda c: (level_rank(c.level), _by_name(c)))
    return list(columns)


def _by_name(column: Column) -> tuple[object, ...]:
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
                 decisions: tuple[Decisions, ...] = (), detail: bool = False) -> None:
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
    prepare(national, _WORKER["vocabulary"])  # type: ignore[arg-type]  # the national side, once per worker


def _work(ref: str) -> list[Column]:
    return _columns_of(ref, _WORKER["national"], _WORKER["vocabulary"], _WORKER["decisions"],  # type: ignore[arg-type]
                       _WORKER["detail"])  # type: ignore[arg-type]


class Remembered(Protocol):
    """Columns kept from earlier runs, by ref (yigai.cache.ColumnCache): looked up before aligning, kept after."""

    def lookup(self, refs: Sequence[str]) -> dict[str, list[Column]]: ...

    def keep(self, ref: str, columns: list[Column]) -> None: ...

    def flush(self) -> None: ...


# Below this many files a process pool costs more than it saves (start-up ~0.3 s per worker).
PARALLEL_FROM = 40


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
) -> list[Column]:
    """Labelled columns for every local document the refs name, in the order given (decisions files apply
    to the columns whose document they name, or to every column when they name none); `detail` keeps each
    column's pairs and local document (what the report shows). With `cache`, only the refs it does not hold
    are read and aligned (it is given their columns as they arrive)."""
    # `vocabulary`: loaded from vocab_files already (the command needs it too); each worker loads its own once
    vocabulary = vocabulary or load_vocabulary([Path(p) for p in vocab_files])
    workers = workers or os.cpu_count() or 1
    results: list[list[Column]] = []
    known = cache.lookup(refs) if cache is not None else {}
    if known and progress:
        progress(sum(1 for ref in refs if ref in known))
    todo = [ref for ref in refs if ref not in known]
    if workers > 1 and len(todo) >= PARALLEL_FROM:
        # multiprocessing.Pool, for its terminate(): on an error, SIGINT or SIGTERM the workers are stopped
        # at once, instead of finishing their queue first (which took 5-13 s).
        prepare(national, vocabulary)  # before the fork: forked workers start with it done
        _INHERITED.update(files=vocab_files, vocabulary=vocabulary)
        pool = multiprocessing.Pool(workers, initializer=_init_worker,
                                    initargs=(national, vocab_files, os.getpid(), decisions, detail))
        try:
            for ref, columns in zip(todo, pool.imap(_work, todo, chunksize=max(1, len(todo) // (workers * 8)))):
                results.append(columns)
                if cache is not None:
                    cache.keep(ref, columns)
                if progress:
                    progress(1)
        except BaseException:
            pool.terminate()
            raise
        finally:
            _INHERITED.clear()
            pool.close()
            pool.join()
    else:
        prepare(national, vocabulary)  # the national side, once for every column
        with one_blas_thread():
            for ref in todo:
                results.append(_columns_of(ref, national, vocabulary, decisions, detail))
                if cache is not None:
                    cache.keep(ref, results[-1])
                if progress:
                    progress(1)
    if cache is not None:
        cache.flush()
    computed = iter(results)
    return labelled([c for ref in refs for c in (known[ref] if ref in known else next(computed))])
