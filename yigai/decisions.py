"""An analyst's decisions on an alignment: confirm, reject, regrade or add a (national item, local item) pair.

Alignment will never be perfect; a gate that fails on a known false gap gets switched off. So the analyst
records a judgement once, in YAML, and every command applies it after `align` and before `coverage`.

Entries name items by their text, not only by their number: a redraft renumbers its items, and a
decision must follow the item, not the number. An item is found by its fingerprint (a hash of its
normalised title and measures), else by a quoted prefix of its title, else (when the entry gives
nothing else) by its index. An entry that finds no item, or several, is a warning naming it: a stale
decision is never applied to the wrong item, and never dropped without a word.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .align import Alignment, Grade, Pair
from .errors import InputError, shown
from .model import Document, Item


class Action(str, Enum):
    CONFIRM = "confirm"  # the pair is right (at the entry's grade, when it gives one)
    REJECT = "reject"  # the local item does not carry out the national one
    REGRADE = "regrade"  # the pair holds at another grade
    ADD = "add"  # a pair yigai missed


ENTRY_KEYS = ("action", "national", "local", "grade", "note", "who", "when")
REF_KEYS = ("index", "title", "fingerprint")

_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")


def normalise(text: str) -> str:
    """Text reduced to what survives a redraft's re-typesetting: CJK, letters, digits."""
    return "".join(_KEEP.findall(unicodedata.normalize("NFKC", text))).lower()


@lru_cache(maxsize=65536)  # every entry looks at every item: a matrix applies a file to many columns
def _item_text(item: Item) -> str:
    # The label is left out on purpose: renumbering must not change an item's identity.
    return normalise(item.title + item.measures)


@lru_cache(maxsize=65536)
def fingerprint(item: Item) -> str:
    """A short hash of the item's normalised title and measures (not its number or departments)."""
    return hashlib.sha1(_item_text(item).encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class ItemRef:
    """How an entry names an item: any of index, title prefix, fingerprint."""

    index: int | None = None
    title: str | None = None
    fingerprint: str | None = None

    @classmethod
    def of(cls, item: Item) -> ItemRef:
        return cls(item.index, item.title, fingerprint(item))

    def describe(self) -> str:
        if self.title:
            title = self.title if len(self.title) <= 20 else self.title[:19] + "…"
            return f"'{title}'" + (f" (#{self.index})" if self.index is not None else "")
        if self.fingerprint:
            return f"fingerprint {self.fingerprint}"
        return f"#{self.index}"

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in (("index", self.index), ("title", self.title), ("fingerprint", self.fingerprint))
                if v is not None}


@dataclass(frozen=True)
class Decision:
    """One entry of a decisions file."""

    action: Action
    national: ItemRef
    local: ItemRef
    grade: Grade | None = None
    note: str = ""
    who: str = ""
    when: str = ""
    source: str = ""  # the decisions file
    entry: int = 0  # 1-based position in it


@dataclass(frozen=True)
class Decisions:
    """A decisions file: its entries and, optionally, the documents it was written for."""

    source: str
    entries: tuple[Decision, ...]
    national: str = ""  # jurisdiction, title or file name of the national document
    local: str = ""  # the same for the local document; empty: any local document

    def applies_to(self, document: Document) -> bool:
        """Whether the file was written for this local document (a file naming none applies to all)."""
        return not self.local or _names(document, self.local)


def _names(document: Document, name: str) -> bool:
    """Does `name` (a jurisdiction, a title prefix or a file name) name this document?"""
    source = Path(document.source)
    key = normalise(name)
    return bool(key) and (
        name in {document.jurisdiction, document.short_name, source.name, source.stem, document.ref}
        or (bool(document.title) and normalise(document.title).startswith(key))
    )


@dataclass(frozen=True)
class Applied:
    """A decision as applied to one pair: what the analyst decided and what yigai had graded."""

    decision: Decision
    machine: Grade  # yigai's grade of the pair before the decision (none: it had no such pair)

    def as_dict(self) -> dict[str, object]:
        d = self.decision
        return {"action": d.action.value, "grade": d.grade.value if d.grade else None, "machine": self.machine.value,
                "note": d.note, "who": d.who, "when": d.when, "source": d.source, "entry": d.entry}


@dataclass(frozen=True)
class DecidedPair(Pair):
    """A pair an analyst has decided on; renderers mark it, JSON carries `"decision": {...}`."""

    decision: Applied | None = None

    def as_dict(self) -> dict[str, object]:
        result = super().as_dict()
        if self.decision is not None:
            result["decision"] = self.decision.as_dict()
        return result


@dataclass(frozen=True)
class DecidedAlignment(Alignment):
    """An alignment after the analyst's decisions, with the pairs they rejected kept for the record."""

    rejected: tuple[DecidedPair, ...] = ()


@dataclass(frozen=True)
class DecisionWarning:
    """An entry that could not be applied (or that another entry overrides)."""

    source: str
    entry: int
    problem: str
    hint: str = ""

    def line(self) -> str:
        where = f"{self.source}: entry {self.entry}" if self.entry else self.source
        return f"{where}: {self.problem}" + (f" ({self.hint})" if self.hint else "")


def decision_of(pair: Pair) -> Applied | None:
    """The analyst's decision on a pair, if any."""
    return pair.decision if isinstance(pair, DecidedPair) else None


def rejected_of(alignment: Alignment) -> tuple[DecidedPair, ...]:
    """The pairs an analyst rejected (none for an alignment no decision touched)."""
    return alignment.rejected if isinstance(alignment, DecidedAlignment) else ()


# --- reading a decisions file -------------------------------------------------------------------


# Bounds on a decisions file: one written for a draft is some hundred entries, tens of kilobytes.
MAX_DECISIONS_BYTES = 2 * 1024 * 1024
MAX_DECISIONS = 10_000
_KEY_LIKE = re.compile(r"[A-Za-z_][\w.-]{0,39}")


def _key(key: Any) -> str:
    """A key of the file, quoted when it reads as one (`acton`); else no quote: a file that is no decisions file at
    all (another --decisions, /etc/shadow linked) is never quoted into a message."""
    return f"'{key}'" if isinstance(key, str) and _KEY_LIKE.fullmatch(key) else "(not a key name)"


def _value(value: Any) -> str:
    """A value of an entry, quoted in a message: one line, at most 60 characters."""
    return f"'{shown(str(value), 60)}'"


def _suggest(word: str, choices: Iterable[str]) -> str:
    from rapidfuzz import process

    found = process.extractOne(word, list(choices), score_cutoff=50)
    return f"did you mean '{found[0]}'?" if found else ""


def _ref(value: Any, side: str, fail: Any) -> ItemRef:
    if isinstance(value, bool):
        fail(f"'{side}' must name an item: an index, a quoted title, or {{index, title, fingerprint}}")
    if isinstance(value, int):
        value = {"index": value}
    elif isinstance(value, str):
        value = {"title": value}
    if not isinstance(value, dict) or not value:
        fail(f"'{side}' must name an item: an index, a quoted title, or {{index, title, fingerprint}}")
    for key in value:
        if key not in REF_KEYS:
            fail(f"'{side}' has an unknown key {_key(key)}", _suggest(str(key)[:60], REF_KEYS) or "use index, title, fingerprint")
    index, title, print_ = value.get("index"), value.get("title"), value.get("fingerprint")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 1):
        fail(f"'{side}.index' must be a whole number from 1", "item numbers are 1-based")
    if title is not None and (not isinstance(title, str) or not normalise(title)):
        fail(f"'{side}.title' must be text with at least one character or digit", "quote the item's title")
    if print_ is not None and not (isinstance(print_, str) and re.fullmatch(r"[0-9a-f]{6,40}", print_)):
        fail(f"'{side}.fingerprint' must be hexadecimal", "copy it from `yigai compare --format decisions`")
    if index is None and title is None and print_ is None:
        fail(f"'{side}' must give an index, a title or a fingerprint")
    return ItemRef(index, title, print_)


def _text(value: Any, key: str, fail: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    fail(f"'{key}' must be text")
    return ""


def _decision(data: Any, source: str, entry: int, line: int | None) -> Decision:
    where = f"entry {entry}" + (f" (line {line})" if line else "")

    def fail(problem: str, hint: str = "see `yigai compare --format decisions` for the format") -> None:
        raise InputError(source, f"{where}: {problem}", hint)

    if not isinstance(data, dict):
        fail("expected a mapping with action, national, local")
    for key in data:
        if key not in ENTRY_KEYS:
            fail(f"unknown key {_key(key)}", _suggest(str(key)[:60], ENTRY_KEYS) or f"entries take {', '.join(ENTRY_KEYS)}")
    action = data.get("action")
    if action is None:
        fail("no 'action'", "write action: confirm, reject, regrade or add")
    try:
        act = Action(str(action).strip().lower())
    except ValueError:
        fail(f"unknown action {_value(action)}",
             _suggest(str(action)[:60], [a.value for a in Action]) or "confirm, reject, regrade or add")
    for side in ("national", "local"):
        if data.get(side) is None:
            fail(f"no '{side}' item", f"write {side}: {{title: …}} or {side}: INDEX")
    grade = None
    if data.get("grade") is not None:
        try:
            grade = Grade(str(data["grade"]).strip().lower())
        except ValueError:
            grade = None
        if grade not in (Grade.FULL, Grade.PARTIAL):
            fail(f"grade {_value(data['grade'])} is not full or partial", "to undo a pair, write action: reject")
    if act in (Action.REGRADE, Action.ADD) and grade is None:
        fail(f"'{act.value}' needs a grade", "write grade: full or grade: partial")
    return Decision(
        act, _ref(data["national"], "national", fail), _ref(data["local"], "local", fail), grade,
        _text(data.get("note"), "note", fail), _text(data.get("who"), "who", fail), _text(data.get("when"), "when", fail),
        source, entry,
    )


def _entry_lines(text: str) -> list[int]:
    """Line numbers of the entries, for error messages (best effort: [] when the layout is unusual)."""
    try:
        node = yaml.compose(text)
    except (yaml.YAMLError, RecursionError, ValueError):
        return []
    if isinstance(node, yaml.MappingNode):
        node = next((v for k, v in node.value if getattr(k, "value", None) == "decisions"), None)
    if isinstance(node, yaml.SequenceNode):
        return [child.start_mark.line + 1 for child in node.value]
    return []


def parse_decisions(text: str, source: str) -> Decisions:
    """A decisions file's text -> Decisions; InputError naming the file, the entry and the problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(source, f"invalid YAML{where}", "fix the file's syntax") from None
    except RecursionError:  # `[` × 50,000
        raise InputError(source, "YAML nests too deep", "a decisions file is a list of entries") from None
    except (ValueError, OverflowError):  # when: 2024-13-45, a number of 5,000 digits
        raise InputError(source, "YAML holds a value that is no valid date or number (a day such as 2024-13-45?)",
                         "quote it, or correct it") from None
    national = local = ""
    if data is None:
        entries: Any = []
    elif isinstance(data, list):
        entries = data
    elif isinstance(data, dict):
        unknown = [k for k in data if k not in ("national", "local", "decisions")]
        if unknown:
            raise InputError(source, f"unknown top-level key {_key(unknown[0])}",
                             "a decisions file has national, local, decisions")
        entries = data.get("decisions") or []
        for key in ("national", "local"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise InputError(source, f"'{key}' must be text: the document's jurisdiction, title or file name")
        national, local = data.get("national") or "", data.get("local") or ""
    else:
        entries = None
    if not isinstance(entries, list):
        raise InputError(source, "not a yigai decisions file: expected a 'decisions' list",
                         "see `yigai compare --format decisions`")
    if len(entries) > MAX_DECISIONS:
        raise InputError(source, f"holds {len(entries):,} decisions, more than the {MAX_DECISIONS:,} yigai reads",
                         "one file per draft holds some hundreds; split it")
    lines = _entry_lines(text)
    parsed = tuple(_decision(e, source, n, lines[n - 1] if n <= len(lines) else None) for n, e in enumerate(entries, 1))
    return Decisions(source, parsed, national, local)


def load_decisions(path: str | Path) -> Decisions:
    """Read and check a decisions file (bad files are one InputError: file, entry, problem)."""
    name = str(path)
    path = Path(path)
    if not path.is_file():
        raise InputError(name, "no such decisions file" if not path.exists() else "is not a file", "check the --decisions path")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_DECISIONS_BYTES + 1)
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or type(exc).__name__}", "check its permissions") from None
    if len(data) > MAX_DECISIONS_BYTES:
        raise InputError(name, f"decisions file is larger than {MAX_DECISIONS_BYTES // 1024 // 1024} MB",
                         "one file per draft holds some hundreds of entries; split it")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(name, "decisions file is not UTF-8 text", "re-save it as UTF-8") from None
    return parse_decisions(text, name)


# --- applying decisions -------------------------------------------------------------------------


def find_item(ref: ItemRef, document: Document) -> tuple[Item | None, str]:
    """The one item `ref` names in `document`, or None and why not."""
    items = document.items
    if ref.fingerprint:
        hits = [i for i in items if fingerprint(i) == ref.fingerprint]
        if len(hits) == 1:
            return hits[0], ""
        if ref.title is None and ref.index is None:
            return None, f"matches {len(hits)} items" if hits else "matches no item"
    if ref.title is not None:
        key = normalise(ref.title)
        hits = [i for i in items if _item_text(i).startswith(key)]
        if len(hits) > 1 and ref.index is not None:
            hits = [i for i in hits if i.index == ref.index] or hits
        if len(hits) == 1:
            return hits[0], ""
        if hits:
            return None, f"matches {len(hits)} items ({', '.join(str(i.index) for i in hits[:6])})"
        return None, "matches no item"
    if ref.fingerprint:
        return None, "matches no item"
    assert ref.index is not None
    if ref.index <= len(items):
        return items[ref.index - 1], ""
    return None, f"has no item {ref.index} ({len(items)} items)"


def _rebuild(pair: Pair, **changes: Any) -> DecidedPair:
    """A DecidedPair with all of `pair`'s fields (whatever fields Pair has) and the changes."""
    values = {f.name: getattr(pair, f.name) for f in fields(pair) if f.init}
    values.update(changes)
    return DecidedPair(**values)


def _new_pair(national: int, local: int, grade: Grade, applied: Applied) -> DecidedPair:
    # No score: yigai did not pair these items; 0.0 is the pair's distribution mean.
    return DecidedPair(national=national, local=local, grade=grade, score=0.0, evidence=(), decision=applied)


def apply_decisions(alignment: Alignment, files: Sequence[Decisions]) -> tuple[DecidedAlignment, tuple[DecisionWarning, ...]]:
    """The alignment with the analyst's decisions applied, and a warning for every entry not applied as written.

    Pure: the alignment given is not changed. Later entries win over earlier ones for the same pair
    (with a warning), so a second file can override a shared one.
    """
    national, local = alignment.national, alignment.local
    machine = {(p.national, p.local): p for p in alignment.pairs}
    pairs: dict[tuple[int, int], Pair] = dict(machine)
    rejected: dict[tuple[int, int], DecidedPair] = {}
    decided_by: dict[tuple[int, int], Decision] = {}
    warnings: list[DecisionWarning] = []
    for file in files:
        for side, name, document in (("national", file.national, national), ("local", file.local, local)):
            if name and not _names(document, name):
                warnings.append(DecisionWarning(file.source, 0, f"written for {side} document {_value(name)}, "
                                                f"applied to {document.ref}", "entries are matched by item text"))
        for d in file.entries:
            n_item, n_why = find_item(d.national, national)
            l_item, l_why = find_item(d.local, local)
            if n_item is None or l_item is None:
                problems = []
                if n_item is None:
                    problems.append(f"national item {d.national.describe()} {n_why} in {national.ref}")
                if l_item is None:
                    problems.append(f"local item {d.local.describe()} {l_why} in {local.ref}")
                ambiguous = "items (" in n_why + l_why
                hint = "quote more of its title" if ambiguous else "update or delete the entry: was it redrafted?"
                warnings.append(DecisionWarning(d.source, d.entry, f"{d.action.value} not applied: {'; '.join(problems)}", hint))
                continue
            key = (n_item.index, l_item.index)
            if key in decided_by:
                earlier = decided_by[key]
                warnings.append(DecisionWarning(d.source, d.entry, f"decides national {key[0]} × local {key[1]} again "
                                                f"(entry {earlier.entry} of {earlier.source}); this entry applies"))
            decided_by[key] = d
            found = machine.get(key)
            applied = Applied(d, found.grade if found else Grade.NONE)
            pairs.pop(key, None)
            rejected.pop(key, None)
            if d.action is Action.REJECT:
                rejected[key] = _rebuild(found, decision=applied) if found else _new_pair(*key, Grade.NONE, applied)
                continue
            grade = d.grade or (found.grade if found else None)
            if grade is None:
                warnings.append(DecisionWarning(d.source, d.entry, f"confirm not applied: yigai does not pair national {key[0]} "
                                                f"and local {key[1]}", "to pair them, write action: add and a grade"))
                if found:
                    pairs[key] = found
                continue
            pairs[key] = _rebuild(found, grade=grade, decision=applied) if found else _new_pair(*key, grade, applied)
    kept = tuple(pairs[k] for k in sorted(pairs, key=lambda k: (k[0], -pairs[k].score, k[1])))
    values = {f.name: getattr(alignment, f.name) for f in fields(alignment) if f.init and f.name not in ("pairs", "rejected")}
    decided = DecidedAlignment(**values, pairs=kept, rejected=tuple(rejected[k] for k in sorted(rejected)))
    return decided, tuple(warnings)


# --- writing a decisions file -------------------------------------------------------------------

HEADER = """\
# yigai decisions: an analyst's judgement on the pairs yigai found, applied with --decisions FILE.
#   action: confirm (the pair holds) | reject (it does not) | regrade (another grade) | add (a pair yigai missed)
#   grade:  full | partial (regrade and add need one; confirm keeps it)
# Items are found by fingerprint, else by the start of their title, else by index, so entries
# survive a redraft that renumbers them; an entry that finds no item is reported, never applied elsewhere.
"""


def _comment(text: str) -> str:
    return " ".join(text.split())


def to_yaml(alignment: Alignment) -> str:
    """Every pair (and every rejected pair) as an entry to confirm or reject: the start of a decisions file."""
    n_doc, l_doc = alignment.national, alignment.local
    head = {"national": n_doc.jurisdiction or n_doc.title or Path(n_doc.source).name,
            "local": l_doc.jurisdiction or l_doc.title or Path(l_doc.source).name}
    lines = [HEADER + "\n" + yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=1000) + "decisions:"]
    entries = [(p, decision_of(p)) for p in alignment.pairs] + [(p, p.decision) for p in rejected_of(alignment)]
    for pair, applied in sorted(entries, key=lambda e: (e[0].national, e[0].local)):
        n_item, l_item = n_doc.item(pair.national), l_doc.item(pair.local)
        d = applied.decision if applied else None
        entry: dict[str, object] = {"action": d.action.value if d else Action.CONFIRM.value}
        grade = d.grade if d else pair.grade
        if grade in (Grade.FULL, Grade.PARTIAL):
            entry["grade"] = grade.value
        entry["national"] = ItemRef.of(n_item).as_dict()
        entry["local"] = ItemRef.of(l_item).as_dict()
        entry.update({"note": d.note if d else "", "who": d.who if d else "", "when": d.when if d else ""})
        evidence = "、".join(pair.evidence) or "no named instrument"
        graded = applied.machine.value if applied else pair.grade.value
        lines.append(f"\n  # {pair.national} ↔ {pair.local}: yigai graded {graded}, "
                     f"score {pair.score:.2f}; evidence: {_comment(evidence)}")
        dumped = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)
        lines.append("\n".join("  " + line for line in dumped.rstrip("\n").split("\n")))
    if not entries:
        lines[-1] += " []"
    return "\n".join(lines) + "\n"


# --- merging two reviewers' files ---------------------------------------------------------------


def pair_key(d: Decision) -> tuple[tuple[str, object], tuple[str, object]]:
    """The pair an entry decides, as a merge tells pairs apart without the documents."""
    return _ref_key(d.national), _ref_key(d.local)


def _ref_key(ref: ItemRef) -> tuple[str, object]:
    """How a merge tells items apart without the documents: by fingerprint, else title, else index."""
    if ref.fingerprint:
        return ("fingerprint", ref.fingerprint)
    if ref.title is not None:
        return ("title", normalise(ref.title))
    return ("index", ref.index)


def verdict_text(d: Decision) -> str:
    """An entry's verdict as a reader says it: `reject`, `regrade full`."""
    return d.action.value + (f" {d.grade.value}" if d.grade and d.action is not Action.REJECT else "")


def agree(a: Decision, b: Decision) -> bool:
    """Whether two entries on one pair say the same: the same action at the same grade (a rejection has
    none; a confirm without a grade keeps yigai's, so it agrees with a confirm at any grade)."""
    if a.action is not b.action:
        return False
    return (a.action is Action.REJECT or a.grade == b.grade
            or (a.action is Action.CONFIRM and (a.grade is None or b.grade is None)))


def _joined(*values: str, sep: str) -> str:
    return sep.join(dict.fromkeys(v for v in values if v))


def _combine(a: Decision, b: Decision) -> Decision:
    """Two reviewers' agreeing entries as one, keeping both notes and both names."""
    return Decision(a.action, a.national, a.local, a.grade or b.grade, _joined(a.note, b.note, sep=" / "),
                    _joined(a.who, b.who, sep=", "), max(a.when, b.when), a.source, a.entry)


@dataclass(frozen=True)
class Conflict:
    """Two entries on one pair that disagree: both are kept, the later applies (as with two --decisions files)."""

    entries: tuple[Decision, ...]

    def line(self) -> str:
        first = self.entries[0]
        said = "; ".join(f"{d.source} entry {d.entry} says {verdict_text(d)}" + (f" ({d.who})" if d.who else "")
                         for d in self.entries)
        return f"national {first.national.describe()} × local {first.local.describe()}: {said}"


@dataclass(frozen=True)
class Merged:
    """Several decisions files as one: every entry kept, agreeing ones combined, disagreeing ones listed."""

    decisions: Decisions
    conflicts: tuple[Conflict, ...]


def merge_decisions(files: Sequence[Decisions]) -> Merged:
    """The union of `files`' entries, in order of first appearance. Entries on one pair (same national and
    local item) that agree become one entry (notes and names joined); entries that disagree are all kept, one
    after the other, and reported as a conflict: `--decisions` applies the last of them, as it does with two
    files given in that order. InputError when the files name different documents."""
    heads: dict[str, str] = {}
    for side in ("national", "local"):
        named = {getattr(f, side): f.source for f in files if getattr(f, side)}
        if len({normalise(n) for n in named}) > 1:
            shown = ", ".join(f"{source} is for '{name}'" for name, source in named.items())
            raise InputError(files[-1].source if files else "decisions", f"written for different {side} documents: {shown}",
                             "merge the files of one document; give the others as further --decisions")
        heads[side] = next(iter(named), "")
    groups: dict[tuple[object, object], list[Decision]] = {}
    for file in files:
        for d in file.entries:
            group = groups.setdefault(pair_key(d), [])
            same = next((k for k, e in enumerate(group) if agree(e, d)), None)
            if same is None:
                group.append(d)
            else:
                group[same] = _combine(group[same], d)
    entries = tuple(d for group in groups.values() for d in group)
    conflicts = tuple(Conflict(tuple(group)) for group in groups.values() if len(group) > 1)
    source = " + ".join(f.source for f in files)
    return Merged(Decisions(source, entries, heads["national"], heads["local"]), conflicts)


@lru_cache(maxsize=1)  # (compiled when first needed: a class this wide takes ~10 ms, and most runs write no YAML)
def _unsafe() -> re.Pattern[str]:
    return re.compile("[^\u0020-\u007e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: quotes and backslashes escaped, and every character that is no
    printable text (controls, line breaks, the BOM) as \\uXXXX, so no text can end the string or add a key."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _unsafe().sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) <= 0xFFFF
                             else f"\\U{ord(m.group()):08x}", escaped) + '"'


def _ref_yaml(ref: ItemRef) -> str:
    parts = []
    if ref.index is not None:
        parts.append(f"index: {ref.index}")
    if ref.title is not None:
        parts.append(f"title: {quoted(ref.title)}")
    if ref.fingerprint:
        parts.append(f"fingerprint: {quoted(ref.fingerprint)}")
    return "{" + ", ".join(parts) + "}"


def dump_decisions(decisions: Decisions, conflicts: Sequence[Conflict] = ()) -> str:
    """A decisions file's text, as `--decisions` reads it; each conflict is preceded by a comment saying so."""
    flagged = {id(d): c for c in conflicts for d in c.entries[:1]}
    lines = [HEADER.rstrip("\n")]
    if decisions.national:
        lines.append(f"national: {quoted(decisions.national)}")
    if decisions.local:
        lines.append(f"local: {quoted(decisions.local)}")
    lines.append("decisions:" + ("" if decisions.entries else " []"))
    for d in decisions.entries:
        conflict = flagged.get(id(d))
        if conflict:
            said = ", then ".join(verdict_text(e) for e in conflict.entries)
            lines.append(f"  # CONFLICT: {_comment(said)}; the last applies: delete the entries you disagree with")
        lines.append(f"  - action: {quoted(d.action.value)}")
        if d.grade:
            lines.append(f"    grade: {quoted(d.grade.value)}")
        lines.append(f"    national: {_ref_yaml(d.national)}")
        lines.append(f"    local: {_ref_yaml(d.local)}")
        for key, value in (("note", d.note), ("who", d.who), ("when", d.when)):
            if value:
                lines.append(f"    {key}: {quoted(value)}")
    return "\n".join(lines) + "\n"
